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
}

interface Slots {
  m: Float32Array;
  v: Float32Array;
}

export class Adam extends tf.Optimizer {
  static className = 'RnnAdam';
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly slots = new Map<string, Slots>();

  constructor(args: AdamArgs = {}) {
    super();
    this.learningRate = args.learningRate ?? 1e-3;
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    for (const [k, v] of Object.entries({ learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon })) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`adam: argument '${k}' must be a non-negative number, got ${String(v)}.`);
    }
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const pairs: [string, tf.Tensor][] = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor] as [string, tf.Tensor])
      : Object.entries(variableGradients);
    this.incrementIterations();
    const t = this.iterations;
    const alpha = (this.learningRate * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
    const kernels = getKernels();
    const registered = tf.engine().registeredVariables;
    for (const [name, grad] of pairs) {
      if (grad == null) continue;
      const variable = registered[name];
      if (!variable) throw new Error(`adam: unknown variable '${name}'.`);
      let s = this.slots.get(name);
      if (!s) {
        s = { m: new Float32Array(variable.size), v: new Float32Array(variable.size) };
        this.slots.set(name, s);
      }
      const w = Float32Array.from(variable.dataSync() as Float32Array);
      const g = grad.dataSync() as Float32Array;
      kernels.adam(w, g instanceof Float32Array ? g : Float32Array.from(g), s.m, s.v, alpha, this.beta1, this.beta2, this.epsilon);
      variable.assign(tf.tensor(w, variable.shape, 'float32'));
    }
  }

  override dispose(): void {
    this.slots.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [await this.saveIterations()];
    for (const [name, s] of this.slots) {
      const shape = tf.engine().registeredVariables[name]?.shape ?? [s.m.length];
      out.push({ name: `${name}/m`, tensor: tf.tensor(s.m, shape) }, { name: `${name}/v`, tensor: tf.tensor(s.v, shape) });
    }
    return out;
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    for (const { name, tensor } of rest) {
      const m = name.match(/^(.*)\/(m|v)$/);
      if (!m) continue;
      const s = this.slots.get(m[1]) ?? { m: new Float32Array(tensor.size), v: new Float32Array(tensor.size) };
      s[m[2] as 'm' | 'v'] = Float32Array.from(tensor.dataSync() as Float32Array);
      this.slots.set(m[1], s);
    }
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}

tf.serialization.registerClass(Adam);
