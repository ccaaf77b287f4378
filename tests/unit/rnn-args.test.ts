/**
 * Every argument of Keras 3's LSTM, GRU, SimpleRNN, Bidirectional, Embedding and Dense, in
 * tfjs camelCase, fed to our layers: each is honoured (visible in the layer, its config or
 * its weights) or refused with an error that names it; never ignored. Unknown keys (typos,
 * snake_case) are refused too. The argument lists are Keras 3's signatures
 * (keras/src/layers/rnn/{lstm,gru,simple_rnn,bidirectional}.py, core/{embedding,dense}.py,
 * plus the base Layer kwargs), written out here independently of src/rnn's own lists.
 *
 * Arguments another part of issue 8 implements inside the kernels (dropout, recurrentDropout,
 * stateful, unroll, maskZero, backwardLayer) are checked only for "accepted, or refused by
 * name" here; their semantics have their own golden tests.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';

type Layer = tf.layers.Layer;
type Check = (layer: Layer) => void;

const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
const cfg = (l: Layer) => l.getConfig() as Record<string, unknown>;
const built = (l: Layer, shape: number[]) => {
  l.apply(tf.zeros(shape));
  return l;
};

/** Keras 3 signatures (snake_case, as in the Python source). */
const RECURRENT_COMMON = [
  'units', 'activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer',
  'kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer',
  'kernel_constraint', 'recurrent_constraint', 'bias_constraint', 'dropout', 'recurrent_dropout', 'seed',
  'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'zero_output_for_mask',
];
const KERAS: Record<string, string[]> = {
  SimpleRNN: RECURRENT_COMMON,
  LSTM: [...RECURRENT_COMMON, 'recurrent_activation', 'unit_forget_bias', 'use_cudnn'],
  GRU: [...RECURRENT_COMMON, 'recurrent_activation', 'reset_after', 'use_cudnn'],
  Bidirectional: ['layer', 'merge_mode', 'weights', 'backward_layer'],
  Embedding: ['input_dim', 'output_dim', 'embeddings_initializer', 'embeddings_regularizer', 'embeddings_constraint', 'mask_zero', 'weights', 'lora_rank', 'input_length'],
  Dense: ['units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint', 'lora_rank', 'lora_alpha'],
};
/** Keras base Layer kwargs every layer takes (plus tfjs's shape spellings). */
const BASE = ['name', 'trainable', 'dtype', 'autocast', 'activity_regularizer', 'input_shape', 'batch_input_shape', 'batch_size'];

const MAKERS: Record<string, { make: (a: Record<string, unknown>) => Layer; required: Record<string, unknown>; input: number[] }> = {
  SimpleRNN: { make: (a) => rnn.simpleRNN(a as never), required: { units: 2 }, input: [1, 3, 4] },
  LSTM: { make: (a) => rnn.lstm(a as never), required: { units: 2 }, input: [1, 3, 4] },
  GRU: { make: (a) => rnn.gru(a as never), required: { units: 2 }, input: [1, 3, 4] },
  Bidirectional: { make: (a) => rnn.bidirectional(a as never), required: { layer: rnn.lstm({ units: 2 }) }, input: [1, 3, 4] },
  Embedding: { make: (a) => rnn.embedding(a as never), required: { inputDim: 5, outputDim: 2 }, input: [1, 3] },
  Dense: { make: (a) => rnn.dense(a as never), required: { units: 2 }, input: [1, 4] },
};

/** Which tfjs weight of a fresh layer; used for `weights`. */
const weightShapes: Record<string, number[][]> = {
  Bidirectional: [[4, 8], [2, 8], [8], [4, 8], [2, 8], [8]],
  Embedding: [[5, 2]],
};

const reg = { className: 'L2', config: { l2: 0.01 } };
const nonNeg = { className: 'NonNeg', config: {} };

/** A non-default value for each argument, and how to see that it was honoured. */
const SAMPLES: Record<string, { value: unknown; honoured?: Check; refused?: true; ownedElsewhere?: true }> = {
  units: { value: 7, honoured: (l) => expect(cfg(l).units).toBe(7) },
  activation: { value: 'relu', honoured: (l) => expect(cfg(l).activation).toBe('relu') },
  recurrentActivation: { value: 'tanh', honoured: (l) => expect(cfg(l).recurrentActivation).toBe('tanh') },
  useBias: { value: false, honoured: (l) => expect(cfg(l).useBias).toBe(false) },
  kernelInitializer: { value: 'ones', honoured: (l) => expect((cfg(l).kernelInitializer as { className: string }).className).toBe('Ones') },
  recurrentInitializer: { value: 'ones', honoured: (l) => expect((cfg(l).recurrentInitializer as { className: string }).className).toBe('Ones') },
  biasInitializer: { value: 'ones', honoured: (l) => expect((cfg(l).biasInitializer as { className: string }).className).toBe('Ones') },
  embeddingsInitializer: { value: 'ones', honoured: (l) => expect((cfg(l).embeddingsInitializer as { className: string }).className).toBe('Ones') },
  unitForgetBias: { value: false, honoured: (l) => expect(cfg(l).unitForgetBias).toBe(false) },
  resetAfter: { value: false, honoured: (l) => expect(cfg(l).resetAfter).toBe(false) },
  kernelRegularizer: { value: 'l2', honoured: (l) => expect(cfg(l).kernelRegularizer).toEqual(reg) },
  recurrentRegularizer: { value: 'l2', honoured: (l) => expect(cfg(l).recurrentRegularizer).toEqual(reg) },
  biasRegularizer: { value: 'l2', honoured: (l) => expect(cfg(l).biasRegularizer).toEqual(reg) },
  activityRegularizer: { value: 'l2', honoured: (l) => expect(cfg(l).activityRegularizer).toEqual(reg) },
  embeddingsRegularizer: { value: 'l2', honoured: (l) => expect(cfg(l).embeddingsRegularizer).toEqual(reg) },
  kernelConstraint: { value: 'nonNeg', honoured: (l) => expect(cfg(l).kernelConstraint).toEqual(nonNeg) },
  recurrentConstraint: { value: 'nonNeg', honoured: (l) => expect(cfg(l).recurrentConstraint).toEqual(nonNeg) },
  biasConstraint: { value: 'nonNeg', honoured: (l) => expect(cfg(l).biasConstraint).toEqual(nonNeg) },
  embeddingsConstraint: { value: 'nonNeg', honoured: (l) => expect(cfg(l).embeddingsConstraint).toEqual(nonNeg) },
  seed: { value: 3, honoured: (l) => expect(cfg(l).seed).toBe(3) },
  returnSequences: { value: true, honoured: (l) => expect(cfg(l).returnSequences).toBe(true) },
  returnState: { value: true, honoured: (l) => expect(cfg(l).returnState).toBe(true) },
  goBackwards: { value: true, honoured: (l) => expect(cfg(l).goBackwards).toBe(true) },
  useCudnn: { value: true, refused: true },
  mergeMode: { value: 'sum', honoured: (l) => expect(cfg(l).mergeMode).toBe('sum') },
  layer: { value: rnn.gru({ units: 3 }), honoured: (l) => expect((cfg(l).layer as { className: string }).className).toBe('GRU') },
  inputDim: { value: 6, honoured: (l) => expect(cfg(l).inputDim).toBe(6) },
  outputDim: { value: 3, honoured: (l) => expect(cfg(l).outputDim).toBe(3) },
  inputLength: { value: 3, honoured: (l) => expect(cfg(l).inputLength).toBe(3) },
  loraRank: { value: 4, refused: true },
  loraAlpha: { value: 8, refused: true },
  name: { value: 'my_layer', honoured: (l) => expect(l.name).toBe('my_layer') },
  trainable: { value: false, honoured: (l) => expect(l.trainable).toBe(false) },
  dtype: { value: 'float16', refused: true },
  autocast: { value: false, honoured: () => undefined }, // float32 only: autocasting has nothing to cast
  inputShape: { value: [3, 4], honoured: (l) => expect((cfg(l).batchInputShape as number[]).slice(1)).toEqual([3, 4]) },
  batchInputShape: { value: [2, 3, 4], honoured: (l) => expect(cfg(l).batchInputShape).toEqual([2, 3, 4]) },
  batchSize: { value: 2, honoured: () => undefined }, // checked with inputShape below
  dropout: { value: 0.2, ownedElsewhere: true },
  recurrentDropout: { value: 0.2, ownedElsewhere: true },
  stateful: { value: true, ownedElsewhere: true },
  unroll: { value: true, ownedElsewhere: true },
  maskZero: { value: true, ownedElsewhere: true },
  zeroOutputForMask: { value: true, ownedElsewhere: true },
  backwardLayer: { value: rnn.lstm({ units: 2, goBackwards: true }), ownedElsewhere: true },
  weights: { value: null, honoured: () => undefined }, // checked below with real tensors
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('every Keras argument is honoured or refused by name', () => {
  for (const [layerName, kerasArgs] of Object.entries(KERAS)) {
    describe(layerName, () => {
      const { make, required, input } = MAKERS[layerName];
      const names = [...new Set([...kerasArgs, ...BASE])].map(camel);
      for (const key of names) {
        it(key, () => {
          const sample = SAMPLES[key];
          expect(sample, `no sample value for '${key}'`).toBeDefined();
          if (key === 'weights' || key === 'batchSize') return; // below
          const args = { ...required, [key]: sample.value };
          if (key === 'inputShape' || key === 'batchInputShape') {
            if (layerName === 'Embedding') args[key] = key === 'inputShape' ? [3] : [2, 3];
            if (layerName === 'Dense') args[key] = key === 'inputShape' ? [4] : [2, 4];
          }
          let layer: Layer | null = null;
          let error: Error | null = null;
          try {
            layer = make(args);
          } catch (e) {
            error = e as Error;
          }
          if (sample.refused) {
            expect(error?.message, `'${key}' should be refused by name`).toContain(`'${key}'`);
            return;
          }
          if (sample.ownedElsewhere) {
            if (error) expect(error.message).toContain(`'${key}'`);
            return;
          }
          expect(error, `'${key}' threw: ${error?.message}`).toBeNull();
          if (key === 'inputShape' || key === 'batchInputShape') {
            const m = tf.sequential({ layers: [layer!] });
            expect(m.inputs[0].shape.slice(1)).toEqual((args[key] as number[]).slice(key === 'inputShape' ? 0 : 1));
            return;
          }
          sample.honoured!(layer!);
          tf.tidy(() => void built(layer!, key === 'inputDim' && layerName !== 'Embedding' ? [1, 3, 6].slice(layerName === 'Dense' ? 1 : 0) : input));
        });
      }

      it('weights: initial values in Keras get_weights() order', () => {
        const probe = built(make({ ...required }), input);
        const shapes = weightShapes[layerName] ?? probe.getWeights().map((w) => w.shape);
        const values = shapes.map((s, i) => tf.fill(s, 0.1 * (i + 1)));
        const l = make({ ...required, weights: values, ...(layerName === 'Bidirectional' ? { layer: rnn.lstm({ units: 2 }) } : {}) });
        tf.tidy(() => void built(l, input));
        l.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(values[i].dataSync())));
      });

      it('batchSize with inputShape fixes the batch dimension', () => {
        const shape = layerName === 'Embedding' ? [3] : layerName === 'Dense' ? [4] : [3, 4];
        const m = tf.sequential({ layers: [make({ ...required, inputShape: shape, batchSize: 2 })] });
        expect(m.inputs[0].shape).toEqual([2, ...shape]);
      });

      it('refuses unknown keys by name (a typo must not build a default layer)', () => {
        expect(() => make({ ...required, unit: 5 })).toThrow(new RegExp(`${layerName}: unrecognized keyword argument 'unit'`));
        // The camelCase hint names an argument the layer has (every layer takes inputShape).
        expect(() => make({ ...required, input_shape: [3] })).toThrow(/'input_shape'.*camelCase.*'inputShape'/);
        expect(() => make({ ...required, kernel_regularizer: 'l2' })).toThrow(/'kernel_regularizer'/);
      });

      it('accepts its own getConfig() back (fromConfig round trip)', () => {
        const l = make({ ...required });
        const cls = l.constructor as unknown as new (c: unknown) => Layer;
        const again = new cls(l.getConfig());
        expect({ ...cfg(again), name: '' }).toEqual({ ...cfg(l), name: '' });
      });
    });
  }

  it('trainable: false on Bidirectional freezes both wrapped layers (Keras propagates it)', () => {
    for (const late of [false, true]) {
      const b = rnn.bidirectional({ layer: rnn.lstm({ units: 2, kernelRegularizer: 'l2' }), ...(late ? {} : { trainable: false }) });
      const m = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [3, 4] }), b, rnn.dense({ units: 1 })] });
      if (late) b.trainable = false;
      expect(m.trainableWeights.length, `late=${late}`).toBe(2); // the Dense kernel and bias only
      expect(b.nonTrainableWeights.length).toBe(6);
      // Keras counts weight penalties of trainable weights only.
      expect(tf.tidy(() => b.calculateLosses().reduce((a, l) => a + l.dataSync()[0], 0))).toBe(0);
      b.trainable = true;
      expect(m.trainableWeights.length).toBe(8);
    }
  });

  it('no Keras argument is left without a check', () => {
    for (const args of Object.values(KERAS)) for (const a of [...args, ...BASE]) expect(SAMPLES[camel(a)], a).toBeDefined();
  });

  it("recurrent layers: 'useCudnn' 'auto' / false, 'implementation' 1 / 2 and 'timeMajor' false are accepted (same numbers); other values refused", () => {
    for (const ok of [{ useCudnn: 'auto' }, { useCudnn: false }, { implementation: 1 }, { implementation: 2 }, { timeMajor: false }, { dtype: 'float32' }]) {
      expect(() => rnn.lstm({ units: 2, ...ok } as never), JSON.stringify(ok)).not.toThrow();
    }
    expect(() => rnn.gru({ units: 2, implementation: 3 })).toThrow(/'implementation'/);
    expect(() => rnn.simpleRNN({ units: 2, timeMajor: true })).toThrow(/'timeMajor'/);
  });

  it('a 2-D input is refused with its shape as Keras prints it (None for the batch), not "[, 5]"', () => {
    const m = tf.sequential();
    m.add(rnn.embedding({ inputDim: 20, outputDim: 4, inputLength: 6 }));
    m.add(rnn.lstm({ units: 5 }));
    expect(() => m.add(rnn.lstm({ units: 5 }))).toThrow(/expects input of shape \[batch, steps, features\], got \[None, 5\]\./);
  });
});
