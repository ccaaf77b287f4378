/**
 * Initializer handling for the layers: accepts the spellings users write (Keras snake_case
 * identifiers such as 'lecun_normal', tfjs camelCase identifiers such as 'leCunNormal', the
 * class names 'GlorotUniform' / 'Orthogonal', tfjs Initializer objects, and serialized
 * dictionaries in Keras's `{class_name, config}` or tfjs's `{className, config}` form) and
 * serializes them back for `getConfig()`.
 *
 * Every Keras 3 built-in (keras/src/initializers/{constant,random}_initializers.py) is
 * implemented here with Keras's definition, which differs from tfjs's in places:
 * - `VarianceScaling(scale = 1, mode = 'fan_in', distribution = 'truncated_normal')`: with
 *   n the fan (Keras `compute_fans`: [in, out] for 2-D shapes, the receptive field times the
 *   last two dims for more, shape[0] for 1-D), `truncated_normal` draws from a normal with
 *   stddev sqrt(scale / n) / 0.87962566103423978 truncated at 2 stddev ('normal' is Keras's
 *   alias of it), `untruncated_normal` from a plain normal with stddev sqrt(scale / n), and
 *   `uniform` from U(-sqrt(3 scale / n), +sqrt(3 scale / n)). tfjs's 'normal' leaves out the
 *   0.8796 correction, so tfjs's glorotNormal / heNormal / leCunNormal are narrower than
 *   Keras's: the names here mean Keras's.
 * - `GlorotUniform` / `GlorotNormal` = VarianceScaling(1, 'fan_avg'), `HeUniform` / `HeNormal`
 *   = VarianceScaling(2, 'fan_in'), `LecunUniform` / `LecunNormal` = VarianceScaling(1, 'fan_in'),
 *   uniform or truncated normal.
 * - `RandomNormal(mean = 0, stddev = 0.05)`, `RandomUniform(minval = -0.05, maxval = 0.05)`,
 *   `TruncatedNormal(mean = 0, stddev = 0.05)` (redrawn beyond 2 stddev), `Zeros`, `Ones`,
 *   `Constant(value = 0)`, `Identity(gain = 1)` (`gain · eye(rows, cols)`, rectangular allowed;
 *   tfjs's needs a square), `Orthogonal(gain = 1)` (below).
 * - `seed` is passed to tfjs's generators: a seeded initializer gives the same values on
 *   every call, as in Keras (the values themselves differ from Keras's generator).
 * Config keys that a class does not have are refused by name, like unknown layer arguments.
 *
 * Keras defaults used by the layers: `glorot_uniform` kernels (limit sqrt(6/(fanIn+fanOut)),
 * so fanOut is 4u for an LSTM kernel and 3u for a GRU kernel), `orthogonal` recurrent kernels
 * and `zeros` biases; the Embedding's 'uniform' = U(-0.05, 0.05).
 */
import * as tf from '@tensorflow/tfjs';
import { ValueError } from './errors';
import { classDict } from './layers/weight-args';

/** What the layers accept for an initializer argument. */
export type InitializerSpec =
  | string
  | { className: string; config?: Record<string, unknown> }
  | { class_name: string; config?: Record<string, unknown> }
  | InitializerLike;

/** The part of a tfjs Initializer the layers use. */
export interface InitializerLike {
  apply(shape: number[], dtype?: tf.DataType): tf.Tensor;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
}

type Config = Record<string, unknown>;
type Seed = number | undefined;

/**
 * Keras `orthogonal`: QR of a [max(r, c), min(r, c)] standard normal matrix, q scaled by
 * sign(diag r) (i.e. the QR with a positive diagonal, which modified Gram-Schmidt gives
 * directly), transposed when the weight is wide, times `gain`. Written here because tfjs's
 * version prints a "slowness may result" warning for any matrix over 2,000 elements (an
 * LSTM(32) recurrent kernel already is). Serializes as 'Orthogonal'.
 */
export function orthogonal(gain = 1, seed: number | null = null): InitializerLike {
  return {
    apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
      if (shape.length < 2) throw new ValueError('orthogonal initializer: the shape must be at least 2D.');
      const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const cols = shape[shape.length - 1];
      const m = Math.max(rows, cols);
      const n = Math.min(rows, cols);
      const normalT = tf.randomNormal([n, m], 0, 1, 'float32', seed ?? undefined);
      const normal = normalT.dataSync();
      normalT.dispose();
      // Columns of the [m, n] matrix, stored as n vectors of length m (Float64).
      const q: Float64Array[] = [];
      for (let j = 0; j < n; j++) {
        const v = Float64Array.from(normal.subarray(j * m, (j + 1) * m));
        for (const u of q) {
          let d = 0;
          for (let i = 0; i < m; i++) d += u[i] * v[i];
          for (let i = 0; i < m; i++) v[i] -= d * u[i];
        }
        let norm = 0;
        for (let i = 0; i < m; i++) norm += v[i] * v[i];
        norm = Math.sqrt(norm) || 1;
        for (let i = 0; i < m; i++) v[i] /= norm;
        q.push(v);
      }
      // q as an [m, n] matrix; the weight is [rows, cols]: q itself when rows >= cols, else qᵀ.
      const out = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (rows >= cols ? q[c][r] : q[r][c]);
      }
      return tf.tensor(out, shape, dtype ?? 'float32');
    },
    getClassName: () => 'Orthogonal',
    getConfig: () => ({ gain, seed }),
  };
}

/** Keras `compute_fans`. */
function computeFans(shape: number[]): [number, number] {
  if (shape.length < 1) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

/** One Keras initializer class: its config keys with their defaults, and how it draws. */
interface InitializerClass {
  defaults: Config;
  /** Checks a complete config (defaults filled in); throws a ValueError naming the bad key. */
  check?(config: Config, where: string): void;
  draw(config: Config, shape: number[], dtype: tf.DataType): tf.Tensor;
  /** Glorot / He / Lecun: tfjs's serialized scale, mode and distribution are accepted when they agree. */
  fixedVariance?: true;
}

const MODES: Record<string, string> = { fan_in: 'fan_in', fanin: 'fan_in', fan_out: 'fan_out', fanout: 'fan_out', fan_avg: 'fan_avg', fanavg: 'fan_avg' };
const DISTRIBUTIONS: Record<string, string> = {
  uniform: 'uniform',
  normal: 'truncated_normal',
  truncated_normal: 'truncated_normal',
  truncatednormal: 'truncated_normal',
  untruncated_normal: 'untruncated_normal',
  untruncatednormal: 'untruncated_normal',
};

function seedOf(config: Config): Seed {
  return config.seed == null ? undefined : (config.seed as number);
}

function varianceScaling(scale: number, mode: string, distribution: string): InitializerClass {
  return {
    defaults: { scale, mode, distribution, seed: null },
    check(c, where) {
      if (typeof c.scale !== 'number' || !(c.scale > 0)) throw new ValueError(`${where}: 'scale' must be a positive number, got ${String(c.scale)}.`);
      const m = typeof c.mode === 'string' ? MODES[c.mode.toLowerCase()] : undefined;
      if (!m) throw new ValueError(`${where}: 'mode' must be one of 'fan_in', 'fan_out', 'fan_avg', got ${JSON.stringify(c.mode)}.`);
      const d = typeof c.distribution === 'string' ? DISTRIBUTIONS[c.distribution.toLowerCase()] : undefined;
      if (!d) throw new ValueError(`${where}: 'distribution' must be one of 'truncated_normal', 'untruncated_normal', 'uniform', got ${JSON.stringify(c.distribution)}.`);
      c.mode = m;
      c.distribution = d;
    },
    draw(c, shape, dtype) {
      const [fanIn, fanOut] = computeFans(shape);
      let s = c.scale as number;
      if (c.mode === 'fan_in') s /= Math.max(1, fanIn);
      else if (c.mode === 'fan_out') s /= Math.max(1, fanOut);
      else s /= Math.max(1, (fanIn + fanOut) / 2);
      const seed = seedOf(c);
      if (c.distribution === 'truncated_normal') return tf.truncatedNormal(shape, 0, Math.sqrt(s) / 0.87962566103423978, dtype as 'float32', seed);
      if (c.distribution === 'untruncated_normal') return tf.randomNormal(shape, 0, Math.sqrt(s), dtype as 'float32', seed);
      const limit = Math.sqrt(3 * s);
      return tf.randomUniform(shape, -limit, limit, dtype, seed);
    },
  };
}

/** A VarianceScaling subclass with fixed scale, mode and distribution (Glorot, He, Lecun). */
function fixedVarianceScaling(scale: number, mode: string, distribution: string): InitializerClass {
  const vs = varianceScaling(scale, mode, distribution);
  return {
    defaults: { seed: null },
    fixedVariance: true,
    // tfjs serializes these with their VarianceScaling parameters: accepted when they agree.
    check(c, where) {
      const full = { ...vs.defaults, ...c };
      vs.check!(full, where);
      for (const k of ['scale', 'mode', 'distribution'] as const) {
        if (c[k] !== undefined && full[k] !== vs.defaults[k]) {
          throw new ValueError(`${where}: '${k}' is fixed to ${JSON.stringify(vs.defaults[k])} for this initializer, got ${JSON.stringify(c[k])} (use VarianceScaling).`);
        }
        delete c[k];
      }
    },
    draw: (c, shape, dtype) => vs.draw({ ...vs.defaults, seed: c.seed }, shape, dtype),
  };
}

function numbers(c: Config, keys: string[], where: string): void {
  for (const k of keys) {
    if (typeof c[k] !== 'number' || !Number.isFinite(c[k])) throw new ValueError(`${where}: '${k}' must be a number, got ${JSON.stringify(c[k])}.`);
  }
}

/** Keras 3's built-in initializers by class name (the spelling getConfig() writes). */
const CLASSES: Record<string, InitializerClass> = {
  Zeros: { defaults: {}, draw: (_c, shape, dtype) => tf.zeros(shape, dtype) },
  Ones: { defaults: {}, draw: (_c, shape, dtype) => tf.ones(shape, dtype) },
  Constant: {
    defaults: { value: 0 },
    check: (c, where) => numbers(c, ['value'], where),
    draw: (c, shape, dtype) => tf.fill(shape, c.value as number, dtype),
  },
  RandomNormal: {
    defaults: { mean: 0, stddev: 0.05, seed: null },
    check: (c, where) => numbers(c, ['mean', 'stddev'], where),
    draw: (c, shape, dtype) => tf.randomNormal(shape, c.mean as number, c.stddev as number, dtype as 'float32', seedOf(c)),
  },
  RandomUniform: {
    defaults: { minval: -0.05, maxval: 0.05, seed: null },
    check: (c, where) => numbers(c, ['minval', 'maxval'], where),
    draw: (c, shape, dtype) => tf.randomUniform(shape, c.minval as number, c.maxval as number, dtype, seedOf(c)),
  },
  TruncatedNormal: {
    defaults: { mean: 0, stddev: 0.05, seed: null },
    check: (c, where) => numbers(c, ['mean', 'stddev'], where),
    draw: (c, shape, dtype) => tf.truncatedNormal(shape, c.mean as number, c.stddev as number, dtype as 'float32', seedOf(c)),
  },
  VarianceScaling: varianceScaling(1, 'fan_in', 'truncated_normal'),
  GlorotUniform: fixedVarianceScaling(1, 'fan_avg', 'uniform'),
  GlorotNormal: fixedVarianceScaling(1, 'fan_avg', 'truncated_normal'),
  HeUniform: fixedVarianceScaling(2, 'fan_in', 'uniform'),
  HeNormal: fixedVarianceScaling(2, 'fan_in', 'truncated_normal'),
  LecunUniform: fixedVarianceScaling(1, 'fan_in', 'uniform'),
  LecunNormal: fixedVarianceScaling(1, 'fan_in', 'truncated_normal'),
  Orthogonal: {
    defaults: { gain: 1, seed: null },
    check: (c, where) => numbers(c, ['gain'], where),
    draw: (c, shape, dtype) => orthogonal(c.gain as number, (c.seed as number | null) ?? null).apply(shape, dtype),
  },
  Identity: {
    defaults: { gain: 1 },
    check: (c, where) => numbers(c, ['gain'], where),
    draw(c, shape, dtype) {
      if (shape.length !== 2) throw new ValueError(`Identity initializer can only be used for 2D matrices, got shape [${shape.join(', ')}].`);
      return tf.tidy(() => tf.mul(tf.eye(shape[0], shape[1], undefined, dtype as 'float32'), c.gain as number));
    },
  },
};

/**
 * Every spelling of a class, lowercased without underscores: Keras's snake_case identifiers
 * and class names (with its aliases 'normal', 'uniform', 'one', 'zero', 'IdentityInitializer',
 * 'OrthogonalInitializer'), tfjs's camelCase identifiers and class names ('leCunNormal').
 */
const ALIASES: Record<string, string> = {
  ...Object.fromEntries(Object.keys(CLASSES).map((k) => [k.toLowerCase(), k])),
  zero: 'Zeros',
  one: 'Ones',
  normal: 'RandomNormal',
  uniform: 'RandomUniform',
  identityinitializer: 'Identity',
  orthogonalinitializer: 'Orthogonal',
};

const normalizeName = (s: string) => s.replace(/_/g, '').toLowerCase();

/** A resolved Keras initializer (serializes as `{className, config}` with Keras's config keys). */
class KerasInitializer implements InitializerLike {
  constructor(
    private readonly className: string,
    private readonly config: Config,
  ) {}
  apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    return CLASSES[this.className].draw(this.config, shape, dtype ?? 'float32');
  }
  getClassName(): string {
    return this.className;
  }
  getConfig(): Record<string, unknown> {
    return { ...this.config };
  }
}

function fromClass(className: string, config: Config, where: string): KerasInitializer {
  const cls = CLASSES[className];
  const given: Config = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined) continue;
    // tfjs's converted Keras JSON and Keras's snake_case keys are the same words here.
    const key = k.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());
    given[key] = v;
  }
  const c: Config = { ...cls.defaults };
  const extras: Config = {};
  for (const [k, v] of Object.entries(given)) {
    if (k in cls.defaults) c[k] = v;
    else extras[k] = v;
  }
  // Fixed-parameter VarianceScaling classes may carry tfjs's scale / mode / distribution.
  if (cls.fixedVariance) {
    for (const k of ['scale', 'mode', 'distribution']) if (k in extras) c[k] = extras[k];
    for (const k of ['scale', 'mode', 'distribution']) delete extras[k];
  }
  const unknown = Object.keys(extras);
  if (unknown.length > 0) {
    const known = Object.keys(cls.defaults);
    throw new ValueError(
      `${where}: unrecognized argument '${unknown[0]}' for initializer ${className} (its arguments: ${known.length ? known.join(', ') : 'none'}).`,
    );
  }
  if (c.seed != null && (typeof c.seed !== 'number' || !Number.isInteger(c.seed))) {
    throw new ValueError(`${where}: 'seed' must be an integer or null, got ${JSON.stringify(c.seed)}.`);
  }
  cls.check?.(c, `${where} (${className})`);
  return new KerasInitializer(className, c);
}

const KNOWN_NAMES = "e.g. 'glorot_uniform', 'orthogonal', 'zeros', 'lecun_normal', 'he_uniform', 'variance_scaling', 'truncated_normal', 'random_uniform', 'constant', 'identity'";

/** Resolves an initializer argument, or throws naming the layer argument and what was given. */
export function resolveInitializer(spec: InitializerSpec | null | undefined, fallback: string, argName: string): InitializerLike {
  const s: unknown = spec === undefined ? fallback : spec;
  if (s === null) {
    throw new ValueError(`Unknown ${argName} null: give an initializer name (${KNOWN_NAMES}) or leave it out for the default '${fallback}'.`);
  }
  if (typeof s === 'string') {
    const className = ALIASES[normalizeName(s)];
    if (!className) throw new ValueError(`Unknown ${argName} '${s}'. Known: ${KNOWN_NAMES} (Keras or tfjs spelling, or the class name).`);
    return fromClass(className, {}, argName);
  }
  if (typeof s !== 'object') throw new ValueError(`Unknown ${argName} ${String(s)}: expected an initializer name, object or {class_name, config}.`);
  const obj = s as Record<string, unknown>;
  if (typeof obj.apply === 'function') return obj as unknown as InitializerLike;
  const dict = classDict(obj);
  if (!dict) {
    throw new ValueError(
      `Unknown ${argName} ${describe(obj)}: expected an initializer name (${KNOWN_NAMES}), a tfjs initializer, or a dictionary {class_name, config} / {className, config}.`,
    );
  }
  for (const k of Object.keys(obj)) {
    if (!['className', 'class_name', 'config', 'module', 'registered_name'].includes(k)) {
      throw new ValueError(`${argName}: unrecognized key '${k}' in ${describe(obj)} (expected {class_name, config} or {className, config}).`);
    }
  }
  const { className: name, config } = dict;
  if (typeof config !== 'object') throw new ValueError(`${argName}: 'config' of initializer '${name}' must be a dictionary, got ${describe(config)}.`);
  const className = ALIASES[normalizeName(name)];
  if (className) return fromClass(className, config, argName);
  // A class registered with tfjs's serialization (a custom initializer).
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[name];
  if (!entry) throw new ValueError(`Unknown ${argName} class '${name}' in ${describe(obj)}. Known: ${Object.keys(CLASSES).join(', ')}.`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, config as tf.serialization.ConfigDict) as unknown as InitializerLike;
}

function describe(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return String(v);
  }
}

/** Serializes an initializer the way tfjs-layers does (`{className, config}`). */
export function serializeInitializer(init: InitializerLike): tf.serialization.ConfigDict {
  return { className: init.getClassName(), config: init.getConfig() as tf.serialization.ConfigDict };
}

/**
 * Wraps a bias initializer so that the forget-gate block [u, 2u) starts at 1
 * (Keras `unit_forget_bias=True`).
 */
export function unitForgetBias(base: InitializerLike, units: number): InitializerLike {
  return {
    apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
      return tf.tidy(() => {
        const b = base.apply(shape, dtype).dataSync().slice();
        for (let j = units; j < 2 * units; j++) b[j] = 1;
        return tf.tensor(b, shape, dtype ?? 'float32');
      });
    },
    getClassName: () => base.getClassName(),
    getConfig: () => base.getConfig(),
  };
}
