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
    const plan = prepareTfjsAdam(this as unknown as tf.AdamOptimizer, names.map((n) => registered[n]))!;
    applyTfjsAdam(this as unknown as tf.AdamOptimizer, plan, (i) => {
      const grad = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[names[i]];
      if (grad == null) return null;
      const g = grad.dataSync();
      return g instanceof Float32Array ? g : Float32Array.from(g);
    });
  };
}

/** What `prepareTfjsAdam` returns: per variable, its resident storage and moments'. */
export interface TfjsAdamPlan {
  /** Heap pointers of the variables' storage, in the order given. */
  weightPtrs: number[];
  entries: { name: string; w: Resident | null; m: Resident | null; v: Resident | null }[];
}

/**
 * The fused `tf.train.adam` step, part 1 (also used by the fused training step,
 * src/rnn/train): creates the moments (the optimizer's own variables, slot i for the i-th
 * variable, as tfjs does) and makes the weights and moments resident in WebAssembly memory.
 * Null without the WebAssembly kernels on the cpu backend.
 */
export function prepareTfjsAdam(opt: tf.AdamOptimizer, variables: tf.Variable[]): TfjsAdamPlan | null {
  const wk = getWasmKernels();
  if (!wk || tf.getBackend() !== 'cpu') return null;
  const self = opt as unknown as TfjsAdamFields;
  let resident = residentOf.get(opt);
  if (!resident) residentOf.set(opt, (resident = new Map()));
  const res = resident;
  // Allocations first (moments, resident storage): a growth detaches earlier views.
  const entries = variables.map((value, i) => {
    const name = value.name;
    const slot = (list: Slot[], suffix: string) => {
      list[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      return list[i].variable;
    };
    const m = slot(self.accumulatedFirstMoment, 'm');
    const v = slot(self.accumulatedSecondMoment, 'v');
    const keep = (key: string, variable: tf.Variable) => {
      const r = ensureResidentWeight(wk, variable, res.get(key));
      if (r) res.set(key, r);
      return r;
    };
    return { name, w: keep(`${name}`, value), m: keep(`${name}/m`, m), v: keep(`${name}/v`, v) };
  });
  return { weightPtrs: entries.map((e) => e.w?.ptr ?? -1), entries };
}

/**
 * The fused `tf.train.adam` step, part 2: tfjs's formula on the resident blocks of `plan`;
 * `grad(i)` gives the i-th gradient (read just before its step; null skips the variable).
 */
export function applyTfjsAdam(opt: tf.AdamOptimizer, plan: TfjsAdamPlan, grad: (i: number) => Float32Array | null): void {
  const wk = getWasmKernels()!;
  const self = opt as unknown as TfjsAdamFields;
  const b1 = self.accBeta1.dataSync()[0];
  const b2 = self.accBeta2.dataSync()[0];
  const c1 = 1 / (1 - b1);
  const c2 = 1 / (1 - b2);
  for (const [i, { name, w, m, v }] of plan.entries.entries()) {
    const g = grad(i);
    if (g == null) continue;
    if (!w || !m || !v) throw new Error(`tf.train.adam (fused): variable '${name}' could not be kept in WebAssembly memory.`);
    wk.adamTfjsAt(w.ptr, g, m.ptr, v.ptr, w.n, self.learningRate, self.beta1, self.beta2, self.epsilon, c1, c2);
  }
  tf.tidy(() => {
    self.accBeta1.assign(tf.scalar(b1 * self.beta1));
    self.accBeta2.assign(tf.scalar(b2 * self.beta2));
  });
  self.incrementIterations();
}

/** Whether `installFusedTfjsAdam` has replaced tfjs's Adam step (so `tf.AdamOptimizer` uses the formula above). */
export function fusedTfjsAdamInstalled(): boolean {
  return installed;
}
