/**
 * Behaviour of the Keras recurrent arguments that the golden fixtures do not pin down:
 * dropout only in training and reproducible with a seed, stateful layers and their batch
 * rules, unroll, Bidirectional's backwardLayer and initial-state split, masks through
 * tfjs models (Embedding maskZero, propagation, Keras's padding effect), and clear errors.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => rnn.resetLayerNames());

const arr = (t: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[]) => Array.from((t as tf.Tensor).dataSync());
const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

for (const impl of ['js', 'wasm'] as const) {
  describe(`${impl} kernels`, () => {
    beforeEach(() => rnn.setKernelImplementation(impl));

    it('dropout and recurrentDropout act only in training; a seed makes them reproducible', () => {
      const x = tf.randomUniform([4, 6, 3], -1, 1, 'float32', 7);
      const make = (seed: number) => {
        const l = rnn.lstm({ units: 3, dropout: 0.5, recurrentDropout: 0.5, seed });
        l.apply(x);
        return l;
      };
      const a = make(3);
      const b = make(3);
      b.setWeights(a.getWeights());
      const plain = arr(a.apply(x));
      expect(arr(a.apply(x, { training: false }))).toEqual(plain);
      const ta = arr(a.apply(x, { training: true }));
      const tb = arr(b.apply(x, { training: true }));
      expect(maxDiff(ta, plain)).toBeGreaterThan(1e-3);
      expect(ta).toEqual(tb);
      // A new draw per call (Keras's seed generator advances).
      expect(maxDiff(arr(a.apply(x, { training: true })), ta)).toBeGreaterThan(1e-4);
    });

    it('dropout is used in fit but not in predict/evaluate', async () => {
      const m = tf.sequential();
      m.add(rnn.gru({ units: 2, dropout: 0.9, recurrentDropout: 0.9, seed: 5, inputShape: [4, 2] }));
      m.add(rnn.dense({ units: 1 }));
      m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const x = tf.randomNormal([8, 4, 2], 0, 1, 'float32', 3);
      const y = tf.zeros([8, 1]);
      const p1 = arr(m.predict(x) as tf.Tensor);
      expect(arr(m.predict(x) as tf.Tensor)).toEqual(p1);
      const e1 = arr(m.evaluate(x, y) as tf.Scalar);
      expect(arr(m.evaluate(x, y) as tf.Scalar)).toEqual(e1);
      const h = await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
      expect(Number.isFinite(h.history.loss[0] as number)).toBe(true);
    });

    it('unroll: true gives the same numbers (and needs a known number of steps)', () => {
      const x = tf.randomUniform([2, 5, 3], -1, 1, 'float32', 9);
      const a = rnn.gru({ units: 3, returnSequences: true });
      const b = rnn.gru({ units: 3, returnSequences: true, unroll: true });
      a.apply(x);
      b.apply(x);
      b.setWeights(a.getWeights());
      expect(arr(b.apply(x))).toEqual(arr(a.apply(x)));
      const m = tf.sequential();
      expect(() => {
        m.add(tf.layers.inputLayer({ inputShape: [null, 3] }));
        m.add(rnn.lstm({ units: 2, unroll: true }));
      }).toThrow(/unroll/);
    });

    it('initialState: gradient flows, returnState returns the final states, Keras checks shapes', () => {
      const x = tf.randomUniform([2, 4, 3], -1, 1, 'float32', 4);
      const l = rnn.lstm({ units: 2, returnState: true });
      const h0 = tf.variable(tf.randomUniform([2, 2], -1, 1, 'float32', 1));
      const c0 = tf.variable(tf.randomUniform([2, 2], -1, 1, 'float32', 2));
      const [out, hT, cT] = l.apply(x, { initialState: [h0, c0] }) as tf.Tensor[];
      expect(out.shape).toEqual([2, 2]);
      expect(arr(hT)).toEqual(arr(out));
      expect(cT.shape).toEqual([2, 2]);
      const zeroStart = arr((l.apply(x) as tf.Tensor[])[0]);
      expect(maxDiff(zeroStart, arr(out))).toBeGreaterThan(1e-4);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum((l.apply(x, { initialState: [a, b] }) as tf.Tensor[])[0]))([h0, c0]);
      expect(Math.max(...arr(tf.abs(g[0])))).toBeGreaterThan(0);
      expect(Math.max(...arr(tf.abs(g[1])))).toBeGreaterThan(0);
      expect(() => l.apply(x, { initialState: [h0] })).toThrow(/'initialState' must have 2/);
      expect(() => l.apply(x, { initialState: [tf.zeros([3, 2]), c0] })).toThrow(/shape \[2, 2\]/);
    });

    it('initialState in a functional model (states as model inputs)', () => {
      const inp = tf.input({ shape: [4, 3] });
      const s = tf.input({ shape: [2] });
      const out = rnn.gru({ units: 2 }).apply(inp, { initialState: [s] }) as tf.SymbolicTensor;
      const m = tf.model({ inputs: [inp, s], outputs: out });
      const x = tf.randomUniform([2, 4, 3], -1, 1, 'float32', 4);
      const a = arr(m.predict([x, tf.zeros([2, 2])]) as tf.Tensor);
      const b = arr(m.predict([x, tf.ones([2, 2])]) as tf.Tensor);
      expect(maxDiff(a, b)).toBeGreaterThan(1e-4);
    });

    it('stateful: states carry between batches, resetStates clears them, fixed batch size is enforced', () => {
      const x = tf.randomUniform([2, 3, 2], -1, 1, 'float32', 11);
      const l = rnn.simpleRNN({ units: 2, stateful: true, batchInputShape: [2, 3, 2] });
      const m = tf.sequential();
      m.add(l);
      const first = arr(m.predict(x) as tf.Tensor);
      const second = arr(m.predict(x) as tf.Tensor);
      expect(maxDiff(first, second)).toBeGreaterThan(1e-4);
      // The second call equals one run over the two sequences concatenated.
      const plain = rnn.simpleRNN({ units: 2 });
      plain.apply(tf.concat([x, x], 1));
      plain.setWeights(l.getWeights());
      expect(maxDiff(arr(plain.apply(tf.concat([x, x], 1))), second)).toBeLessThan(1e-6);
      l.resetStates();
      expect(maxDiff(arr(m.predict(x) as tf.Tensor), first)).toBeLessThan(1e-7);
      expect(() => m.predict(tf.zeros([3, 3, 2]))).toThrow(/2 samples/);
      expect(() => rnn.simpleRNN({ units: 2 }).resetStates()).toThrow(/stateful/);
      const noBatch = tf.sequential();
      expect(() => noBatch.add(rnn.lstm({ units: 2, stateful: true, inputShape: [3, 2] }))).toThrow(/fixed batch size/);
    });
  });
}

describe('Bidirectional', () => {
  it('uses backwardLayer (Keras checks its direction and flags)', () => {
    const x = tf.randomUniform([2, 4, 3], -1, 1, 'float32', 21);
    const back = rnn.lstm({ units: 2, goBackwards: true, activation: 'relu' });
    const bi = rnn.bidirectional({ layer: rnn.lstm({ units: 2 }), backwardLayer: back, mergeMode: null });
    const [f, b] = bi.apply(x) as tf.Tensor[];
    expect(bi.backwardLayer).toBe(back);
    // The backward half is exactly `back` run on its own (relu, its weights).
    expect(maxDiff(arr(b), arr(back.apply(x)))).toBeLessThan(1e-7);
    expect(f.shape).toEqual([2, 2]);
    expect(() => rnn.bidirectional({ layer: rnn.lstm({ units: 2 }), backwardLayer: rnn.lstm({ units: 2 }) })).toThrow(/goBackwards/);
    expect(() =>
      rnn.bidirectional({ layer: rnn.lstm({ units: 2 }), backwardLayer: rnn.lstm({ units: 2, goBackwards: true, returnSequences: true }) }),
    ).toThrow(/returnSequences/);
    expect(bi.getConfig().backwardLayer).toBeDefined();
  });

  it('splits initialState forward/backward and returns both halves\' states', () => {
    const x = tf.randomUniform([2, 4, 3], -1, 1, 'float32', 22);
    const bi = rnn.bidirectional({ layer: rnn.gru({ units: 2, returnState: true }) });
    const s1 = tf.randomUniform([2, 2], -1, 1, 'float32', 1);
    const s2 = tf.randomUniform([2, 2], -1, 1, 'float32', 2);
    const [out, hf, hb] = bi.apply(x, { initialState: [s1, s2] }) as tf.Tensor[];
    expect(out.shape).toEqual([2, 4]);
    // Without returnSequences the output of a GRU half is its final state.
    expect(arr(out)).toEqual(arr(tf.concat([hf, hb], -1)));
    const fwdOnly = arr((bi.forwardLayer.apply(x, { initialState: [s1] }) as tf.Tensor[])[0]);
    expect(maxDiff(fwdOnly, arr(hf))).toBeLessThan(1e-7);
    const bwdOnly = arr((bi.backwardLayer.apply(x, { initialState: [s2] }) as tf.Tensor[])[0]);
    expect(maxDiff(bwdOnly, arr(hb))).toBeLessThan(1e-7);
    expect(() => bi.apply(x, { initialState: [s1] })).toThrow(/2 tensors/);
  });
});

describe('masks through tfjs models', () => {
  it("Embedding maskZero: 'pre' and 'post' padding give the same prediction; without a mask they differ", () => {
    const build = (maskZero: boolean) => {
      rnn.resetLayerNames();
      const m = tf.sequential();
      m.add(rnn.embedding({ inputDim: 20, outputDim: 4, inputLength: 8, maskZero }));
      m.add(rnn.bidirectional({ layer: rnn.lstm({ units: 3, returnSequences: true }) }));
      m.add(rnn.gru({ units: 2 }));
      return m;
    };
    const tokens = [[5, 3, 9], [7, 1, 2, 4, 8]];
    const pre = rnn.padSequences(tokens, { maxlen: 8, padding: 'pre' });
    const post = rnn.padSequences(tokens, { maxlen: 8, padding: 'post' });
    const masked = build(true);
    expect(maxDiff(arr(masked.predict(pre) as tf.Tensor), arr(masked.predict(post) as tf.Tensor))).toBeLessThan(1e-6);
    const plain = build(false);
    plain.setWeights(masked.getWeights());
    expect(maxDiff(arr(plain.predict(pre) as tf.Tensor), arr(plain.predict(post) as tf.Tensor))).toBeGreaterThan(1e-3);
  });

  it('the mask propagates only with returnSequences (computeMask)', () => {
    const mask = tf.tensor2d([[1, 0, 1]]).cast('bool');
    const x = tf.zeros([1, 3, 2]);
    expect(rnn.lstm({ units: 2, returnSequences: true }).computeMask(x, mask)).toBe(mask);
    expect(rnn.lstm({ units: 2 }).computeMask(x, mask)).toBeNull();
    expect(rnn.gru({ units: 2, returnSequences: true, returnState: true }).computeMask(x, mask)).toEqual([mask, null]);
    expect(rnn.embedding({ inputDim: 5, outputDim: 2 }).computeMask(tf.tensor2d([[0, 1]]))).toBeNull();
    expect(arr(rnn.embedding({ inputDim: 5, outputDim: 2, maskZero: true }).computeMask(tf.tensor2d([[0, 1]])) as tf.Tensor)).toEqual([0, 1]);
  });

  it('tf.layers.masking feeds our layers; a wrong-shaped mask is refused', () => {
    const m = tf.sequential();
    m.add(tf.layers.masking({ maskValue: 0, inputShape: [4, 2] }));
    m.add(rnn.simpleRNN({ units: 2 }));
    const x = tf.tensor3d([[[1, 2], [0.5, -1], [0, 0], [0, 0]]]);
    const short = tf.tensor3d([[[1, 2], [0.5, -1]]]);
    const l = m.layers[1] as rnn.SimpleRNN;
    expect(maxDiff(arr(m.predict(x) as tf.Tensor), arr(l.apply(short)))).toBeLessThan(1e-7);
    expect(() => l.apply(x, { mask: tf.ones([1, 3]) })).toThrow(/mask must have shape \[1, 4\]/);
  });
});

describe('parameter counts do not change with the new arguments (Keras summary numbers)', () => {
  it('Embedding(10000, 32, mask_zero) -> LSTM(5, dropout, recurrent_dropout) -> Dense(1): 320,766', () => {
    const m = tf.sequential();
    m.add(rnn.embedding({ inputDim: 10000, outputDim: 32, inputLength: 100, maskZero: true }));
    m.add(rnn.lstm({ units: 5, dropout: 0.2, recurrentDropout: 0.2, unroll: true, seed: 1 }));
    m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
    expect(m.countParams()).toBe(320766);
  });
  it('Bidirectional(LSTM(5)) with a backwardLayer on 32 inputs: 1,520; stateful GRU(5) on 10 inputs: 255', () => {
    const m = tf.sequential();
    m.add(tf.layers.inputLayer({ batchInputShape: [4, 100, 32] }));
    m.add(rnn.bidirectional({ layer: rnn.lstm({ units: 5, returnSequences: true }), backwardLayer: rnn.lstm({ units: 5, returnSequences: true, goBackwards: true }) }));
    expect(m.countParams()).toBe(1520);
    m.add(rnn.gru({ units: 5, stateful: true }));
    expect(m.countParams()).toBe(1520 + 10 * 15 + 5 * 15 + 2 * 15);
  });
});

describe('stateful training', () => {
  it('fit with a stateful LSTM (batch size fixed) trains and does not leak tensors per batch', async () => {
    const m = tf.sequential();
    m.add(rnn.lstm({ units: 3, stateful: true, batchInputShape: [4, 5, 2], dropout: 0.2, recurrentDropout: 0.2, seed: 3 }));
    m.add(rnn.dense({ units: 1 }));
    m.compile({ optimizer: rnn.adam(), loss: 'meanSquaredError' });
    const x = tf.randomNormal([16, 5, 2], 0, 1, 'float32', 1);
    const y = tf.randomNormal([16, 1], 0, 1, 'float32', 2);
    await m.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    const before = tf.memory().numTensors;
    const h = await m.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    expect(h.history.loss.every((v) => Number.isFinite(v as number))).toBe(true);
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(4);
    await expect(m.fit(x.slice(0, 6), y.slice(0, 6), { epochs: 1, batchSize: 4, verbose: 0 })).rejects.toThrow(/stateful/);
  });
});
