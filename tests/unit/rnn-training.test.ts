/**
 * Training and model plumbing: `fit` through the fused path lowers the loss on a small
 * learnable task (with rnn.adam and with a stock tfjs optimizer), Keras-parity Adam
 * arithmetic, `evaluate`/`predict`, model save/load round trips, and no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';
import { getKernels } from '../../src/rnn/kernels/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Sequences of 12 ids in [1, 20); label 1 when id 7 occurs. Deterministic. */
function toyTask(n: number, seed = 1): { x: tf.Tensor2D; y: tf.Tensor2D } {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const xs: number[][] = [];
  const ys: number[][] = [];
  for (let i = 0; i < n; i++) {
    const seq = Array.from({ length: 12 }, () => 1 + Math.floor(rand() * 19));
    if (i % 2 === 0 && !seq.includes(7)) seq[Math.floor(rand() * 12)] = 7;
    if (i % 2 === 1) for (let t = 0; t < 12; t++) if (seq[t] === 7) seq[t] = 8;
    xs.push(seq);
    ys.push([seq.includes(7) ? 1 : 0]);
  }
  return { x: tf.tensor2d(xs, [n, 12], 'int32'), y: tf.tensor2d(ys, [n, 1]) };
}

/**
 * The test model, with seeded initial weights: unseeded, the simple RNN's loss fell below
 * 0.6x its first epoch's on most runs but not all (0.454 against 0.411 once in a full run).
 */
function buildModel(kind: 'lstm' | 'gru' | 'bi' | 'simple'): tf.Sequential {
  let seed = 100;
  const glorot = () => tf.initializers.glorotUniform({ seed: seed++ });
  const orthogonal = () => tf.initializers.orthogonal({ seed: seed++ });
  const cell = { kernelInitializer: glorot(), recurrentInitializer: orthogonal() };
  const m = tf.sequential();
  m.add(rnn.embedding({ inputDim: 20, outputDim: 8, inputLength: 12, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed++ }) }));
  if (kind === 'lstm') m.add(rnn.lstm({ units: 8, ...cell }));
  if (kind === 'gru') m.add(rnn.gru({ units: 8, ...cell }));
  if (kind === 'simple') m.add(rnn.simpleRNN({ units: 8, ...cell }));
  if (kind === 'bi') m.add(rnn.bidirectional({ layer: rnn.lstm({ units: 4, ...cell }) }));
  m.add(rnn.dense({ units: 1, activation: 'sigmoid', kernelInitializer: glorot() }));
  return m;
}

describe('training through model.fit', () => {
  for (const kind of ['lstm', 'gru', 'bi', 'simple'] as const) {
    it(`${kind}: fit lowers the loss (rnn.adam, fused kernels)`, async () => {
      const { x, y } = toyTask(256);
      const m = buildModel(kind);
      m.compile({ optimizer: rnn.adam({ learningRate: 0.02 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      const h = await m.fit(x, y, { epochs: 12, batchSize: 32, shuffle: false, yieldEvery: 'never', verbose: 0 });
      const loss = h.history.loss as number[];
      expect(loss[loss.length - 1]).toBeLessThan(0.6 * loss[0]);
      const [evalLoss, acc] = m.evaluate(x, y, { batchSize: 64 }) as tf.Scalar[];
      expect(acc.dataSync()[0]).toBeGreaterThan(0.8);
      expect(evalLoss.dataSync()[0]).toBeLessThan(loss[0]);
      tf.dispose([x, y, evalLoss, acc]);
      m.dispose();
    });
  }

  it('fit runs each recurrent layer as one fused forward and one fused backward per batch', async () => {
    const { x, y } = toyTask(64, 2);
    const m = buildModel('bi');
    m.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy' });
    const kernels = getKernels() as unknown as Record<string, (...a: unknown[]) => unknown>;
    const calls = { forward: 0, backward: 0 };
    // The layer path calls `forward`; the whole-model fused step (src/rnn/train) `forwardResident`.
    const names = ['forward', 'forwardResident', 'backward'] as const;
    const saved = Object.fromEntries(names.filter((k) => kernels[k]).map((k) => [k, kernels[k]!]));
    for (const k of Object.keys(saved)) {
      kernels[k] = (...a: unknown[]) => {
        calls[k === 'backward' ? 'backward' : 'forward']++;
        return saved[k]!(...a);
      };
    }
    try {
      await m.fit(x, y, { epochs: 1, batchSize: 16, yieldEvery: 'never', verbose: 0 });
    } finally {
      Object.assign(kernels, saved);
    }
    // 4 batches x 2 directions (forward and backward LSTM of the Bidirectional layer).
    expect(calls).toEqual({ forward: 8, backward: 8 });
    tf.dispose([x, y]);
    m.dispose();
  });

  it('works with a stock tfjs optimizer and the default yieldEvery', async () => {
    const { x, y } = toyTask(128, 3);
    const m = buildModel('gru');
    m.compile({ optimizer: tf.train.adam(0.02), loss: 'binaryCrossentropy' });
    const h = await m.fit(x, y, { epochs: 8, batchSize: 32, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(0.8 * loss[0]);
    tf.dispose([x, y]);
    m.dispose();
  });
});

describe('rnn.adam is Keras Adam', () => {
  it('matches the Keras update formula step by step', () => {
    const w = tf.variable(tf.tensor1d([0.5, -1, 2, 0]));
    const opt = rnn.adam({ learningRate: 0.1 });
    const g = [0.3, -0.2, 1.5, 0];
    const ref = { w: [0.5, -1, 2, 0], m: [0, 0, 0, 0], v: [0, 0, 0, 0] };
    for (let t = 1; t <= 3; t++) {
      opt.applyGradients({ [w.name]: tf.tensor1d(g) });
      const alpha = (0.1 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
      for (let i = 0; i < 4; i++) {
        ref.m[i] += (g[i] - ref.m[i]) * 0.1;
        ref.v[i] += (g[i] * g[i] - ref.v[i]) * 0.001;
        ref.w[i] -= (alpha * ref.m[i]) / (Math.sqrt(ref.v[i]) + 1e-7);
      }
    }
    const got = w.dataSync();
    ref.w.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(1e-5));
    expect(opt.iterations).toBe(3);
    expect(opt.getConfig()).toEqual({ learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  });

  it('does not write through to a tensor the variable shares storage with', () => {
    const init = tf.tensor1d([1, 2, 3]);
    const layer = rnn.dense({ units: 1, useBias: false, inputShape: [3] });
    const m = tf.sequential({ layers: [layer] });
    layer.setWeights([init.reshape([3, 1])]);
    const opt = rnn.adam({ learningRate: 0.5 });
    const v = layer.trainableWeights[0].read() as tf.Variable;
    opt.applyGradients({ [v.name]: tf.ones([3, 1]) });
    expect(Array.from(init.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(v.dataSync()).every((x, i) => x < [1, 2, 3][i])).toBe(true);
    // Nor to a user's typed array whose tensor was disposed after setWeights.
    const raw = new Float32Array([4, 5, 6]);
    tf.tidy(() => layer.setWeights([tf.tensor(raw, [3, 1])]));
    for (let i = 0; i < 3; i++) opt.applyGradients({ [v.name]: tf.ones([3, 1]) });
    expect(Array.from(raw)).toEqual([4, 5, 6]);
    expect(v.dataSync()[0]).toBeLessThan(4);
    m.dispose();
  });
});

describe('serialization', () => {
  async function roundTrip(m: tf.LayersModel): Promise<tf.LayersModel> {
    let saved: tf.io.ModelArtifacts | null = null;
    await m.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    return tf.loadLayersModel(tf.io.fromMemory(saved!));
  }

  it('save/load reproduces outputs and keeps our layer classes and Keras arguments', async () => {
    const m = tf.sequential();
    m.add(rnn.embedding({ inputDim: 30, outputDim: 6, inputLength: 7 }));
    m.add(rnn.bidirectional({ layer: rnn.gru({ units: 3, returnSequences: true }), mergeMode: 'sum' }));
    m.add(rnn.lstm({ units: 4, returnSequences: true, goBackwards: true }));
    m.add(rnn.simpleRNN({ units: 3 }));
    m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6, 7], [9, 8, 7, 6, 5, 4, 29]], [2, 7], 'int32');
    const before = m.predict(x) as tf.Tensor;
    const loaded = await roundTrip(m);
    const after = loaded.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(before, after))).dataSync()[0]).toBeLessThan(1e-6);
    expect(loaded.layers.map((l) => (l as unknown as { kerasClassName?: string }).kerasClassName)).toEqual([
      'Embedding', 'Bidirectional', 'LSTM', 'SimpleRNN', 'Dense',
    ]);
    expect(loaded.layers[1]).toBeInstanceOf(rnn.Bidirectional);
    const bi = loaded.layers[1] as rnn.Bidirectional;
    expect(bi.mergeMode).toBe('sum');
    expect(bi.forwardLayer.resetAfter).toBe(true);
    expect((loaded.layers[2] as rnn.LSTM).goBackwards).toBe(true);
    expect(loaded.countParams()).toBe(m.countParams());
  });
});

describe('no tensor leaks', () => {
  it('numTensors is stable across fit, predict and evaluate calls', async () => {
    const { x, y } = toyTask(64, 5);
    const m = buildModel('bi');
    m.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    await m.fit(x, y, { epochs: 1, batchSize: 16, yieldEvery: 'never', verbose: 0 });
    tf.dispose(m.predict(x) as tf.Tensor);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await m.fit(x, y, { epochs: 1, batchSize: 16, yieldEvery: 'never', verbose: 0 });
      tf.dispose(m.predict(x) as tf.Tensor);
      tf.dispose(m.evaluate(x, y) as tf.Scalar[]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    m.dispose();
  });
});
