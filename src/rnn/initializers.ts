/**
 * Initializer handling for the layers: accepts the spellings users write (tfjs camelCase
 * identifiers, Keras snake_case identifiers, tfjs Initializer objects, or serialized
 * `{className, config}` dictionaries) and serializes them back for `getConfig()`.
 *
 * Keras defaults used by the layers: `glorot_uniform` kernels (limit sqrt(6/(fanIn+fanOut)),
 * so fanOut is 4u for an LSTM kernel and 3u for a GRU kernel, exactly what tfjs's
 * glorotUniform computes from the [in, G] shape), `orthogonal` recurrent kernels (QR of a
 * normal matrix, q·sign(diag r), transposed when wide: tfjs's `orthogonal` does the same)
 * and `zeros` biases.
 */
import * as tf from '@tensorflow/tfjs';
import { ValueError } from './errors';

/** What the layers accept for an initializer argument. */
export type InitializerSpec = string | { className: string; config?: Record<string, unknown> } | InitializerLike;

/** The part of a tfjs Initializer the layers use. */
export interface InitializerLike {
  apply(shape: number[], dtype?: tf.DataType): tf.Tensor;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
}

/**
 * Keras `orthogonal`: QR of a [max(r, c), min(r, c)] standard normal matrix, q scaled by
 * sign(diag r) (i.e. the QR with a positive diagonal, which modified Gram-Schmidt gives
 * directly), transposed when the weight is wide, times `gain`. Written here because tfjs's
 * version prints a "slowness may result" warning for any matrix over 2,000 elements (an
 * LSTM(32) recurrent kernel already is). Serializes as tfjs's 'Orthogonal'.
 */
export function orthogonal(gain = 1): InitializerLike {
  return {
    apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
      if (shape.length < 2) throw new ValueError('orthogonal initializer: the shape must be at least 2D.');
      const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const cols = shape[shape.length - 1];
      const m = Math.max(rows, cols);
      const n = Math.min(rows, cols);
      const normal = tf.randomNormal([n, m], 0, 1, 'float32').dataSync();
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
    getConfig: () => ({ gain, seed: null }),
  };
}

const IDENTIFIERS: Record<string, () => InitializerLike> = {
  zeros: () => tf.initializers.zeros() as unknown as InitializerLike,
  ones: () => tf.initializers.ones() as unknown as InitializerLike,
  glorotUniform: () => tf.initializers.glorotUniform({}) as unknown as InitializerLike,
  glorotNormal: () => tf.initializers.glorotNormal({}) as unknown as InitializerLike,
  heUniform: () => tf.initializers.heUniform({}) as unknown as InitializerLike,
  heNormal: () => tf.initializers.heNormal({}) as unknown as InitializerLike,
  leCunUniform: () => tf.initializers.leCunUniform({}) as unknown as InitializerLike,
  leCunNormal: () => tf.initializers.leCunNormal({}) as unknown as InitializerLike,
  orthogonal: () => orthogonal(1),
  identity: () => tf.initializers.identity({}) as unknown as InitializerLike,
  randomUniform: () => tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05 }) as unknown as InitializerLike,
  randomNormal: () => tf.initializers.randomNormal({ mean: 0, stddev: 0.05 }) as unknown as InitializerLike,
  truncatedNormal: () => tf.initializers.truncatedNormal({ mean: 0, stddev: 0.05 }) as unknown as InitializerLike,
};

function camel(id: string): string {
  const c = id.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());
  return c === 'uniform' ? 'randomUniform' : c === 'normal' ? 'randomNormal' : c;
}

/** Resolves an initializer argument, or throws naming the layer argument. */
export function resolveInitializer(spec: InitializerSpec | undefined, fallback: string, argName: string): InitializerLike {
  const s = spec ?? fallback;
  if (typeof s === 'string') {
    const make = IDENTIFIERS[camel(s)];
    if (!make) {
      throw new ValueError(`Unknown ${argName} '${s}'. Known: ${Object.keys(IDENTIFIERS).join(', ')}.`);
    }
    return make();
  }
  if (typeof (s as InitializerLike).apply === 'function') return s as InitializerLike;
  const dict = s as { className: string; config?: Record<string, unknown> };
  if (dict.className === 'Orthogonal') return orthogonal(Number(dict.config?.gain ?? 1));
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[dict.className];
  if (!entry) throw new ValueError(`Unknown ${argName} class '${dict.className}'.`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, (dict.config ?? {}) as tf.serialization.ConfigDict) as unknown as InitializerLike;
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
