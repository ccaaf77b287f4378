/**
 * Keras-parity Adam with one fused loop per variable.
 *
 * Keras (keras/src/optimizers/adam.py), with t the 1-based step:
 *   α = lr · sqrt(1 − β2^t) / (1 − β1^t)
 *   m ← m + (g − m)(1 − β1);  v ← v + (g² − v)(1 − β2)
 *   w ← w − α · m / (sqrt(v) + ε)          (ε = 1e-7)
 * The update is dense for every variable, the embedding included (every row's moments
 * decay each step), exactly like Keras. The moments live in Float32Arrays, not tensors,
 * so a step costs one read and one write of each variable instead of a dozen tfjs ops.
 */
import * as tf from '@tensorflow/tfjs';

type NamedTensor = { name: string; tensor: tf.Tensor };
import { getKernels } from '../kernels/index';
import type { AdamState } from '../kernels/types';

/** Arguments of `rnn.adam` (Keras defaults). */
export interface AdamArgs {
  /** Default 1e-3. */
  learningRate?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7 (Keras). */
  epsilon?: number;
  /** Keras `clipnorm`: each gradient whose L2 norm exceeds this is scaled down to it. */
  clipnorm?: number;
  /** Keras `global_clipnorm`: all gradients are scaled together so their joint L2 norm is at most this. */
  globalClipnorm?: number;
  /** Keras `clipvalue`: every gradient element is clipped to [-clipvalue, clipvalue]. */
  clipvalue?: number;
}

/**
 * Keras's gradient clipping (keras/src/optimizers/base_optimizer.py), applied before the
 * update: at most one of clipnorm, globalClipnorm and clipvalue. Scales in place.
 */
export function clipGradients(grads: Float32Array[], args: Pick<AdamArgs, 'clipnorm' | 'globalClipnorm' | 'clipvalue'>): void {
  const norm = (g: Float32Array) => {
    let ss = 0;
    for (let i = 0; i < g.length; i++) ss += g[i] * g[i];
    return ss;
  };
  const scale = (g: Float32Array, k: number) => {
    for (let i = 0; i < g.length; i++) g[i] *= k;
  };
  if (args.clipnorm != null) {
    for (const g of grads) {
      const n = Math.sqrt(norm(g));
      if (n > args.clipnorm) scale(g, args.clipnorm / n);
    }
  } else if (args.globalClipnorm != null) {
    const n = Math.sqrt(grads.reduce((acc, g) => acc + norm(g), 0));
    if (n > args.globalClipnorm) for (const g of grads) scale(g, args.globalClipnorm / n);
  } else if (args.clipvalue != null) {
    const c = args.clipvalue;
    for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = Math.min(c, Math.max(-c, g[i]));
  }
}


/** Storage this optimizer allocated itself (so no user array can alias it). */
const ownStorage = new WeakSet<object>();

/**
 * On the cpu backend, the Float32Array that stores a variable when this optimizer wrote it
 * and nothing else shares it; null otherwise (other backends, a variable just set from a
 * user's tensor or array, a clone sharing the storage). The first update of a variable
 * therefore copies, later ones run in place.
 */
function ownedCpuValues(variable: tf.Variable): Float32Array | null {
  if (tf.getBackend() !== 'cpu' || variable.dtype !== 'float32') return null;
  const data = (tf.backend() as unknown as { data?: { get(id: unknown): { values?: unknown; refCount?: number } | undefined } }).data;
  const entry = data?.get(variable.dataId);
  if (!entry || entry.refCount !== 1 || !(entry.values instanceof Float32Array)) return null;
  if (!ownStorage.has(entry.values) || entry.values.length !== variable.size) return null;
  return entry.values;
}

export class Adam extends tf.Optimizer {
  static className = 'RnnAdam';
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly clipnorm?: number;
  readonly globalClipnorm?: number;
  readonly clipvalue?: number;
  private readonly slots = new Map<string, AdamState>();

  constructor(args: AdamArgs = {}) {
    super();
    this.learningRate = args.learningRate ?? 1e-3;
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    this.clipnorm = args.clipnorm ?? undefined;
    this.globalClipnorm = args.globalClipnorm ?? undefined;
    this.clipvalue = args.clipvalue ?? undefined;
    for (const [k, v] of Object.entries({ learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon })) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`adam: argument '${k}' must be a non-negative number, got ${String(v)}.`);
    }
    const clips = Object.entries({ clipnorm: this.clipnorm, globalClipnorm: this.globalClipnorm, clipvalue: this.clipvalue }).filter(([, v]) => v !== undefined);
    for (const [k, v] of clips) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`adam: argument '${k}' must be a positive number, got ${String(v)}.`);
    }
    if (clips.length > 1) {
      throw new Error(`adam: only one of 'clipnorm', 'globalClipnorm' and 'clipvalue' can be set, got ${clips.map(([k]) => `'${k}'`).join(' and ')}.`);
    }
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const pairs: [string, tf.Tensor][] = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor] as [string, tf.Tensor])
      : Object.entries(variableGradients);
    this.incrementIterations();
    const t = this.iterations;
    const alpha = (this.learningRate * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
    const registered = tf.engine().registeredVariables;
    const clipping = this.clipnorm !== undefined || this.globalClipnorm !== undefined || this.clipvalue !== undefined;
    const live = pairs.filter(([, grad]) => grad != null);
    const grads = live.map(([, grad]) => {
      const g = grad.dataSync();
      // Clipping scales in place, so it works on a copy of the gradient's storage.
      return g instanceof Float32Array && !clipping ? g : Float32Array.from(g);
    });
    if (clipping) clipGradients(grads, this);
    for (const [k, [name]] of live.entries()) {
      const g32 = grads[k];
      const variable = registered[name];
      if (!variable) throw new Error(`adam: unknown variable '${name}'.`);
      let s = this.slots.get(name);
      if (!s || s.size !== variable.size) {
        s?.dispose();
        s = getKernels().createAdamState(variable.size);
        this.slots.set(name, s);
      }
      const own = ownedCpuValues(variable);
      if (own) {
        // The cpu backend's storage is ours alone: update it in place (no copy, no garbage).
        s.step(own, g32, alpha, this.beta1, this.beta2, this.epsilon);
      } else {
        const w = Float32Array.from(variable.dataSync() as Float32Array);
        s.step(w, g32, alpha, this.beta1, this.beta2, this.epsilon);
        ownStorage.add(w);
        variable.assign(tf.tensor(w, variable.shape, 'float32'));
      }
    }
  }

  override dispose(): void {
    for (const s of this.slots.values()) s.dispose();
    this.slots.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [await this.saveIterations()];
    for (const [name, s] of this.slots) {
      const shape = tf.engine().registeredVariables[name]?.shape ?? [s.size];
      const { m, v } = s.read();
      out.push({ name: `${name}/m`, tensor: tf.tensor(m, shape) }, { name: `${name}/v`, tensor: tf.tensor(v, shape) });
    }
    return out;
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const pending = new Map<string, { m?: Float32Array; v?: Float32Array }>();
    for (const { name, tensor } of rest) {
      const match = name.match(/^(.*)\/(m|v)$/);
      if (!match) continue;
      const entry = pending.get(match[1]) ?? {};
      entry[match[2] as 'm' | 'v'] = Float32Array.from(tensor.dataSync() as Float32Array);
      pending.set(match[1], entry);
    }
    for (const [name, { m, v }] of pending) {
      if (!m || !v) continue;
      this.slots.get(name)?.dispose();
      const s = getKernels().createAdamState(m.length);
      s.write(m, v);
      this.slots.set(name, s);
    }
  }

  getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
    if (this.clipnorm !== undefined) config.clipnorm = this.clipnorm;
    if (this.globalClipnorm !== undefined) config.globalClipnorm = this.globalClipnorm;
    if (this.clipvalue !== undefined) config.clipvalue = this.clipvalue;
    return config;
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}

tf.serialization.registerClass(Adam);
