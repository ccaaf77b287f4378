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

/** What the layers accept for an initializer argument. */
export type InitializerSpec = string | { className: string; config?: Record<string, unknown> } | InitializerLike;

/** The part of a tfjs Initializer the layers use. */
export interface InitializerLike {
  apply(shape: number[], dtype?: tf.DataType): tf.Tensor;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
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
  orthogonal: () => tf.initializers.orthogonal({}) as unknown as InitializerLike,
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
      throw new Error(`Unknown ${argName} '${s}'. Known: ${Object.keys(IDENTIFIERS).join(', ')}.`);
    }
    return make();
  }
  if (typeof (s as InitializerLike).apply === 'function') return s as InitializerLike;
  const dict = s as { className: string; config?: Record<string, unknown> };
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[dict.className];
  if (!entry) throw new Error(`Unknown ${argName} class '${dict.className}'.`);
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
