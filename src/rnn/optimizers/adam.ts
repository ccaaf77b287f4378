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
import { getKernels, getWasmKernels } from '../kernels/index';
import { cpuStorage, residentTensor } from '../kernels/resident';
import type { AdamState } from '../kernels/types';
import type { WasmKernels } from '../kernels/wasm';
import { unrecognizedArgument, unsupportedArgument, ValueError } from '../errors';
import { checkBooleanArgs } from '../layers/weight-args';

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
  /** Keras `amsgrad`: only false (the default) is supported; true is refused by name. */
  amsgrad?: boolean;
  /** Keras `weight_decay`: only null / 0 (no decay, the default) is supported; others are refused by name. */
  weightDecay?: number | null;
  /** Keras `use_ema`: only false (the default) is supported. `emaMomentum` / `emaOverwriteFrequency` have no effect without it, as in Keras. */
  useEma?: boolean;
  emaMomentum?: number;
  emaOverwriteFrequency?: number | null;
  /** Keras `loss_scale_factor` and `gradient_accumulation_steps`: only null (the default). */
  lossScaleFactor?: number | null;
  gradientAccumulationSteps?: number | null;
  /** Keras optimizer name (default 'adam'); kept in the config. */
  name?: string;
}

/** The arguments `rnn.adam` knows (tfjs camelCase of Keras 3's `Adam` signature). */
const ADAM_ARGS = [
  'learningRate', 'beta1', 'beta2', 'epsilon', 'clipnorm', 'globalClipnorm', 'clipvalue',
  'amsgrad', 'weightDecay', 'useEma', 'emaMomentum', 'emaOverwriteFrequency', 'lossScaleFactor', 'gradientAccumulationSteps', 'name',
];

/**
 * Checks the arguments of `rnn.adam` the way the layers do (`checkLayerArgs`): an unknown key
 * (a snake_case spelling, Keras 2's `lr`, a typo) would otherwise leave the default in place,
 * so it is refused by name; Keras arguments that are not implemented are refused unless they
 * have their no-op value. Accepts `rnn.adam(0.01)` (Keras `Adam(0.01)`: the learning rate is
 * the first positional argument).
 */
export function adamArgs(args: AdamArgs | number | undefined | null): AdamArgs {
  if (args == null) return {};
  if (typeof args === 'number') return { learningRate: args };
  if (typeof args !== 'object' || Array.isArray(args)) {
    throw new TypeError(`adam: expected a learning rate or an object of arguments such as { learningRate: 0.001 }, got ${String(args)}.`);
  }
  const a = args as Record<string, unknown>;
  for (const key of Object.keys(a)) {
    if (a[key] === undefined || ADAM_ARGS.includes(key)) continue;
    // Keras 2's `lr` is `learning_rate` in Keras 3, `learningRate` here.
    throw unrecognizedArgument('adam', key === 'lr' ? 'learning_rate' : key, ADAM_ARGS, key);
  }
  checkBooleanArgs(a, 'adam');
  const refuse = (key: string, why: string) => {
    throw unsupportedArgument('adam', key, a[key], why);
  };
  if (a.amsgrad === true) refuse('amsgrad', 'the fused Adam implements the plain Adam update only (use amsgrad: false)');
  if (a.weightDecay != null && a.weightDecay !== 0) refuse('weightDecay', 'decoupled weight decay is not implemented (use a kernelRegularizer on the layers for an L2 penalty)');
  if (a.useEma === true) refuse('useEma', 'an exponential moving average of the weights is not implemented');
  if (a.lossScaleFactor != null) refuse('lossScaleFactor', 'loss scaling is not implemented (the layers compute in float32)');
  if (a.gradientAccumulationSteps != null) refuse('gradientAccumulationSteps', 'gradient accumulation is not implemented');
  if (a.name !== undefined && typeof a.name !== 'string') throw new ValueError(`adam: argument 'name' must be a string, got ${String(a.name)}.`);
  return args;
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

/**
 * A variable's storage kept in WebAssembly memory (cpu backend + WebAssembly kernels): the
 * first update copies the variable into a heap block and makes that block its storage;
 * later updates run in place there, and the embedding's gather reads the table there.
 */
interface ResidentWeight {
  heap: WasmKernels['heap'];
  ptr: number;
  n: number;
  dataId: object;
}

/**
 * Makes `variable`'s storage a heap block (reusing `prev`'s when it still is, or when no
 * tensor uses it any more) and returns it; null when not possible (another backend).
 */
export function ensureResidentWeight(wk: WasmKernels, variable: tf.Variable, prev: ResidentWeight | undefined): ResidentWeight | null {
  const data = cpuStorage();
  if (!data || variable.dtype !== 'float32') return null;
  const n = variable.size;
  if (prev && prev.heap === wk.heap && prev.n === n && prev.dataId === variable.dataId) {
    const entry = data.get(variable.dataId);
    if (entry && entry.refCount === 1) return prev;
  }
  // A fresh block unless the old one is free (no tensor refers to it any more).
  let ptr: number;
  if (prev && prev.heap === wk.heap && prev.n === n && !data.has(prev.dataId)) ptr = prev.ptr;
  else ptr = wk.heap.alloc(n);
  // After the allocation (which may grow the memory), read the current values.
  wk.heap.f32(ptr, n).set(variable.dataSync() as Float32Array);
  const t = residentTensor(wk.heap, ptr, [...variable.shape]);
  variable.assign(t);
  t.dispose();
  return { heap: wk.heap, ptr, n, dataId: variable.dataId as object };
}

/** Frees the blocks of resident weights whose tensor tfjs has disposed. */
function freeDeadWeights(list: ResidentWeight[]): void {
  const data = cpuStorage();
  if (!data) return;
  for (const w of list) if (!data.has(w.dataId)) w.heap.free(w.ptr);
}

/** Frees an optimizer's dead resident weights when it is garbage-collected. */
const weightFinalizer =
  typeof FinalizationRegistry === 'undefined' ? null : new FinalizationRegistry<Map<string, ResidentWeight>>((m) => freeDeadWeights([...m.values()]));

/**
 * The Keras-parity Adam optimizer described above, with Keras's optional `clipnorm`,
 * `globalClipnorm` and `clipvalue`; registered for serialization as 'RnnAdam'.
 */
export class Adam extends tf.Optimizer {
  static className = 'RnnAdam';
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly clipnorm?: number;
  readonly globalClipnorm?: number;
  readonly clipvalue?: number;
  /** Keras optimizer name ('adam' unless given). */
  readonly name: string;
  private readonly slots = new Map<string, AdamState>();
  private readonly weights = new Map<string, ResidentWeight>();

  constructor(args: AdamArgs | number = {}) {
    super();
    args = adamArgs(args);
    this.name = args.name ?? 'adam';
    this.learningRate = args.learningRate ?? 1e-3;
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    this.clipnorm = args.clipnorm ?? undefined;
    this.globalClipnorm = args.globalClipnorm ?? undefined;
    this.clipvalue = args.clipvalue ?? undefined;
    weightFinalizer?.register(this, this.weights);
    for (const [k, v] of Object.entries({ learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon })) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValueError(`adam: argument '${k}' must be a non-negative number, got ${String(v)}.`);
    }
    const clips = Object.entries({ clipnorm: this.clipnorm, globalClipnorm: this.globalClipnorm, clipvalue: this.clipvalue }).filter(([, v]) => v !== undefined);
    for (const [k, v] of clips) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ValueError(`adam: argument '${k}' must be a positive number, got ${String(v)}.`);
    }
    if (clips.length > 1) {
      throw new ValueError(`adam: only one of 'clipnorm', 'globalClipnorm' and 'clipvalue' can be set, got ${clips.map(([k]) => `'${k}'`).join(' and ')}.`);
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
    // 1. Allocate everything first (moments, resident weights): an allocation may grow the
    //    WebAssembly memory, which detaches views obtained before it.
    const wk = getWasmKernels();
    const states: AdamState[] = [];
    const residentW: (ResidentWeight | null)[] = [];
    for (const [name] of live) {
      const variable = registered[name];
      if (!variable) throw new ValueError(`adam: unknown variable '${name}'.`);
      let s = this.slots.get(name);
      if (!s || s.size !== variable.size) {
        s?.dispose();
        s = getKernels().createAdamState(variable.size);
        this.slots.set(name, s);
      }
      states.push(s);
      const rw = wk ? ensureResidentWeight(wk, variable, this.weights.get(name)) : null;
      if (rw) this.weights.set(name, rw);
      residentW.push(rw);
    }
    // 2. Gradients (clipping scales in place, so it works on copies), then the steps.
    const gradOf = (grad: tf.Tensor) => {
      const g = grad.dataSync();
      return g instanceof Float32Array && !clipping ? g : Float32Array.from(g);
    };
    const clipped = clipping ? live.map(([, grad]) => gradOf(grad)) : null;
    if (clipped) clipGradients(clipped, this);
    for (const [k, [name, grad]] of live.entries()) {
      const variable = registered[name];
      const s = states[k];
      // Each gradient is read just before its step (a view from before a step could be stale).
      const g32 = clipped ? clipped[k] : gradOf(grad);
      const rw = residentW[k];
      if (rw) {
        s.step(rw.heap.f32(rw.ptr, rw.n), g32, alpha, this.beta1, this.beta2, this.epsilon);
        continue;
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

  /**
   * Fused training step (src/rnn/train), part 1: makes every variable's storage (and its
   * moments) resident in WebAssembly memory and returns the weights' heap pointers, in the
   * order given; null without the WebAssembly kernels on the cpu backend.
   */
  fusedPrepare(variables: tf.Variable[]): number[] | null {
    const wk = getWasmKernels();
    if (!wk || tf.getBackend() !== 'cpu') return null;
    const ptrs: number[] = [];
    for (const variable of variables) {
      let s = this.slots.get(variable.name);
      if (!s || s.size !== variable.size) {
        s?.dispose();
        s = wk.createAdamState(variable.size);
        this.slots.set(variable.name, s);
      }
      const rw = ensureResidentWeight(wk, variable, this.weights.get(variable.name));
      if (!rw) return null;
      this.weights.set(variable.name, rw);
      ptrs.push(rw.ptr);
    }
    return ptrs;
  }

  /**
   * Fused training step, part 2: one Adam step (the same as `applyGradients`, clipping
   * included) for `variables` prepared by `fusedPrepare`; `grad(k)` gives variable k's
   * gradient (read just before its step, so a view of WebAssembly memory is current).
   */
  fusedApply(variables: tf.Variable[], grad: (k: number) => Float32Array): void {
    this.incrementIterations();
    const t = this.iterations;
    const alpha = (this.learningRate * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
    const clipping = this.clipnorm !== undefined || this.globalClipnorm !== undefined || this.clipvalue !== undefined;
    const clipped = clipping ? variables.map((_, k) => Float32Array.from(grad(k))) : null;
    if (clipped) clipGradients(clipped, this);
    for (const [k, variable] of variables.entries()) {
      const rw = this.weights.get(variable.name)!;
      const s = this.slots.get(variable.name)!;
      const g = clipped ? clipped[k] : grad(k);
      s.step(rw.heap.f32(rw.ptr, rw.n), g, alpha, this.beta1, this.beta2, this.epsilon);
    }
  }

  override dispose(): void {
    for (const s of this.slots.values()) s.dispose();
    this.slots.clear();
    // Resident weight blocks stay while they are a variable's storage.
    freeDeadWeights([...this.weights.values()]);
    this.weights.clear();
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
    if (this.name !== 'adam') config.name = this.name;
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
