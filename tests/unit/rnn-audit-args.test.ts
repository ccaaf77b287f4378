/**
 * Findings of a student's audit of the argument handling, each with the Keras 3 behaviour it
 * now follows (or the refusal by name that replaces a silent default):
 * 1. `activation: null` is linear (Keras `None`), not the default; `recurrentActivation: null` too.
 * 2. `rnn.adam` refuses unknown keys (`learning_rate`, `lr`) and unimplemented Keras options by name.
 * 3. Keras-style positional calls: `rnn.bidirectional(layer)`, `rnn.gru(5)`, `rnn.embedding(V, E)`,
 *    `rnn.dense(1)`, `rnn.adam(0.01)`; `rnn.LSTM({...})` without `new` says what to write.
 * 4. Unknown call arguments (`initial_state`) are refused by name.
 * 5. Boolean arguments accept only true / false.
 * 6. Embedding casts float ids to int32 (truncation), as Keras 3 does.
 * 7. Every Keras 3 initializer name and class, and `{class_name, config}` dictionaries.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => rnn.resetLayerNames());

const arr = (t: unknown) => Array.from((t as tf.Tensor).dataSync());
const cfg = (l: tf.layers.Layer) => l.getConfig() as Record<string, unknown>;

describe('1. activation: null is linear (Keras None), undefined is the default', () => {
  for (const impl of ['js', 'wasm'] as const) {
    it(`${impl} kernels: SimpleRNN(activation=None) on one step is x·W + b exactly`, () => {
      rnn.setKernelImplementation(impl);
      const l = rnn.simpleRNN({ units: 2, activation: null, kernelInitializer: 'ones', biasInitializer: 'ones' });
      const x = tf.tensor3d([[[2, 3]]]); // one step: h = x·W + b = 2 + 3 + 1 = 6 (tanh would give < 1)
      expect(arr(l.apply(x))).toEqual([6, 6]);
      expect(cfg(l).activation).toBe('linear');
      rnn.setKernelImplementation('auto');
    });
  }

  it('LSTM / GRU: null gives linear activations, undefined keeps tanh / sigmoid', () => {
    const a = rnn.lstm({ units: 2, activation: null, recurrentActivation: null });
    expect(cfg(a).activation).toBe('linear');
    expect(cfg(a).recurrentActivation).toBe('linear');
    const b = rnn.gru({ units: 2, activation: undefined, recurrentActivation: undefined });
    expect(cfg(b).activation).toBe('tanh');
    expect(cfg(b).recurrentActivation).toBe('sigmoid');
    // The linear layer computes something else than the default one (same weights).
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const lin = rnn.lstm({ units: 2, activation: null, recurrentActivation: null });
    const def = rnn.lstm({ units: 2 });
    lin.apply(x);
    def.apply(x);
    def.setWeights(lin.getWeights());
    const d = arr(lin.apply(x)).map((v, i) => Math.abs(v - arr(def.apply(x))[i]));
    expect(Math.max(...d)).toBeGreaterThan(1e-3);
    // Round trip through the config, and Bidirectional's copies keep it.
    const bi = rnn.bidirectional({ layer: rnn.gru({ units: 2, activation: null }) });
    expect(cfg(bi.forwardLayer).activation).toBe('linear');
    expect(cfg(bi.backwardLayer).activation).toBe('linear');
  });

  it('a wrong activation is refused by name', () => {
    expect(() => rnn.lstm({ units: 2, activation: 'hardSigmoid' })).toThrow(/activation 'hardSigmoid'/);
    expect(() => rnn.lstm({ units: 2, activation: 5 as never })).toThrow(/activation 5/);
  });
});

describe('2. rnn.adam refuses what it would ignore', () => {
  it('snake_case and Keras 2 spellings are refused with the camelCase name', () => {
    expect(() => rnn.adam({ learning_rate: 0.5 } as never)).toThrow(
      "adam: unrecognized keyword argument 'learning_rate' (use tfjs camelCase spelling, e.g. 'learningRate')",
    );
    expect(() => rnn.adam({ beta_1: 0.8 } as never)).toThrow(/'beta_1'.*'beta1'/);
    expect(() => rnn.adam({ lr: 0.5 } as never)).toThrow(/unrecognized keyword argument 'lr'.*'learningRate'/);
    expect(() => rnn.adam({ learningrate: 0.5 } as never)).toThrow(/unrecognized keyword argument 'learningrate' \(did you mean 'learningRate'\?\)/);
  });

  it('Keras options that are not implemented are refused by name at other than their default', () => {
    expect(() => rnn.adam({ amsgrad: true })).toThrow(/'amsgrad'.*not supported/);
    expect(() => rnn.adam({ weightDecay: 0.004 })).toThrow(/'weightDecay'.*not supported/);
    expect(() => rnn.adam({ useEma: true })).toThrow(/'useEma'.*not supported/);
    expect(() => rnn.adam({ gradientAccumulationSteps: 2 })).toThrow(/'gradientAccumulationSteps'/);
    expect(() => rnn.adam({ lossScaleFactor: 128 })).toThrow(/'lossScaleFactor'/);
    expect(() => rnn.adam({ amsgrad: 'no' as never })).toThrow(/'amsgrad' must be true or false/);
    // Their defaults (no-ops in Keras too) are accepted.
    const opt = rnn.adam({ amsgrad: false, weightDecay: null, useEma: false, learningRate: 0.5, name: 'my_adam' });
    expect(opt.learningRate).toBe(0.5);
    expect(opt.getConfig().name).toBe('my_adam');
  });

  it('rnn.adam(0.01) is Keras Adam(0.01): the learning rate', () => {
    expect(rnn.adam(0.01).learningRate).toBe(0.01);
    expect(rnn.adam().learningRate).toBe(0.001);
  });
});

describe('3. Keras-style positional arguments', () => {
  it('rnn.bidirectional(layer) and rnn.bidirectional(layer, mergeMode | options)', () => {
    const a = rnn.bidirectional(rnn.lstm({ units: 5 }));
    expect(a.mergeMode).toBe('concat');
    expect(a.forwardLayer.units).toBe(5);
    expect(rnn.bidirectional(rnn.gru({ units: 2 }), 'sum').mergeMode).toBe('sum');
    expect(rnn.bidirectional(rnn.gru({ units: 2 }), null).mergeMode).toBe(null);
    expect(rnn.bidirectional(rnn.gru({ units: 2 }), { mergeMode: 'ave' }).mergeMode).toBe('ave');
    expect(new rnn.Bidirectional(rnn.lstm({ units: 3 })).forwardLayer.units).toBe(3);
    const m = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [4, 3] }), rnn.bidirectional(rnn.lstm({ units: 5 }))] });
    expect(m.outputs[0].shape).toEqual([null, 10]);
    expect(() => rnn.bidirectional(tf.layers.lstm({ units: 2 }) as never)).toThrow(/argument 'layer' must be a layer made by rnn.lstm/);
  });

  it('rnn.gru(5), rnn.lstm(5, {...}), new rnn.SimpleRNN(3): units first, as in Keras', () => {
    expect(rnn.gru(5).units).toBe(5);
    const l = rnn.lstm(4, { returnSequences: true });
    expect(l.units).toBe(4);
    expect(l.returnSequences).toBe(true);
    expect(new rnn.SimpleRNN(3).units).toBe(3);
    expect(() => rnn.gru(5, { units: 6 } as never)).toThrow(/'units' given twice/);
    expect(() => rnn.gru(2.5)).toThrow(/'units' must be a positive integer, got 2.5/);
  });

  it('rnn.embedding(10000, 32), rnn.dense(1, {...})', () => {
    const e = rnn.embedding(100, 8, { maskZero: true });
    expect([e.inputDim, e.outputDim, e.maskZero]).toEqual([100, 8, true]);
    expect(() => rnn.embedding(100)).toThrow(/'outputDim' is missing/);
    const d = rnn.dense(1, { activation: 'sigmoid' });
    expect(cfg(d).units).toBe(1);
    expect(cfg(d).activation).toBe('sigmoid');
  });

  it('a class called without new says how to write it', () => {
    expect(() => (rnn.LSTM as unknown as (a: unknown) => unknown)({ units: 5 })).toThrow(
      "rnn.LSTM is a class and cannot be called without 'new': use rnn.lstm(...) or new rnn.LSTM(...).",
    );
    expect(() => (rnn.Adam as unknown as () => unknown)()).toThrow(/rnn.adam\(...\) or new rnn.Adam/);
    // Still the class in every other way.
    const l = new rnn.LSTM({ units: 2 });
    expect(l).toBeInstanceOf(rnn.LSTM);
    expect(rnn.lstm({ units: 2 })).toBeInstanceOf(rnn.LSTM);
    expect(l).toBeInstanceOf(rnn.FusedRecurrent);
    expect(rnn.LSTM.className).toBe('LSTM');
    expect(l.getClassName()).toBe('LSTM');
  });
});

describe('4. call arguments', () => {
  it("initial_state is refused by name with the camelCase hint; initialState works", () => {
    const l = rnn.lstm({ units: 2 });
    const x = tf.randomNormal([1, 3, 2], 0, 1, 'float32', 2);
    const h = tf.ones([1, 2]);
    const c = tf.ones([1, 2]);
    expect(() => l.apply(x, { initial_state: [h, c] })).toThrow(
      /LSTM '.*' apply\(\): unrecognized keyword argument 'initial_state' \(use tfjs camelCase spelling, e.g. 'initialState'\)/,
    );
    const withState = arr(l.apply(x, { initialState: [h, c] }));
    expect(withState).not.toEqual(arr(l.apply(x)));
    const b = rnn.bidirectional(rnn.gru({ units: 2 }));
    expect(() => b.apply(x, { initial_state: [h, h] })).toThrow(/Bidirectional.*'initial_state'/);
    expect(() => b.apply(x, { constants: [h] })).toThrow(/apply\(\): unrecognized keyword argument 'constants'/);
    expect(() => rnn.embedding(5, 2).apply(tf.zeros([1, 3]), { initialState: h })).toThrow(/Embedding.*'initialState'/);
    expect(() => rnn.dense(2).apply(tf.zeros([1, 3]), { traning: true })).toThrow(/Dense.*'traning'/);
    // training and mask are call arguments.
    expect(() => l.apply(x, { training: false, mask: undefined })).not.toThrow();
  });
});

describe('5. boolean arguments accept only true / false', () => {
  const recurrentFlags = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'useBias', 'trainable', 'zeroOutputForMask'];
  for (const [name, make] of [
    ['lstm', (a: Record<string, unknown>) => rnn.lstm({ units: 2, ...a })],
    ['gru', (a: Record<string, unknown>) => rnn.gru({ units: 2, ...a })],
    ['simpleRNN', (a: Record<string, unknown>) => rnn.simpleRNN({ units: 2, ...a })],
  ] as const) {
    it(`recurrent flags (${name})`, () => {
      for (const key of recurrentFlags) {
        for (const bad of ['no', 'true', 1, 0, null]) {
          expect(() => make({ [key]: bad }), `${key}: ${String(bad)}`).toThrow(new RegExp(`argument '${key}' must be true or false`));
        }
      }
    });
  }
  it('unitForgetBias, resetAfter, maskZero, Bidirectional trainable, Dense useBias', () => {
    expect(() => rnn.lstm({ units: 2, unitForgetBias: 'yes' as never })).toThrow(/'unitForgetBias' must be true or false/);
    expect(() => rnn.gru({ units: 2, resetAfter: 0 as never })).toThrow(/'resetAfter' must be true or false/);
    expect(() => rnn.embedding({ inputDim: 3, outputDim: 2, maskZero: 1 as never })).toThrow(/'maskZero' must be true or false/);
    expect(() => rnn.bidirectional({ layer: rnn.lstm(2), trainable: 'false' as never })).toThrow(/'trainable' must be true or false/);
    expect(() => rnn.dense({ units: 2, useBias: 'no' as never })).toThrow(/'useBias' must be true or false/);
    // goBackwards: 'no' used to run backwards.
    expect(() => rnn.simpleRNN({ units: 2, goBackwards: 'no' as never })).toThrow(/'goBackwards' must be true or false, got 'no'/);
    expect(rnn.lstm({ units: 2, returnSequences: false, goBackwards: true }).goBackwards).toBe(true);
  });
});

describe('6. Embedding casts float ids to int32 (Keras 3: truncation)', () => {
  for (const impl of ['js', 'wasm'] as const) {
    it(`${impl} kernels: 2.7 looks up row 2, -0.5 row 0; the range is checked after the cast`, () => {
      rnn.setKernelImplementation(impl);
      const e = rnn.embedding({ inputDim: 4, outputDim: 2, weights: [tf.tensor2d([[0, 0], [1, 1], [2, 2], [3, 3]])] });
      expect(arr(e.apply(tf.tensor2d([[2.7, -0.5, 3.999]])))).toEqual([2, 2, 0, 0, 3, 3]);
      expect(arr(e.apply(tf.tensor2d([[2, 0, 3]], undefined, 'int32')))).toEqual([2, 2, 0, 0, 3, 3]);
      expect(() => e.apply(tf.tensor2d([[4.2]]))).toThrow(/4\.2.*cast to int32: 4.*outside \[0, 4\)/);
      expect(() => e.apply(tf.tensor2d([[-1.5]]))).toThrow(/outside \[0, 4\)/);
      // The gradient goes to the truncated rows.
      const ids = tf.tensor2d([[2.7, 2.2, 0.5]]);
      const l = rnn.embedding({ inputDim: 4, outputDim: 1 });
      l.apply(ids);
      const v = l.trainableWeights[0].read() as tf.Variable;
      const { grads } = tf.variableGrads(() => tf.sum(l.apply(ids) as tf.Tensor) as tf.Scalar, [v]);
      expect(arr(Object.values(grads)[0])).toEqual([1, 0, 2, 0]);
      rnn.setKernelImplementation('auto');
    });
  }
});

describe('7. initializers: every Keras 3 name and class, and {class_name, config}', () => {
  const names = [
    'lecun_normal', 'lecun_uniform', 'he_normal', 'he_uniform', 'glorot_normal', 'glorot_uniform',
    'truncated_normal', 'random_normal', 'random_uniform', 'variance_scaling', 'orthogonal', 'zeros', 'ones',
    'constant', 'identity', 'uniform', 'normal', 'zero', 'one',
    'LecunNormal', 'GlorotUniform', 'Orthogonal', 'VarianceScaling', 'IdentityInitializer', 'leCunNormal', 'heUniform',
  ];
  for (const name of names) {
    it(`'${name}' is accepted, draws the right shape and round-trips through the config`, () => {
      const l = rnn.gru({ units: 3, recurrentInitializer: name });
      l.apply(tf.zeros([1, 2, 3]));
      expect(l.getWeights()[1].shape).toEqual([3, 9]);
      const again = new rnn.GRU(l.getConfig() as never);
      expect(cfg(again).recurrentInitializer).toEqual(cfg(l).recurrentInitializer);
    });
  }

  it('Keras {class_name, config} and tfjs {className, config} dictionaries', () => {
    const a = rnn.lstm({ units: 2, recurrentInitializer: { class_name: 'Orthogonal', config: { gain: 2, seed: null } } as never });
    expect(cfg(a).recurrentInitializer).toEqual({ className: 'Orthogonal', config: { gain: 2, seed: null } });
    const keras3 = { module: 'keras.initializers', class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 7 }, registered_name: null };
    const b = rnn.lstm({ units: 2, kernelInitializer: keras3 as never });
    expect(cfg(b).kernelInitializer).toEqual({ className: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 7 } });
    // tfjs's own serialization of its initializers is accepted.
    const c = rnn.lstm({ units: 2, kernelInitializer: { className: 'GlorotUniform', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: null } } });
    expect((cfg(c).kernelInitializer as { className: string }).className).toBe('GlorotUniform');
  });

  it('what cannot be interpreted is named in the error', () => {
    expect(() => rnn.lstm({ units: 2, recurrentInitializer: { config: { gain: 1 } } as never })).toThrow(/recurrentInitializer \{"config":\{"gain":1\}\}/);
    expect(() => rnn.lstm({ units: 2, kernelInitializer: 'glorot' })).toThrow(/Unknown kernelInitializer 'glorot'/);
    expect(() => rnn.lstm({ units: 2, kernelInitializer: { class_name: 'Orthogonal', config: { gian: 1 } } as never })).toThrow(/unrecognized argument 'gian'.*Orthogonal/);
    expect(() => rnn.lstm({ units: 2, kernelInitializer: { class_name: 'GlorotUniform', config: { scale: 3 } } as never })).toThrow(/'scale' is fixed/);
    expect(() => rnn.lstm({ units: 2, kernelInitializer: { class_name: 'VarianceScaling', config: { mode: 'fan_sum' } } as never })).toThrow(/'mode'/);
    expect(() => rnn.lstm({ units: 2, kernelInitializer: { class_name: 'Nope', config: {} } as never })).toThrow(/class 'Nope'/);
  });

  it('Keras semantics: VarianceScaling truncated_normal stddev = sqrt(scale / fan) / 0.8796; identity is rectangular', () => {
    const l = rnn.simpleRNN({ units: 200, kernelInitializer: 'he_normal', recurrentInitializer: { class_name: 'Identity', config: { gain: 3 } } as never });
    l.apply(tf.zeros([1, 1, 100]));
    const [k, r] = l.getWeights();
    const w = arr(k);
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    // He normal (fan_in 100): stddev of the truncated draw = sqrt(2 / 100) exactly (Keras corrects for the truncation).
    expect(Math.abs(std / Math.sqrt(2 / 100) - 1)).toBeLessThan(0.02);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual((2 * Math.sqrt(2 / 100)) / 0.87962566103423978 + 1e-6);
    const rr = arr(r);
    expect(rr[0]).toBe(3);
    expect(rr[1]).toBe(0);
    expect(rr[201]).toBe(3);
    const wide = rnn.simpleRNN({ units: 3, kernelInitializer: 'identity' });
    wide.apply(tf.zeros([1, 1, 2]));
    expect(arr(wide.getWeights()[0])).toEqual([1, 0, 0, 0, 1, 0]);
  });

  it('a seed makes the draw reproducible', () => {
    const make = () => {
      const l = rnn.lstm({ units: 3, kernelInitializer: { class_name: 'LecunNormal', config: { seed: 11 } } as never, recurrentInitializer: { className: 'Orthogonal', config: { seed: 4 } } });
      l.apply(tf.zeros([1, 1, 2]));
      return l.getWeights().slice(0, 2).map(arr);
    };
    expect(make()).toEqual(make());
  });

  it('regularizers and constraints take the Keras {class_name, config} form too', () => {
    const l = rnn.lstm({ units: 2, kernelRegularizer: { class_name: 'L2', config: { l2: 0.5 } } as never, kernelConstraint: { class_name: 'MaxNorm', config: { max_value: 3 } } as never });
    expect(cfg(l).kernelRegularizer).toEqual({ className: 'L2', config: { l2: 0.5 } });
    expect(cfg(l).kernelConstraint).toEqual({ className: 'MaxNorm', config: { maxValue: 3, axis: 0 } });
  });
});
