/**
 * Keras's weight regularizers, activity regularizers and weight constraints for every layer
 * of `src/rnn`, plus the check that refuses arguments a layer does not know.
 *
 * Keras 3 semantics (keras/src/regularizers/regularizers.py, constraints/constraints.py,
 * layers/layer.py, optimizers/base_optimizer.py), reproduced here:
 * - `L1(l1 = 0.01)`: `l1 · Σ|w|`; `L2(l2 = 0.01)`: `l2 · Σw²`; `L1L2(l1 = 0, l2 = 0)`: both.
 *   String identifiers 'l1' and 'l2' mean the defaults (0.01).
 * - A weight penalty counts only while the weight is trainable (Keras sums the regularizers
 *   of `trainable_weights`), and is added to the training loss of every step.
 * - An activity regularizer is applied to **every** tensor the layer returns (output and,
 *   with `returnState`, each state) and added to the loss of that training step. It is
 *   not divided by the batch size (Keras 2 did that; Keras 3 does not).
 * - Constraints (`MaxNorm(maxValue = 2, axis = 0)`, `NonNeg`, `UnitNorm(axis = 0)`,
 *   `MinMaxNorm(minValue = 0, maxValue = 1, rate = 1, axis = 0)`, ε = 1e-7) project a
 *   trainable weight after each optimizer step, and only then: `setWeights` stores values
 *   as given, like Keras's `set_weights`.
 *
 * Where tfjs differs, and what we do:
 * - tfjs's `tf.regularizers.l1l2()` defaults to l1 = l2 = 0.01 while Keras's `L1L2()`
 *   defaults to 0 and 0; tfjs objects carry their numbers, so they are used as they are.
 *   The string 'l1l2' means 0.01 each in tfjs and 0 each in Keras: it is refused, with a
 *   message that says to write the factors out.
 * - tfjs never applies constraints during `fit` (its optimizers assign the variables
 *   directly; only `LayerVariable.write` projects) but does project on `setWeights`. Here
 *   the constraint lives in a registry, not on the LayerVariable, and `installConstraintStep`
 *   makes every tfjs optimizer's `minimize` (what `fit`, `fitDataset` and `trainOnBatch`
 *   call) project the constrained variables it just updated.
 * - tfjs throws "activity regularizer(s) is not supported yet" from `Layer.apply`; the
 *   layers here keep the regularizer themselves and call `recordActivity` on the outputs.
 * - tfjs adds no penalty to `evaluate` / `val_loss`; Keras does (its test step calls the
 *   same `compute_loss`). `installPenaltyInEvaluation` makes a single-output model's test
 *   function add them, as Keras does; multi-output models keep tfjs's numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { unrecognizedArgument, unsupportedArgument, ValueError } from '../errors';

/** Keras epsilon used by the norm constraints. */
const EPSILON = 1e-7;

/** What a layer accepts for a `*Regularizer` argument. */
export type RegularizerSpec =
  | string
  | { className: string; config?: Record<string, unknown> }
  | { apply(x: tf.Tensor): tf.Scalar; getClassName?(): string; getConfig?(): Record<string, unknown> };

/** What a layer accepts for a `*Constraint` argument. */
export type ConstraintSpec =
  | string
  | { className: string; config?: Record<string, unknown> }
  | { apply(w: tf.Tensor): tf.Tensor; getClassName?(): string; getConfig?(): Record<string, unknown> };

/** A resolved regularizer: a scalar penalty of a tensor, serializable as `{className, config}`. */
export interface Regularizer {
  apply(x: tf.Tensor): tf.Scalar;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
}

/** A resolved constraint: a projection of a weight, serializable as `{className, config}`. */
export interface Constraint {
  apply(w: tf.Tensor): tf.Tensor;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
}

function penaltyFactor(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`${where}: invalid value for argument ${name}: expected a non-negative float. Received: ${name}=${String(value)}`);
  }
  return value;
}

/** Keras `L1`, `L2` and `L1L2`: `l1 · Σ|x| + l2 · Σx²` (terms with a zero factor are skipped). */
export class KerasPenalty implements Regularizer {
  constructor(
    readonly className: 'L1' | 'L2' | 'L1L2',
    readonly l1: number,
    readonly l2: number,
  ) {}
  apply(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      let r: tf.Tensor = tf.scalar(0);
      if (this.l1 !== 0) r = tf.add(r, tf.mul(this.l1, tf.sum(tf.abs(x))));
      if (this.l2 !== 0) r = tf.add(r, tf.mul(this.l2, tf.sum(tf.square(x))));
      return r as tf.Scalar;
    });
  }
  getClassName(): string {
    return this.className;
  }
  getConfig(): Record<string, unknown> {
    if (this.className === 'L1') return { l1: this.l1 };
    if (this.className === 'L2') return { l2: this.l2 };
    return { l1: this.l1, l2: this.l2 };
  }
}

function penaltyFrom(className: string, config: Record<string, unknown>, where: string): KerasPenalty | null {
  const get = (k: string, fallback: number) => (config[k] == null ? fallback : penaltyFactor(config[k], k, where));
  switch (className) {
    case 'L1':
    case 'l1':
      return new KerasPenalty('L1', get('l1', 0.01), 0);
    case 'L2':
    case 'l2':
      return new KerasPenalty('L2', 0, get('l2', 0.01));
    case 'L1L2':
    case 'l1l2':
    case 'l1_l2': {
      // A tfjs L1L2 object or dict always carries both factors; Keras's defaults are 0.
      const l1 = get('l1', 0);
      const l2 = get('l2', 0);
      if (l2 === 0 && l1 !== 0) return new KerasPenalty('L1', l1, 0);
      if (l1 === 0 && l2 !== 0) return new KerasPenalty('L2', 0, l2);
      return new KerasPenalty('L1L2', l1, l2);
    }
    default:
      return null;
  }
}

/**
 * Resolves a `*Regularizer` argument: 'l1' / 'l2' (Keras defaults 0.01), a tfjs regularizer
 * (`tf.regularizers.l2({ l2: 0.01 })`), a serialized `{className: 'L1' | 'L2' | 'L1L2', config}`
 * (Keras JSON as tfjs converts it, or our own getConfig), or any object with `apply(x)`
 * returning a scalar (a custom tfjs Regularizer). Throws naming `argName` otherwise.
 */
export function resolveRegularizer(spec: unknown, argName: string, layer: string): Regularizer | null {
  if (spec == null) return null;
  const where = `${layer}: argument '${argName}'`;
  if (typeof spec === 'string') {
    if (spec === 'l1l2' || spec === 'L1L2' || spec === 'l1_l2') {
      throw new ValueError(
        `${where} = '${spec}' is ambiguous: Keras reads it as L1L2(l1=0, l2=0) (no penalty) and tfjs as l1 = l2 = 0.01. ` +
          `Write the factors out, e.g. tf.regularizers.l1l2({ l1: 0.01, l2: 0.01 }) or { className: 'L1L2', config: { l1: 0.01, l2: 0.01 } }.`,
      );
    }
    const r = penaltyFrom(spec, {}, where);
    if (r) return r;
    if (spec === 'orthogonal_regularizer' || spec === 'OrthogonalRegularizer') {
      throw new ValueError(`${where} = '${spec}': OrthogonalRegularizer is not supported (use 'l1', 'l2' or an L1L2 object).`);
    }
    throw new ValueError(`${where}: could not interpret regularizer identifier '${spec}' (known: 'l1', 'l2', tf.regularizers.l1/l2/l1l2 objects).`);
  }
  if (typeof spec !== 'object') throw new ValueError(`${where}: could not interpret regularizer identifier ${String(spec)}.`);
  const obj = spec as Record<string, unknown>;
  if (typeof obj.apply === 'function') {
    const inst = obj as unknown as { getClassName?(): string; getConfig?(): Record<string, unknown> };
    const className = typeof inst.getClassName === 'function' ? inst.getClassName() : '';
    const known = penaltyFrom(className, typeof inst.getConfig === 'function' ? inst.getConfig() : {}, where);
    if (known) return known;
    return {
      apply: (x) => (obj.apply as (x: tf.Tensor) => tf.Scalar).call(obj, x),
      getClassName: () => className || 'CustomRegularizer',
      getConfig: () => (typeof inst.getConfig === 'function' ? inst.getConfig() : {}),
    };
  }
  const dict = classDict(obj);
  if (dict) {
    const config = dict.config;
    const known = penaltyFrom(dict.className, config, where);
    if (known) return known;
    const entry = tf.serialization.SerializationMap.getMap().classNameMap[dict.className];
    if (!entry) throw new ValueError(`${where}: unknown regularizer class '${dict.className}' in ${JSON.stringify(spec)}.`);
    const [cls, fromConfig] = entry;
    return resolveRegularizer(fromConfig(cls, config as tf.serialization.ConfigDict), argName, layer);
  }
  throw new ValueError(`${where}: could not interpret regularizer identifier ${JSON.stringify(spec)}.`);
}

/** Keras's `MaxNorm`, `NonNeg`, `UnitNorm` and `MinMaxNorm` (norms along `axis`, ε = 1e-7). */
export class KerasConstraint implements Constraint {
  constructor(
    readonly className: 'MaxNorm' | 'NonNeg' | 'UnitNorm' | 'MinMaxNorm',
    readonly config: { maxValue?: number; minValue?: number; rate?: number; axis?: number | number[] },
  ) {}
  apply(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      if (this.className === 'NonNeg') return tf.maximum(w, 0);
      const axis = this.config.axis ?? 0;
      const norms = tf.sqrt(tf.sum(tf.square(w), axis, true));
      if (this.className === 'UnitNorm') return tf.div(w, tf.add(EPSILON, norms));
      const desired =
        this.className === 'MaxNorm'
          ? tf.clipByValue(norms, 0, this.config.maxValue!)
          : tf.add(
              tf.mul(this.config.rate!, tf.clipByValue(norms, this.config.minValue!, this.config.maxValue!)),
              tf.mul(1 - this.config.rate!, norms),
            );
      return tf.mul(w, tf.div(desired, tf.add(EPSILON, norms)));
    });
  }
  getClassName(): string {
    return this.className;
  }
  getConfig(): Record<string, unknown> {
    return { ...this.config };
  }
}

const CONSTRAINT_NAMES: Record<string, KerasConstraint['className']> = {
  MaxNorm: 'MaxNorm',
  maxNorm: 'MaxNorm',
  max_norm: 'MaxNorm',
  NonNeg: 'NonNeg',
  nonNeg: 'NonNeg',
  non_neg: 'NonNeg',
  UnitNorm: 'UnitNorm',
  unitNorm: 'UnitNorm',
  unit_norm: 'UnitNorm',
  MinMaxNorm: 'MinMaxNorm',
  minMaxNorm: 'MinMaxNorm',
  min_max_norm: 'MinMaxNorm',
};

function constraintFrom(name: string, config: Record<string, unknown>, where: string): KerasConstraint | null {
  const kind = CONSTRAINT_NAMES[name];
  if (!kind) return null;
  const num = (camel: string, snake: string, fallback: number): number => {
    const v = config[camel] ?? config[snake];
    if (v == null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${where}: ${kind} '${camel}' must be a number, got ${String(v)}.`);
    return v;
  };
  const axisRaw = config.axis;
  if (axisRaw != null && !Number.isInteger(axisRaw) && !(Array.isArray(axisRaw) && axisRaw.every((a) => Number.isInteger(a)))) {
    throw new ValueError(`${where}: ${kind} 'axis' must be an integer or a list of integers, got ${JSON.stringify(axisRaw)}.`);
  }
  const axis = (axisRaw ?? 0) as number | number[];
  switch (kind) {
    case 'NonNeg':
      return new KerasConstraint('NonNeg', {});
    case 'UnitNorm':
      return new KerasConstraint('UnitNorm', { axis });
    case 'MaxNorm':
      return new KerasConstraint('MaxNorm', { maxValue: num('maxValue', 'max_value', 2), axis });
    default:
      return new KerasConstraint('MinMaxNorm', {
        minValue: num('minValue', 'min_value', 0),
        maxValue: num('maxValue', 'max_value', 1),
        rate: num('rate', 'rate', 1),
        axis,
      });
  }
}

/**
 * Resolves a `*Constraint` argument: 'maxNorm' / 'max_norm' / 'MaxNorm' (and the same three
 * spellings of nonNeg, unitNorm, minMaxNorm) with Keras defaults, a tfjs constraint object
 * (`tf.constraints.maxNorm({ maxValue: 3 })`), a serialized `{className, config}` (camelCase or
 * snake_case config keys), or any object with `apply(w)`. Throws naming `argName` otherwise.
 */
export function resolveConstraint(spec: unknown, argName: string, layer: string): Constraint | null {
  if (spec == null) return null;
  const where = `${layer}: argument '${argName}'`;
  if (typeof spec === 'string') {
    const c = constraintFrom(spec, {}, where);
    if (c) return c;
    throw new ValueError(`${where}: could not interpret constraint identifier '${spec}' (known: maxNorm, nonNeg, unitNorm, minMaxNorm).`);
  }
  if (typeof spec !== 'object') throw new ValueError(`${where}: could not interpret constraint identifier ${String(spec)}.`);
  const obj = spec as Record<string, unknown>;
  if (typeof obj.apply === 'function') {
    const inst = obj as unknown as { getClassName?(): string; getConfig?(): Record<string, unknown> };
    const className = typeof inst.getClassName === 'function' ? inst.getClassName() : '';
    const known = constraintFrom(className, typeof inst.getConfig === 'function' ? inst.getConfig() : {}, where);
    if (known) return known;
    return {
      apply: (w) => (obj.apply as (w: tf.Tensor) => tf.Tensor).call(obj, w),
      getClassName: () => className || 'CustomConstraint',
      getConfig: () => (typeof inst.getConfig === 'function' ? inst.getConfig() : {}),
    };
  }
  const dict = classDict(obj);
  if (dict) {
    const config = dict.config;
    const known = constraintFrom(dict.className, config, where);
    if (known) return known;
    const entry = tf.serialization.SerializationMap.getMap().classNameMap[dict.className];
    if (!entry) throw new ValueError(`${where}: unknown constraint class '${dict.className}' in ${JSON.stringify(spec)}.`);
    const [cls, fromConfig] = entry;
    return resolveConstraint(fromConfig(cls, config as tf.serialization.ConfigDict), argName, layer);
  }
  throw new ValueError(`${where}: could not interpret constraint identifier ${JSON.stringify(spec)}.`);
}

/** `{className, config}` for getConfig(), or null (round-trips through the resolvers). */
export function serializeWeightArg(value: Regularizer | Constraint | null): tf.serialization.ConfigDict | null {
  if (value == null) return null;
  return { className: value.getClassName(), config: value.getConfig() as tf.serialization.ConfigDict };
}

// ---------------------------------------------------------------------------------------
// Weight penalties and activity penalties as tfjs layer losses.

/**
 * Adds `regularizer(weight)` to the layer's losses (tfjs sums `model.calculateLosses()` into
 * the training loss of every step). The penalty is 0 while the weight or the layer is not
 * trainable, as in Keras.
 */
export function addWeightPenalty(layer: tf.layers.Layer, weight: tf.LayerVariable, regularizer: Regularizer | null): void {
  if (regularizer == null) return;
  installPenaltyInEvaluation();
  layer.addLoss(() => (layer.trainable && weight.trainable ? regularizer.apply(weight.read()) : tf.scalar(0)));
}

interface ActivityStore {
  /** Penalties of this step's training calls, kept (tf.keep) until the loss takes them. */
  pending: tf.Tensor[];
  /** Penalties the previous step's loss used; disposed at the next step (its backprop is over). */
  retired: tf.Tensor[];
}

/** > 0 while a model's test function runs (evaluate, validation): activity penalties are recorded. */
let evaluating = 0;

const activityStores = new WeakMap<tf.layers.Layer, ActivityStore>();

/**
 * Records the activity penalty of a layer's concrete outputs during a training call
 * (`kwargs.training`), once per output tensor (Keras penalises every returned tensor). The
 * penalties are tensors on the gradient tape of the current step, kept so that a caller's
 * `tf.tidy` (Bidirectional records its wrapped layers inside one) does not dispose them;
 * the layer loss registered on first use returns their sum, and they are disposed one step
 * later. Symbolic calls and inference calls record nothing.
 */
export function recordActivity(
  layer: tf.layers.Layer,
  regularizer: Regularizer | null,
  outputs: unknown,
  kwargs: Record<string, unknown> | undefined,
): void {
  if (regularizer == null || !(kwargs?.training || evaluating > 0)) return;
  const list = (Array.isArray(outputs) ? outputs : [outputs]).filter((o): o is tf.Tensor => o instanceof tf.Tensor);
  if (list.length === 0) return;
  installPenaltyInEvaluation();
  let store = activityStores.get(layer);
  if (!store) {
    const s: ActivityStore = { pending: [], retired: [] };
    activityStores.set(layer, s);
    layer.addLoss(() => {
      tf.dispose(s.retired);
      s.retired = s.pending.splice(0, s.pending.length);
      if (s.retired.length === 0) return tf.scalar(0);
      return (s.retired.length === 1 ? s.retired[0].clone() : tf.addN(s.retired)) as tf.Scalar;
    });
    store = s;
  }
  for (const o of list) store.pending.push(tf.keep(regularizer.apply(o)));
}

let evaluationInstalled = false;

/**
 * Keras's `evaluate` and validation loss include the regularization penalties; tfjs's do
 * not. This wraps `tf.LayersModel.prototype.makeTestFunction` (used by `evaluate`,
 * `evaluateDataset` and `fit`'s validation) so that the test function of a single-output
 * model records activity penalties while it runs and adds `calculateLosses()` to the loss
 * it returns. Installed with the first regularizer, so models without one run the stock
 * code. Idempotent.
 */
export function installPenaltyInEvaluation(): void {
  if (evaluationInstalled) return;
  evaluationInstalled = true;
  type TestFn = (data: tf.Tensor[]) => tf.Scalar[];
  interface ModelInternals {
    makeTestFunction(): void;
    testFunction: TestFn;
    lossFunctions: unknown[];
    calculateLosses(): tf.Scalar[];
  }
  const proto = tf.LayersModel.prototype as unknown as ModelInternals;
  const original = proto.makeTestFunction;
  proto.makeTestFunction = function (this: ModelInternals) {
    original.call(this);
    const test = this.testFunction;
    this.testFunction = (data) => {
      evaluating++;
      let outs: tf.Scalar[];
      try {
        outs = test(data);
      } finally {
        evaluating--;
      }
      if (this.lossFunctions.length !== 1) return outs;
      const penalties = tf.tidy(() => {
        const ls = this.calculateLosses();
        return ls.length === 0 ? tf.scalar(0) : tf.addN(ls);
      }) as tf.Scalar;
      const total = tf.add(outs[0], penalties) as tf.Scalar;
      tf.dispose([outs[0], penalties]);
      return [total, ...outs.slice(1)];
    };
  };
}

// ---------------------------------------------------------------------------------------
// Constraints after each optimizer step.

interface ConstrainedWeight {
  weight: tf.LayerVariable;
  /** The tf.Variable the LayerVariable wraps (read() throws once the layer is disposed). */
  variable: tf.Variable;
  layer: tf.layers.Layer;
  constraint: Constraint;
}

/** Constrained weights by the name of their tf.Variable (unique in the tfjs engine). */
const constrained = new Map<string, ConstrainedWeight>();

/** Registers `constraint` for `weight`; it is applied after each optimizer step that updates it. */
export function addWeightConstraint(layer: tf.layers.Layer, weight: tf.LayerVariable, constraint: Constraint | null): void {
  if (constraint == null) return;
  installConstraintStep();
  const variable = weight.read() as tf.Variable;
  constrained.set(variable.name, { weight, variable, layer, constraint });
}

/**
 * Projects the constrained weights among `variables` (all constrained weights when omitted)
 * through their constraints, as Keras's optimizer does after applying gradients. Weights of
 * layers that are not trainable are left alone. Called by the `minimize` wrapper below.
 */
export function applyConstraints(variables?: readonly tf.Variable[]): void {
  const names = variables ? new Set(variables.map((v) => v.name)) : null;
  for (const [name, entry] of constrained) {
    const v = entry.variable;
    if (v.isDisposed) {
      constrained.delete(name);
      continue;
    }
    if (names && !names.has(name)) continue;
    if (!entry.layer.trainable || !entry.weight.trainable) continue;
    const projected = entry.constraint.apply(v);
    v.assign(projected);
    projected.dispose();
  }
}

let installed = false;

/**
 * Makes `tf.Optimizer.prototype.minimize` (inherited by every tfjs optimizer and by
 * `rnn.adam`; `fit`, `fitDataset` and `trainOnBatch` call it once per batch) apply
 * `applyConstraints` to the variables it updated. Installed on the first constraint, so a
 * model without constraints runs exactly the stock code. Idempotent.
 */
export function installConstraintStep(): void {
  if (installed) return;
  installed = true;
  type Minimize = (f: () => tf.Scalar, returnCost?: boolean, varList?: tf.Variable[]) => tf.Scalar | null;
  const proto = tf.Optimizer.prototype as unknown as { minimize: Minimize };
  const original = proto.minimize;
  proto.minimize = function (this: tf.Optimizer, f, returnCost, varList) {
    const cost = original.call(this, f, returnCost, varList);
    if (constrained.size > 0) applyConstraints(varList);
    return cost;
  };
}

// ---------------------------------------------------------------------------------------
// Argument checking.

/** Arguments every layer accepts (tfjs base LayerArgs and Keras base Layer kwargs). */
export const BASE_LAYER_ARGS = [
  'name',
  'trainable',
  'dtype',
  'inputShape',
  'batchInputShape',
  'batchSize',
  'inputDType',
  'weights',
  'autocast',
  'activityRegularizer',
  // Not a user argument: tfjs's deserializer adds it to every layer config it rebuilds.
  'customObjects',
] as const;

/** Arguments of the Keras 3 recurrent layers (SimpleRNN, LSTM, GRU) in tfjs spelling, plus tfjs's own. */
export const RECURRENT_ARGS = [
  ...BASE_LAYER_ARGS,
  'units',
  'activation',
  'useBias',
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'recurrentRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'recurrentConstraint',
  'biasConstraint',
  'dropout',
  'recurrentDropout',
  'seed',
  'returnSequences',
  'returnState',
  'goBackwards',
  'stateful',
  'unroll',
  'useCudnn',
  // Keras 3 RNN kwarg (masks): implemented with masking in recurrent.ts.
  'zeroOutputForMask',
  // tfjs spellings: input shape shorthands; Keras 2 / tfjs options kept for loading old configs.
  'inputDim',
  'inputLength',
  'implementation',
  'timeMajor',
  // ours: the unfused reference path.
  'fused',
] as const;

/** Keras argument lists per layer class (tfjs camelCase). */
export const LAYER_ARGS: Record<string, readonly string[]> = {
  SimpleRNN: RECURRENT_ARGS,
  LSTM: [...RECURRENT_ARGS, 'recurrentActivation', 'unitForgetBias'],
  GRU: [...RECURRENT_ARGS, 'recurrentActivation', 'resetAfter'],
  Bidirectional: [...BASE_LAYER_ARGS, 'layer', 'mergeMode', 'backwardLayer'],
  Embedding: [
    ...BASE_LAYER_ARGS,
    'inputDim',
    'outputDim',
    'embeddingsInitializer',
    'embeddingsRegularizer',
    'embeddingsConstraint',
    'maskZero',
    'inputLength',
    'loraRank',
    'loraAlpha',
  ],
  Dense: [
    ...BASE_LAYER_ARGS,
    'units',
    'activation',
    'useBias',
    'kernelInitializer',
    'biasInitializer',
    'kernelRegularizer',
    'biasRegularizer',
    'kernelConstraint',
    'biasConstraint',
    'inputDim',
    'loraRank',
    'loraAlpha',
  ],
};

/**
 * Refuses what a layer cannot honour, naming the argument: unknown keys (a typo such as
 * `unit: 5` must not build a layer with the default), and the Keras arguments these layers
 * accept only at their no-op values: `dtype` other than float32, `useCudnn: true` (Keras
 * fails without a GPU too), `implementation` other than 1 or 2 (Keras 2: same numbers),
 * `timeMajor: true`, `loraRank` / `loraAlpha` (LoRA fine-tuning). Keys whose value is
 * `undefined` count as absent.
 */
export function checkLayerArgs(args: object, layer: keyof typeof LAYER_ARGS | string): void {
  const known = LAYER_ARGS[layer];
  if (!known) throw new Error(`checkLayerArgs: unknown layer class '${layer}'.`);
  const a = args as Record<string, unknown>;
  for (const key of Object.keys(a)) {
    if (a[key] === undefined) continue;
    if (!known.includes(key)) throw unrecognizedArgument(layer, key, known);
  }
  const refuse = (key: string, why: string) => {
    throw unsupportedArgument(layer, key, a[key], why);
  };
  checkBooleanArgs(a, layer);
  if (a.dtype != null && a.dtype !== 'float32') refuse('dtype', "the layers compute in float32 only (use 'float32')");
  if (a.useCudnn != null && a.useCudnn !== 'auto' && a.useCudnn !== false) {
    refuse('useCudnn', "the fused CPU/WebAssembly kernels are used instead of cuDNN (use 'auto' or false; the numbers are the same)");
  }
  if (a.implementation != null && a.implementation !== 1 && a.implementation !== 2) refuse('implementation', 'expected 1 or 2');
  if (a.timeMajor != null && a.timeMajor !== false) refuse('timeMajor', 'inputs are [batch, steps, features]');
  if (a.loraRank != null) refuse('loraRank', 'LoRA adapters are not implemented');
  if (a.loraAlpha != null) refuse('loraAlpha', 'LoRA adapters are not implemented');
}

/**
 * The boolean arguments of every layer (and `amsgrad`, `useEma` of `rnn.adam`). Keras documents them as
 * booleans; JavaScript would take any truthy value (`goBackwards: 'no'` would run backwards),
 * so anything but true / false is refused by name.
 */
export const BOOLEAN_ARGS = [
  'returnSequences',
  'returnState',
  'goBackwards',
  'stateful',
  'unroll',
  'useBias',
  'maskZero',
  'resetAfter',
  'unitForgetBias',
  'trainable',
  'zeroOutputForMask',
  'fused',
  'autocast',
  'timeMajor',
  'amsgrad',
  'useEma',
] as const;

/**
 * Refuses a boolean argument whose value is not true or false (undefined counts as absent),
 * naming it: the one check every layer and `rnn.adam` share.
 */
export function checkBooleanArgs(args: Record<string, unknown>, where: string): void {
  for (const key of BOOLEAN_ARGS) {
    const v = args[key];
    if (v !== undefined && typeof v !== 'boolean') {
      throw new ValueError(`${where}: argument '${key}' must be true or false, got ${typeof v === 'string' ? `'${v}'` : String(v)}.`);
    }
  }
}

/** The call arguments of `layer.apply(x, kwargs)`: Keras's `training`, `mask` and (recurrent layers) `initial_state`. */
export const CALL_KWARGS = {
  recurrent: ['training', 'mask', 'initialState'],
  plain: ['training', 'mask'],
} as const;

/**
 * Refuses a call argument a layer does not take, naming it (`initial_state` would otherwise be
 * dropped and the layer would start from zeros), with the camelCase hint for snake_case.
 * Keys whose value is undefined count as absent.
 */
export function checkCallKwargs(kwargs: Record<string, unknown> | undefined, layer: string, known: readonly string[]): void {
  if (kwargs == null) return;
  if (typeof kwargs !== 'object' || Array.isArray(kwargs) || kwargs instanceof tf.Tensor) {
    throw new TypeError(`${layer}: the second argument of apply() must be an object of call arguments (${known.join(', ')}), got ${String(kwargs)}.`);
  }
  for (const key of Object.keys(kwargs)) {
    if (kwargs[key] === undefined || known.includes(key)) continue;
    throw unrecognizedArgument(`${layer} apply()`, key, known);
  }
}

/**
 * A serialized dictionary in tfjs's `{className, config}` or Keras's `{class_name, config}`
 * form (Keras 3 adds `module` and `registered_name`), or null when `obj` is neither.
 */
export function classDict(obj: Record<string, unknown>): { className: string; config: Record<string, unknown> } | null {
  const name = obj.className ?? obj.class_name;
  if (typeof name !== 'string') return null;
  return { className: name, config: (obj.config ?? {}) as Record<string, unknown> };
}
