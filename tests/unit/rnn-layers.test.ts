/**
 * Layer behaviour: Keras parameter counts for the course models, Keras weight order and
 * shapes, Keras default initialization, Keras-style names and class names, clear errors
 * for unsupported arguments, returnState / goBackwards / Bidirectional semantics, and a
 * cross-check against stock tf.layers where stock tfjs supports the configuration.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => rnn.resetLayerNames());

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

function on32(layers: tf.layers.Layer[]): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.inputLayer({ inputShape: [100, 32] }));
  layers.forEach((l) => m.add(l));
  return m;
}

describe('parameter counts equal Keras for the course models', () => {
  it('Embedding(10000, 32) -> LSTM(5) -> Dense(1): 320,766', () => {
    const m = tf.sequential();
    m.add(rnn.embedding({ inputDim: 10000, outputDim: 32, inputLength: 100 }));
    m.add(rnn.lstm({ units: 5 }));
    m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
    expect(m.countParams()).toBe(320766);
    expect(m.layers.map((l) => l.countParams())).toEqual([320000, 760, 6]);
  });
  it('GRU(5) on 32 inputs: 585 (resetAfter default true), 570 with resetAfter false', () => {
    expect(on32([rnn.gru({ units: 5 })]).countParams()).toBe(585);
    expect(on32([rnn.gru({ units: 5, resetAfter: false })]).countParams()).toBe(570);
  });
  it('Bidirectional(LSTM(5)) 1,520; Bidirectional SimpleRNN 380; Bidirectional GRU 1,170', () => {
    expect(on32([rnn.bidirectional({ layer: rnn.lstm({ units: 5 }) })]).countParams()).toBe(1520);
    expect(on32([rnn.bidirectional({ layer: rnn.simpleRNN({ units: 5 }) })]).countParams()).toBe(380);
    expect(on32([rnn.bidirectional({ layer: rnn.gru({ units: 5 }) })]).countParams()).toBe(1170);
  });
  it('stacked layers of 5 units on 32 inputs: SimpleRNN 190+55, LSTM 760+220, GRU 585+180', () => {
    const counts = (make: (a: { units: number; returnSequences?: boolean }) => tf.layers.Layer) =>
      on32([make({ units: 5, returnSequences: true }), make({ units: 5 })])
        .layers.filter((l) => l.getClassName() !== 'InputLayer')
        .map((l) => l.countParams());
    expect(counts(rnn.simpleRNN)).toEqual([190, 55]);
    expect(counts(rnn.lstm)).toEqual([760, 220]);
    expect(counts(rnn.gru)).toEqual([585, 180]);
  });
});

describe('Keras weight layout and defaults', () => {
  it('weights come in Keras get_weights() order and shapes', () => {
    const shapes = (l: tf.layers.Layer) => {
      on32([l]);
      return l.getWeights().map((w) => w.shape);
    };
    expect(shapes(rnn.lstm({ units: 5 }))).toEqual([[32, 20], [5, 20], [20]]);
    expect(shapes(rnn.gru({ units: 5 }))).toEqual([[32, 15], [5, 15], [2, 15]]);
    expect(shapes(rnn.gru({ units: 5, resetAfter: false }))).toEqual([[32, 15], [5, 15], [15]]);
    expect(shapes(rnn.simpleRNN({ units: 5 }))).toEqual([[32, 5], [5, 5], [5]]);
    expect(shapes(rnn.lstm({ units: 5, useBias: false }))).toEqual([[32, 20], [5, 20]]);
    rnn.resetLayerNames();
    const bi = rnn.bidirectional({ layer: rnn.gru({ units: 5 }) });
    expect(shapes(bi)).toEqual([[32, 15], [5, 15], [2, 15], [32, 15], [5, 15], [2, 15]]);
    expect(bi.weights.map((w) => w.originalName)).toEqual([
      'bidirectional/forward_gru/kernel',
      'bidirectional/forward_gru/recurrent_kernel',
      'bidirectional/forward_gru/bias',
      'bidirectional/backward_gru/kernel',
      'bidirectional/backward_gru/recurrent_kernel',
      'bidirectional/backward_gru/bias',
    ]);
  });

  it('initializes like Keras: glorot_uniform kernel, orthogonal recurrent kernel, unit forget bias', () => {
    const l = rnn.lstm({ units: 5 });
    on32([l]);
    const [k, u, b] = l.getWeights();
    const limit = Math.sqrt(6 / (32 + 20));
    const kv = k.dataSync();
    expect(Math.max(...Array.from(kv).map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...Array.from(kv).map(Math.abs))).toBeGreaterThan(limit * 0.8);
    // [5, 20] with orthonormal rows: U·Uᵀ = I.
    const uut = tf.matMul(u, u, false, true);
    expect(maxAbsDiff(uut, tf.eye(5))).toBeLessThan(1e-5);
    expect(Array.from(b.dataSync())).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, ...new Array(10).fill(0)]);
    // Wide and tall recurrent kernels (LSTM(32): [32, 128]) are orthogonal too, without warnings.
    const big = rnn.lstm({ units: 32 });
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...a: unknown[]) => warnings.push(a);
    try {
      on32([big]);
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual([]);
    const ub = big.getWeights()[1];
    expect(maxAbsDiff(tf.matMul(ub, ub, false, true), tf.eye(32))).toBeLessThan(1e-5);
    const square = rnn.simpleRNN({ units: 3, recurrentInitializer: { className: 'Orthogonal', config: { gain: 2 } } });
    on32([square]);
    const ut = square.getWeights()[1];
    expect(maxAbsDiff(tf.matMul(ut, ut, true, false), tf.mul(tf.eye(3), 4))).toBeLessThan(1e-5);
    const noUfb = rnn.lstm({ units: 5, unitForgetBias: false });
    on32([noUfb]);
    expect(Array.from(noUfb.getWeights()[2].dataSync()).every((v) => v === 0)).toBe(true);
    const d = rnn.dense({ units: 4 });
    on32([rnn.lstm({ units: 8 }), d]);
    const dl = Math.sqrt(6 / (8 + 4));
    expect(Math.max(...Array.from(d.getWeights()[0].dataSync()).map(Math.abs))).toBeLessThanOrEqual(dl);
    const e = rnn.embedding({ inputDim: 50, outputDim: 4 });
    const em = tf.sequential();
    em.add(e);
    em.build([null, 3]);
    expect(Math.max(...Array.from(e.getWeights()[0].dataSync()).map(Math.abs))).toBeLessThanOrEqual(0.05);
  });
});

describe('names and summaries', () => {
  it('uses Keras-style auto names and class names', () => {
    const layers = [
      rnn.embedding({ inputDim: 100, outputDim: 8, inputLength: 10 }),
      rnn.lstm({ units: 4, returnSequences: true }),
      rnn.lstm({ units: 4, returnSequences: true }),
      rnn.gru({ units: 3, returnSequences: true }),
      rnn.simpleRNN({ units: 3, returnSequences: true }),
      rnn.bidirectional({ layer: rnn.lstm({ units: 2 }) }),
      rnn.dense({ units: 1, activation: 'sigmoid' }),
    ];
    expect(layers.map((l) => l.name)).toEqual(['embedding', 'lstm', 'lstm_1', 'gru', 'simple_rnn', 'bidirectional', 'dense']);
    expect(layers.map((l) => (l as unknown as { kerasClassName: string }).kerasClassName)).toEqual([
      'Embedding', 'LSTM', 'LSTM', 'GRU', 'SimpleRNN', 'Bidirectional', 'Dense',
    ]);
    const m = tf.sequential();
    layers.forEach((l) => m.add(l));
    const lines: string[] = [];
    m.summary(120, undefined, (msg: string) => lines.push(msg));
    const text = lines.join('\n');
    expect(text).toContain('lstm (LSTM)');
    expect(text).toContain('lstm_1 (LSTM)');
    expect(text).toContain('gru (GRU)');
    expect(text).toContain('embedding (Embedding)');
    expect(text).toContain('bidirectional (Bidirectional)');
    expect(text).toContain('dense (Dense)');
  });
});

describe('unsupported arguments throw errors that name the argument', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['dropout (not a number)', () => rnn.lstm({ units: 3, dropout: '0.2' as never }), /'dropout'/],
    ['recurrentDropout (not a number)', () => rnn.gru({ units: 3, recurrentDropout: NaN }), /'recurrentDropout'/],
    ['stateful (not a boolean)', () => rnn.simpleRNN({ units: 3, stateful: 1 as never }), /'stateful'/],
    ['seed (not an integer)', () => rnn.lstm({ units: 3, seed: 1.5 }), /'seed'/],
    ['activation', () => rnn.lstm({ units: 3, activation: 'selu' }), /activation 'selu'/],
    ['recurrentActivation', () => rnn.gru({ units: 3, recurrentActivation: 'hard_sigmoid' }), /recurrentActivation 'hard_sigmoid'/],
    ['units', () => rnn.lstm({ units: 0 }), /'units'/],
    ['resetAfter on LSTM', () => rnn.lstm({ units: 3, resetAfter: true } as never), /'resetAfter'/],
    ['kernelRegularizer', () => rnn.lstm({ units: 3, kernelRegularizer: 'l3' }), /'kernelRegularizer'.*'l3'/],
    ['mergeMode', () => rnn.bidirectional({ layer: rnn.lstm({ units: 2 }), mergeMode: 'max' as never }), /'mergeMode'/],
    ['layer', () => rnn.bidirectional({ layer: tf.layers.lstm({ units: 2 }) as never }), /'layer'/],
    ['maskZero (not a boolean)', () => rnn.embedding({ inputDim: 10, outputDim: 2, maskZero: 1 as never }), /'maskZero'/],
    ['inputDim', () => rnn.embedding({ inputDim: 0, outputDim: 2 }), /'inputDim'/],
    ['kernelInitializer', () => rnn.lstm({ units: 2, kernelInitializer: 'nope' }), /kernelInitializer 'nope'/],
  ];
  for (const [name, make, pattern] of cases) it(name, () => expect(make).toThrow(pattern));
});

describe('returnState, goBackwards, Bidirectional', () => {
  const x = () => tf.randomNormal([3, 6, 4], 0, 1, 'float32', 11);

  it('returnState: LSTM returns [output, h, c]; GRU and SimpleRNN [output, h]', () => {
    const xi = x();
    const l = rnn.lstm({ units: 3, returnState: true, returnSequences: true });
    const [seq, h, c] = l.apply(xi) as tf.Tensor[];
    expect(seq.shape).toEqual([3, 6, 3]);
    expect(maxAbsDiff(h, seq.slice([0, 5, 0], [3, 1, 3]).reshape([3, 3]))).toBe(0);
    // c_T from the reference (per-timestep) path with the same weights.
    const ref = rnn.lstm({ units: 3, returnState: true, fused: false });
    ref.apply(xi);
    ref.setWeights(l.getWeights());
    const [, hr, cr] = ref.apply(xi) as tf.Tensor[];
    expect(maxAbsDiff(c, cr)).toBeLessThan(1e-6);
    expect(maxAbsDiff(h, hr)).toBeLessThan(1e-6);
    expect((rnn.gru({ units: 2, returnState: true }).apply(xi) as tf.Tensor[]).length).toBe(2);
    expect((rnn.simpleRNN({ units: 2, returnState: true }).apply(xi) as tf.Tensor[]).length).toBe(2);
    // Symbolic shapes in a functional model.
    const input = tf.input({ shape: [6, 4] });
    const outs = rnn.lstm({ units: 3, returnState: true }).apply(input) as tf.SymbolicTensor[];
    expect(outs.map((o) => o.shape)).toEqual([[null, 3], [null, 3], [null, 3]]);
  });

  it('goBackwards processes the reversed input and returns the reversed-order sequence', () => {
    const xi = x();
    const back = rnn.gru({ units: 3, goBackwards: true, returnSequences: true });
    const fwd = rnn.gru({ units: 3, returnSequences: true });
    back.apply(xi);
    fwd.apply(xi);
    fwd.setWeights(back.getWeights());
    expect(maxAbsDiff(back.apply(xi) as tf.Tensor, fwd.apply(tf.reverse(xi, 1)) as tf.Tensor)).toBeLessThan(1e-6);
  });

  for (const mergeMode of ['concat', 'sum', 'mul', 'ave', null] as const) {
    it(`Bidirectional mergeMode ${mergeMode}: forward output merged with the time-flipped backward output`, () => {
      const xi = x();
      const bi = rnn.bidirectional({ layer: rnn.lstm({ units: 3, returnSequences: true }), mergeMode });
      const out = bi.apply(xi) as tf.Tensor | tf.Tensor[];
      const f = rnn.lstm({ units: 3, returnSequences: true });
      const b = rnn.lstm({ units: 3, returnSequences: true, goBackwards: true });
      f.apply(xi);
      b.apply(xi);
      const w = bi.getWeights();
      f.setWeights(w.slice(0, 3));
      b.setWeights(w.slice(3));
      const yf = f.apply(xi) as tf.Tensor;
      const yb = tf.reverse(b.apply(xi) as tf.Tensor, 1);
      const expected =
        mergeMode === 'concat' ? [tf.concat([yf, yb], -1)]
        : mergeMode === 'sum' ? [tf.add(yf, yb)]
        : mergeMode === 'mul' ? [tf.mul(yf, yb)]
        : mergeMode === 'ave' ? [tf.div(tf.add(yf, yb), 2)]
        : [yf, yb];
      const outs = Array.isArray(out) ? out : [out];
      expect(outs.length).toBe(expected.length);
      outs.forEach((o, i) => expect(maxAbsDiff(o, expected[i])).toBeLessThan(1e-6));
    });
  }

  it('Bidirectional returnState returns [output, forward states, backward states]', () => {
    const xi = x();
    const bi = rnn.bidirectional({ layer: rnn.lstm({ units: 2, returnState: true }) });
    const outs = bi.apply(xi) as tf.Tensor[];
    expect(outs.map((o) => o.shape)).toEqual([[3, 4], [3, 2], [3, 2], [3, 2], [3, 2]]);
    expect(maxAbsDiff(outs[0], tf.concat([outs[1], outs[3]], -1))).toBe(0);
  });
});

describe('cross-check against stock tf.layers (same weights)', () => {
  const configs: [string, () => tf.layers.Layer, () => tf.layers.Layer][] = [
    ['LSTM', () => rnn.lstm({ units: 4, returnSequences: true }), () => tf.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' })],
    ['SimpleRNN', () => rnn.simpleRNN({ units: 4, returnSequences: true }), () => tf.layers.simpleRNN({ units: 4, returnSequences: true })],
    ['GRU resetAfter false', () => rnn.gru({ units: 4, resetAfter: false, returnSequences: true }), () => tf.layers.gru({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' })],
    ['LSTM goBackwards', () => rnn.lstm({ units: 3, goBackwards: true }), () => tf.layers.lstm({ units: 3, goBackwards: true, recurrentActivation: 'sigmoid' })],
  ];
  for (const [name, ours, stock] of configs) {
    it(`${name}: outputs and weight gradients agree`, () => {
      const xi = tf.randomNormal([3, 7, 5], 0, 1, 'float32', 5);
      const a = ours();
      const s = stock();
      a.apply(xi);
      s.apply(xi);
      s.setWeights(a.getWeights());
      expect(maxAbsDiff(a.apply(xi) as tf.Tensor, s.apply(xi) as tf.Tensor)).toBeLessThan(1e-5);
      const grads = (l: tf.layers.Layer) => {
        const vars = l.trainableWeights.map((w) => w.read() as tf.Variable);
        const { grads: g } = tf.variableGrads(() => tf.sum(tf.square(l.apply(xi) as tf.Tensor)) as tf.Scalar, vars);
        return vars.map((v) => g[v.name]);
      };
      const ga = grads(a);
      const gs = grads(s);
      ga.forEach((g, i) => expect(maxAbsDiff(g, gs[i])).toBeLessThan(1e-4));
    });
  }
});
