/**
 * tfjs's own Adam (`tf.train.adam(...)`, and `optimizer: 'adam'` in `model.compile`, which
 * tfjs turns into `tf.train.adam(0.001)`), fused: one WebAssembly loop per variable instead
 * of about fifteen tfjs ops that each allocate a variable-sized array (about 70 ms per step
 * for the course model's 320k parameters).
 *
 * Semantics stay tfjs's (tfjs-core adam_optimizer.ts), so a reader's tfjs code gives the
 * numbers tfjs defines: bias-corrected moments and ε added to sqrt(v̂),
 *   w ← w − lr · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε),  ε default = the backend's
 *   epsilon (1e-7 on cpu).
 * Keras (and `rnn.adam`) add ε to sqrt(v) before the bias correction, which is the same update
 * with ε scaled by sqrt(1 − β2^t); the two agree to float32 rounding unless sqrt(v) is near ε.
 * The moments stay the optimizer's own variables (`getWeights`, `setWeights`, `dispose`
 * unchanged), their storage and the weights' kept in WebAssembly memory (optimizers/adam.ts
 * `ensureResidentWeight`). Other backends, or without WebAssembly, run tfjs's code.
 */
import * as tf from '@tensorflow/tfjs';
import { getWasmKernels } from '../kernels/index';
import { ensureResidentWeight } from './adam';

type NamedTensor = { name: string; tensor: tf.Tensor };
type Slot = { originalName: string; variable: tf.Variable };
interface TfjsAdamFields {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  incrementIterations(): void;
}
type Resident = NonNullable<ReturnType<typeof ensureResidentWeight>>;

const residentOf = new WeakMap<object, Map<string, Resident>>();
let installed = false;

/** Serves `tf.AdamOptimizer` (tf.train.adam, 'adam') with the fused step (idempotent). */
export function installFusedTfjsAdam(): void {
  if (installed) return;
  installed = true;
  const proto = tf.AdamOptimizer.prototype as unknown as { applyGradients(g: tf.NamedTensorMap | NamedTensor[]): void };
  const stock = proto.applyGradients;
  proto.applyGradients = function (this: TfjsAdamFields, variableGradients: tf.NamedTensorMap | NamedTensor[]) {
    const wk = getWasmKernels();
    if (!wk || tf.getBackend() !== 'cpu') return stock.call(this, variableGradients);
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const registered = tf.engine().registeredVariables;
    if (names.some((n) => registered[n]?.dtype !== 'float32')) return stock.call(this, variableGradients);
    let resident = residentOf.get(this);
    if (!resident) residentOf.set(this, (resident = new Map()));
    const res = resident;
    // 1. Allocations first (moments, resident storage): a growth detaches earlier views.
    const plan = names.map((name, i) => {
      const value = registered[name];
      const slot = (list: Slot[], suffix: string) => {
        list[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        return list[i].variable;
      };
      const m = slot(this.accumulatedFirstMoment, 'm');
      const v = slot(this.accumulatedSecondMoment, 'v');
      const keep = (key: string, variable: tf.Variable) => {
        const r = ensureResidentWeight(wk, variable, res.get(key));
        if (r) res.set(key, r);
        return r;
      };
      return { name, i, w: keep(`${name}`, value), m: keep(`${name}/m`, m), v: keep(`${name}/v`, v) };
    });
    const b1 = this.accBeta1.dataSync()[0];
    const b2 = this.accBeta2.dataSync()[0];
    const c1 = 1 / (1 - b1);
    const c2 = 1 / (1 - b2);
    // 2. The steps (each gradient read just before its step).
    for (const { name, i, w, m, v } of plan) {
      const grad = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
      if (grad == null) continue;
      if (!w || !m || !v) throw new Error(`tf.train.adam (fused): variable '${name}' could not be kept in WebAssembly memory.`);
      const g = grad.dataSync();
      const g32 = g instanceof Float32Array ? g : Float32Array.from(g);
      wk.adamTfjsAt(w.ptr, g32, m.ptr, v.ptr, w.n, this.learningRate, this.beta1, this.beta2, this.epsilon, c1, c2);
    }
    tf.tidy(() => {
      this.accBeta1.assign(tf.scalar(b1 * this.beta1));
      this.accBeta2.assign(tf.scalar(b2 * this.beta2));
    });
    this.incrementIterations();
  };
}
