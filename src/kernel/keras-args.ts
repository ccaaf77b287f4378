/**
 * The arguments of `compile`, `fit`, `evaluate` and `predict`, checked before tfjs sees them.
 * tfjs ignores keys it does not know and reads a number where it expects its args object as
 * "no args", so a Keras habit (`{ validation_split: 0.5 }`, `fit(x, y, 32, 2)`) trained with
 * the defaults and said nothing. Here:
 *
 * - an unknown key is refused by name, in the layers' wording (src/rnn/errors.ts,
 *   `unrecognizedArgument`); a snake_case Keras spelling of a tfjs argument names the camelCase
 *   one (`fit: unrecognized keyword argument 'validation_split' (use tfjs camelCase spelling,
 *   e.g. 'validationSplit'). Known arguments: …`);
 * - numbers (Keras's positional `batch_size, epochs`) are refused with the object to pass;
 * - `verbose` takes Keras's values (0, 1, 2, 'auto'); fit.ts honours them;
 * - `compile` accepts Keras's snake_case loss names and aliases (`'binary_crossentropy'`,
 *   `'mse'`) as the same tfjs functions, and the metric names tfjs has under another spelling
 *   (`'binary_accuracy'`); a Keras name tfjs has no function for is refused by name.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { unrecognizedArgument } from '../rnn/errors';

type Tf = typeof tfTypes;

/** What each wrapped method accepts (tfjs's own argument names). */
const ACCEPTED: Record<'fit' | 'evaluate' | 'predict' | 'compile', string[]> = {
  fit: ['batchSize', 'epochs', 'verbose', 'callbacks', 'validationSplit', 'validationData', 'shuffle', 'classWeight', 'sampleWeight', 'initialEpoch', 'stepsPerEpoch', 'validationSteps', 'yieldEvery'],
  evaluate: ['batchSize', 'verbose', 'sampleWeight', 'steps'],
  predict: ['batchSize', 'verbose'],
  compile: ['optimizer', 'loss', 'metrics'],
};

/** What to pass instead of positional numbers. */
const POSITIONAL_HINT: Record<'fit' | 'evaluate' | 'predict', string> = {
  fit: 'pass { batchSize, epochs }, e.g. model.fit(x, y, { batchSize: 32, epochs: 2 })',
  evaluate: 'pass { batchSize }, e.g. model.evaluate(x, y, { batchSize: 32 })',
  predict: 'pass { batchSize }, e.g. model.predict(x, { batchSize: 32 })',
};

/** Keras's `verbose` values; `fit` shows progress per fit.ts, the others print nothing either way. */
const VERBOSE = new Set<unknown>([0, 1, 2, 'auto']);

/**
 * Checks a method's args object: refuses numbers and other non-objects, unknown keys (naming
 * the camelCase spelling when there is one) and a `verbose` Keras would refuse.
 */
export function checkArgs(method: 'fit' | 'evaluate' | 'predict' | 'compile', args: unknown, extra: unknown[] = []): void {
  if (args === undefined && extra.length === 0) return;
  if (method !== 'compile' && (typeof args === 'number' || extra.some((a) => typeof a === 'number'))) {
    throw new TypeError(`${method}: positional arguments are not supported (Keras's ${method === 'fit' ? 'batch_size, epochs' : 'batch_size'}): ${POSITIONAL_HINT[method]}.`);
  }
  if (extra.some((a) => a !== undefined)) {
    throw new TypeError(`${method}: too many arguments; pass the options as one object (${ACCEPTED[method].join(', ')}).`);
  }
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new TypeError(`${method}: expected an options object { ${ACCEPTED[method].join(', ')} }, got ${args === null ? 'null' : Array.isArray(args) ? 'an array' : typeof args}.`);
  }
  const accepted = ACCEPTED[method];
  for (const key of Object.keys(args)) {
    if (!accepted.includes(key)) throw unrecognizedArgument(method, key, accepted);
  }
  if (method !== 'compile') {
    const v = (args as { verbose?: unknown }).verbose;
    if (v !== undefined && !VERBOSE.has(v)) throw new TypeError(`${method}: verbose must be 0, 1, 2 or 'auto' (as in Keras), got ${JSON.stringify(v) ?? String(v)}.`);
  }
}

/** Keras loss names (and aliases) -> tfjs's name of the same function. */
const KERAS_LOSSES: Record<string, string> = {
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  mean_squared_error: 'meanSquaredError',
  mse: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
  mae: 'meanAbsoluteError',
  mean_absolute_percentage_error: 'meanAbsolutePercentageError',
  mape: 'meanAbsolutePercentageError',
  mean_squared_logarithmic_error: 'meanSquaredLogarithmicError',
  msle: 'meanSquaredLogarithmicError',
  squared_hinge: 'squaredHinge',
  categorical_hinge: 'categoricalHinge',
  log_cosh: 'logcosh',
  kl_divergence: 'kullbackLeiblerDivergence',
  kld: 'kullbackLeiblerDivergence',
  kullback_leibler_divergence: 'kullbackLeiblerDivergence',
  cosine_similarity: 'cosineProximity',
};

/** Keras loss names tfjs has no function for. */
const NO_TFJS_LOSS = new Set(['huber', 'binary_focal_crossentropy', 'categorical_focal_crossentropy', 'ctc', 'dice', 'tversky', 'circle']);

/**
 * Keras metric names -> tfjs's spelling (the progress line and the history show the Keras
 * name again, display.ts). Keras names absent here and not accepted by tfjs are refused.
 */
const KERAS_METRICS: Record<string, string> = {
  binary_accuracy: 'binaryAccuracy',
  categorical_accuracy: 'categoricalAccuracy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
};

/** Keras metric names tfjs has under a short name only (the history key is then the short one). */
const METRIC_SHORT: Record<string, string> = {
  mean_squared_error: 'mse',
  mean_absolute_error: 'mae',
  mean_absolute_percentage_error: 'mape',
};

function lossName(name: unknown, where: string): unknown {
  if (typeof name !== 'string') return name;
  const t = KERAS_LOSSES[name];
  if (t) return t;
  if (NO_TFJS_LOSS.has(name)) throw new TypeError(`compile: the Keras loss '${name}' has no tfjs implementation here${where}; write it as a function (yTrue, yPred) => tensor.`);
  return name;
}

function metricName(name: unknown): unknown {
  if (typeof name !== 'string') return name;
  const t = KERAS_METRICS[name];
  if (t) return t;
  const short = METRIC_SHORT[name];
  if (short) throw new TypeError(`compile: metric '${name}' is spelled '${short}' in tfjs (metrics: ['${short}']).`);
  if (/_/.test(name)) throw new TypeError(`compile: unknown metric '${name}' (tfjs metrics: 'accuracy', 'binaryAccuracy', 'categoricalAccuracy', 'mse', 'mae', 'mape', 'precision', 'cosine', or a function (yTrue, yPred) => tensor).`);
  return name;
}

function mapValues(v: unknown, f: (x: unknown, where: string) => unknown): unknown {
  if (Array.isArray(v)) return v.map((x, i) => f(x, ` (output ${i})`));
  if (v !== null && typeof v === 'object' && typeof v !== 'function') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Array.isArray(x) ? x.map((y) => f(y, ` (output '${k}')`)) : f(x, ` (output '${k}')`)]));
  }
  return f(v, '');
}

/** `compile`'s args with Keras loss and metric names translated (checked first, see above). */
export function translateCompileArgs(args: unknown): unknown {
  checkArgs('compile', args);
  const a = args as Record<string, unknown>;
  const out: Record<string, unknown> = { ...a };
  if ('loss' in a) out.loss = mapValues(a.loss, lossName);
  if ('metrics' in a) out.metrics = mapValues(a.metrics, (m) => metricName(m));
  return out;
}

const INSTALLED = Symbol.for('rnn-notebook.keras-args-instrumented');

/**
 * Wraps `tf.LayersModel.prototype.compile`, `evaluate` and `predict` (a Sequential delegates
 * to its inner model) with the checks above; `fit` checks in fit.ts. Idempotent.
 */
export function instrumentKerasArgs(tf: Tf): void {
  const proto = tf.LayersModel.prototype as unknown as Record<PropertyKey, unknown>;
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const compile = proto.compile as (this: unknown, args: unknown) => void;
  proto.compile = function (this: unknown, args: unknown) {
    return compile.call(this, translateCompileArgs(args));
  };
  // Sequential.compile builds its inner model and then calls that model's compile (wrapped above).
  const evaluate = proto.evaluate as (this: unknown, ...a: unknown[]) => unknown;
  proto.evaluate = function (this: unknown, x: unknown, y: unknown, args?: unknown, ...extra: unknown[]) {
    checkArgs('evaluate', args, extra);
    return evaluate.call(this, x, y, args);
  };
  const predict = proto.predict as (this: unknown, ...a: unknown[]) => unknown;
  proto.predict = function (this: unknown, x: unknown, args?: unknown, ...extra: unknown[]) {
    checkArgs('predict', args, extra);
    return predict.call(this, x, args);
  };
}
