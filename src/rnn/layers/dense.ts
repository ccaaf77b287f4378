/**
 * Keras `Dense`: tfjs's Dense layer with Keras defaults (glorot_uniform kernel instead of
 * tfjs's glorotNormal), Keras-style auto names (`dense`, `dense_1`, ...) and a
 * `kerasClassName`. Registered under 'Dense' (it is a subclass of tfjs's Dense).
 */
import * as tf from '@tensorflow/tfjs';
import { uniqueLayerName } from '../names';

/** Arguments of `rnn.dense`: those of `tf.layers.dense`, with Keras defaults. */
export type DenseLayerArgs = Parameters<typeof tf.layers.dense>[0];

type DenseConstructor = new (args: DenseLayerArgs) => tf.layers.Layer;

/** tfjs does not export its Dense class; take it from an instance. */
const TfjsDense = (tf.layers.dense({ units: 1, name: '__rnn_probe_dense' }) as unknown as { constructor: DenseConstructor })
  .constructor;

export class Dense extends TfjsDense {
  static className = 'Dense';
  constructor(args: DenseLayerArgs) {
    super({
      ...args,
      name: args.name ?? uniqueLayerName('dense'),
      kernelInitializer: args.kernelInitializer ?? 'glorotUniform',
    });
  }

  /** Keras class name printed by summaries. */
  get kerasClassName(): string {
    return 'Dense';
  }
}

tf.serialization.registerClass(Dense as unknown as tf.serialization.SerializableConstructor<tf.layers.Layer>);
