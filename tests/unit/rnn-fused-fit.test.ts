/**
 * The fused training step (src/rnn/train): a model that qualifies trains in one fused call
 * per batch and gives the same weights, losses, metrics, validation numbers and optimizer
 * state as tfjs's own train function over the same fused layers (`setFusedTraining(false)`);
 * each condition that must fall back does fall back, with the stock numbers; no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';
import { getWasmKernels } from '../../src/rnn/kernels/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  rnn.setFusedTraining(true);
  rnn.setKernelImplementation('auto');
});

const V = 50;
const T = 9;

/**
 * Ids in [0, V) and labels (1 when id 7 occurs, so something is learnable). Deterministic.
 * With `padding`, each sequence holds 3..T ids in [1, V) and zeros before ('pre') or after
 * ('post') them, as Keras's pad_sequences makes.
 */
function data(n: number, seed = 3, padding?: 'pre' | 'post'): { x: tf.Tensor2D; y: tf.Tensor2D } {
  let s = seed;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  const ids = new Int32Array(n * T);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const len = padding ? 3 + (i % (T - 2)) : T;
    const start = padding === 'pre' ? T - len : 0;
    for (let t = 0; t < T; t++) {
      const inside = t >= start && t < start + len;
      ids[i * T + t] = !inside ? 0 : padding ? 1 + Math.floor(rand() * (V - 1)) : Math.floor(rand() * V);
    }
    if (i % 2 === 0) ids[i * T + start + Math.floor(rand() * len)] = 7;
    if (i % 2 === 0) ids[i * T + Math.floor(rand() * T)] = 7;
    let has = 0;
    for (let t = 0; t < T; t++) if (ids[i * T + t] === 7) has = 1;
    ys[i] = has;
  }
  return { x: tf.tensor2d(ids, [n, T], 'int32'), y: tf.tensor2d(ys, [n, 1]) };
}

type Cell = 'lstm' | 'gru' | 'simple' | 'stacked' | 'bistacked';
interface Config {
  cell?: Cell;
  embedding?: 'rnn' | 'tf';
  dense?: 'rnn' | 'tf' | 'two';
  optimizer?: 'rnn' | "'adam'" | 'tf.train.adam' | 'rnn-clip' | 'sgd';
  loss?: 'binaryCrossentropy' | 'meanSquaredError' | 'meanAbsoluteError';
  metrics?: string[];
  /** Changes one layer argument (the fall-back cases). */
  tweak?: 'dropout' | 'recurrentDropout' | 'bothDropouts' | 'regularizer' | 'constraint' | 'goBackwards' | 'bidirectional' | 'unfused' | 'untrainable';
  /** An embedding with maskZero (ours or tfjs's), instead of `embedding`. */
  mask?: 'rnn' | 'tf';
  /** Padded sequences (see `data`). */
  padding?: 'pre' | 'post';
  /** zeroOutputForMask on the recurrent layers. */
  zeroOutput?: boolean;
  /** An rnn.bidirectional LSTM(3) with this merge mode as the recurrent layer. */
  bi?: 'concat' | 'sum' | 'mul' | 'ave';
}

function build(cfg: Config): tf.Sequential {
  const m = tf.sequential();
  const embArgs = { inputDim: V, outputDim: 6, inputLength: T };
  if (cfg.mask) m.add(cfg.mask === 'tf' ? tf.layers.embedding({ ...embArgs, maskZero: true }) : rnn.embedding({ ...embArgs, maskZero: true }));
  else m.add(cfg.embedding === 'tf' ? tf.layers.embedding(embArgs) : rnn.embedding(embArgs));
  const extra: Record<string, unknown> = {};
  if (cfg.zeroOutput) extra.zeroOutputForMask = true;
  if (cfg.tweak === 'dropout') Object.assign(extra, { dropout: 0.2, seed: 11 });
  if (cfg.tweak === 'recurrentDropout') Object.assign(extra, { recurrentDropout: 0.3, seed: 12 });
  if (cfg.tweak === 'bothDropouts') Object.assign(extra, { dropout: 0.25, recurrentDropout: 0.2, seed: 13 });
  if (cfg.tweak === 'regularizer') extra.kernelRegularizer = 'l2';
  if (cfg.tweak === 'constraint') extra.kernelConstraint = 'nonNeg';
  if (cfg.tweak === 'goBackwards') extra.goBackwards = true;
  if (cfg.tweak === 'unfused') extra.fused = false;
  const cell = cfg.cell ?? 'lstm';
  if (cfg.tweak === 'bidirectional') m.add(rnn.bidirectional({ layer: rnn.lstm({ units: 3, fused: false }) }));
  else if (cfg.bi) m.add(rnn.bidirectional({ layer: rnn.lstm({ units: 3, ...extra }), mergeMode: cfg.bi }));
  else if (cell === 'bistacked') {
    m.add(rnn.bidirectional({ layer: rnn.gru({ units: 3, returnSequences: true, ...extra }) }));
    m.add(rnn.lstm({ units: 4, ...(cfg.zeroOutput ? { zeroOutputForMask: true } : {}) }));
  } else if (cell === 'lstm') m.add(rnn.lstm({ units: 4, ...extra }));
  else if (cell === 'gru') m.add(rnn.gru({ units: 4, ...extra }));
  else if (cell === 'simple') m.add(rnn.simpleRNN({ units: 4, ...extra }));
  else {
    m.add(rnn.lstm({ units: 5, returnSequences: true, ...extra }));
    m.add(rnn.gru({ units: 3, ...(cfg.zeroOutput ? { zeroOutputForMask: true } : {}) }));
  }
  if (cfg.dense === 'tf') m.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  else if (cfg.dense === 'two') {
    m.add(rnn.dense({ units: 3, activation: 'tanh' }));
    m.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  } else m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
  if (cfg.tweak === 'untrainable') m.layers[0].trainable = false;
  const o = cfg.optimizer ?? 'rnn';
  const optimizer =
    o === 'rnn' ? rnn.adam({ learningRate: 0.01 }) : o === 'rnn-clip' ? rnn.adam({ learningRate: 0.01, clipnorm: 0.01 }) : o === "'adam'" ? 'adam' : o === 'sgd' ? tf.train.sgd(0.1) : tf.train.adam(0.01);
  m.compile({ optimizer, loss: cfg.loss ?? 'binaryCrossentropy', metrics: cfg.metrics ?? ['accuracy'] });
  return m;
}

/** Uniform [-0.3, 0.3) weights from a fixed generator, so that every run starts the same. */
function deterministicWeights(model: tf.LayersModel): tf.Tensor[] {
  let s = 7;
  return model.getWeights().map((w) => {
    const v = new Float32Array(w.size);
    for (let i = 0; i < v.length; i++) v[i] = ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296 - 0.5) * 0.6;
    return tf.tensor(v, w.shape);
  });
}

interface Run {
  history: Record<string, number[]>;
  weights: Float32Array[];
  optimizer: Float32Array[];
  info: rnn.FusedStepInfo;
  evaluated: number[];
}

/** Trains a fresh model (the initial weights of `init`) and returns what it ends with. */
async function train(cfg: Config, fused: boolean, init: tf.Tensor[] | null, fitArgs: tf.ModelFitArgs = {}): Promise<Run & { init: tf.Tensor[] }> {
  rnn.setFusedTraining(fused);
  const model = build(cfg);
  const start = init ?? deterministicWeights(model);
  model.setWeights(start);
  const { x, y } = data(80, 3, cfg.padding);
  const h = await model.fit(x, y, { batchSize: 16, epochs: 2, shuffle: false, verbose: 0, ...fitArgs });
  const ev = model.evaluate(x, y, { batchSize: 32 }) as tf.Scalar | tf.Scalar[];
  const evaluated = (Array.isArray(ev) ? ev : [ev]).map((t) => t.dataSync()[0]);
  tf.dispose(ev);
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  const optWeights = await model.optimizer.getWeights();
  const optimizer = optWeights.map((w) => Float32Array.from(w.tensor.dataSync()));
  tf.dispose(optWeights.map((w) => w.tensor));
  const info = rnn.fusedStepInfo(model);
  tf.dispose([x, y]);
  model.dispose();
  return { history: h.history as Record<string, number[]>, weights, optimizer, info, evaluated, init: start };
}

/** Relative difference at most `rel`; values under 0.05 in magnitude are compared as if they were 0.05 (float32 rounding near zero). */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string, rel = 1e-5): void {
  expect(a.length, what).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 0.05);
    if (d > worst) worst = d;
  }
  if (process.env.FUSED_FIT_DEBUG) console.log(what, worst);
  expect(worst, what).toBeLessThanOrEqual(rel);
}

/** Fused vs stock on the same start: weights, history, optimizer state and evaluate agree. */
async function compare(cfg: Config, fitArgs: tf.ModelFitArgs = {}, rel = 1e-5): Promise<{ fused: Run; stock: Run }> {
  const fused = await train(cfg, true, null, fitArgs);
  const stock = await train(cfg, false, fused.init, fitArgs);
  tf.dispose(fused.init);
  expect(Object.keys(fused.history).sort()).toEqual(Object.keys(stock.history).sort());
  for (const k of Object.keys(stock.history)) expectClose(fused.history[k], stock.history[k], `history ${k}`, rel);
  fused.weights.forEach((w, i) => expectClose(w, stock.weights[i], `weight ${i}`, rel));
  expect(fused.optimizer.length).toBe(stock.optimizer.length);
  fused.optimizer.forEach((w, i) => expectClose(w, stock.optimizer[i], `optimizer weight ${i}`, 1e-4));
  expectClose(fused.evaluated, stock.evaluated, 'evaluate');
  return { fused, stock };
}

describe('fused training step: same numbers as the stock train function', () => {
  const cases: [string, Config][] = [
    ['LSTM, rnn.adam, BCE', { cell: 'lstm' }],
    ['GRU, rnn.adam, BCE', { cell: 'gru' }],
    ['SimpleRNN, rnn.adam, BCE', { cell: 'simple' }],
    ['stacked LSTM -> GRU', { cell: 'stacked' }],
    ["LSTM, optimizer 'adam'", { optimizer: "'adam'" }],
    ['GRU, tf.train.adam', { cell: 'gru', optimizer: 'tf.train.adam' }],
    ['LSTM, rnn.adam with clipnorm', { optimizer: 'rnn-clip' }],
    ['LSTM, MSE', { loss: 'meanSquaredError' }],
    ['GRU, MSE, no metrics', { cell: 'gru', loss: 'meanSquaredError', metrics: [] }],
    ['tf.layers.embedding + tf.layers.dense (acc)', { embedding: 'tf', dense: 'tf', metrics: ['acc'] }],
    ['two dense layers (tanh, sigmoid)', { dense: 'two', optimizer: 'tf.train.adam' }],
    // Dropout masks come from the layer's seeded generator, drawn in the same order both ways.
    ['LSTM with dropout (seeded)', { tweak: 'dropout' }],
    ['GRU with recurrentDropout (seeded)', { cell: 'gru', tweak: 'recurrentDropout' }],
    ['stacked with dropout and recurrentDropout (seeded)', { cell: 'stacked', tweak: 'bothDropouts' }],
    ['SimpleRNN with both dropouts (seeded)', { cell: 'simple', tweak: 'bothDropouts', optimizer: "'adam'" }],
    // maskZero: the mask (id != 0) reaches every recurrent layer, as tfjs passes it on.
    ['LSTM, rnn.embedding maskZero, post-padding', { mask: 'rnn', padding: 'post' }],
    ['GRU, rnn.embedding maskZero, pre-padding', { cell: 'gru', mask: 'rnn', padding: 'pre' }],
    ['SimpleRNN, maskZero, zeros anywhere in the sequence', { cell: 'simple', mask: 'rnn' }],
    ['stacked, tf.layers.embedding maskZero, zeroOutputForMask, post-padding', { cell: 'stacked', mask: 'tf', padding: 'post', zeroOutput: true }],
    ['stacked, maskZero with dropout and recurrentDropout (seeded), pre-padding', { cell: 'stacked', mask: 'rnn', padding: 'pre', tweak: 'bothDropouts' }],
    // goBackwards: the layer reads a time-reversed copy; its outputs stay in its reading order.
    ['LSTM goBackwards', { tweak: 'goBackwards' }],
    ['stacked, the first layer goBackwards, with maskZero, post-padding', { cell: 'stacked', tweak: 'goBackwards', mask: 'rnn', padding: 'post' }],
    // Bidirectional: both directions, merged; the backward sequence reversed back to time order.
    ['Bidirectional LSTM, concat', { bi: 'concat' }],
    ['Bidirectional LSTM, sum', { bi: 'sum' }],
    ['Bidirectional LSTM, mul', { bi: 'mul' }],
    ['Bidirectional LSTM, ave, maskZero, pre-padding', { bi: 'ave', mask: 'rnn', padding: 'pre' }],
    ['Bidirectional GRU returning sequences (concat) -> LSTM, maskZero, zeroOutputForMask', { cell: 'bistacked', mask: 'tf', padding: 'post', zeroOutput: true }],
    ['Bidirectional GRU returning sequences -> LSTM, with both dropouts (seeded)', { cell: 'bistacked', tweak: 'bothDropouts' }],
  ];
  for (const [name, cfg] of cases) {
    it(name, async () => {
      // clipnorm divides by the gradient's norm, which carries float32 rounding of both paths.
      const { fused, stock } = await compare(cfg, {}, cfg.optimizer === 'rnn-clip' ? 5e-5 : 1e-5);
      expect(fused.info.train).toBe('fused');
      expect(fused.info.trainSteps).toBe(10);
      expect(fused.info.test).toBe('fused');
      expect(stock.info.trainSteps).toBe(0);
    });
  }

  it('validation (validationSplit and validationData) agrees and runs fused', async () => {
    const { fused } = await compare({ cell: 'gru' }, { validationSplit: 0.25 });
    expect(fused.history.val_loss).toHaveLength(2);
    expect(fused.info.testSteps).toBeGreaterThan(0);
    const v = data(24, 9);
    await compare({ cell: 'lstm', optimizer: "'adam'" }, { validationData: [v.x, v.y] });
    tf.dispose([v.x, v.y]);
  });

  it('float ids (tfjs gives float tensors from plain arrays) agree', async () => {
    rnn.setFusedTraining(true);
    const a = build({});
    const b = build({});
    const w0 = deterministicWeights(a);
    a.setWeights(w0);
    b.setWeights(w0);
    tf.dispose(w0);
    const { x, y } = data(32);
    const xf = x.toFloat();
    rnn.setFusedTraining(true);
    const ha = await a.fit(xf, y, { batchSize: 16, epochs: 1, shuffle: false, verbose: 0 });
    rnn.setFusedTraining(false);
    const hb = await b.fit(xf, y, { batchSize: 16, epochs: 1, shuffle: false, verbose: 0 });
    expect(rnn.fusedStepInfo(a).trainSteps).toBe(2);
    expectClose(ha.history.loss as number[], hb.history.loss as number[], 'loss');
    a.getWeights().forEach((w, i) => expectClose(w.dataSync(), b.getWeights()[i].dataSync(), `weight ${i}`));
    tf.dispose([x, y, xf]);
    a.dispose();
    b.dispose();
  });

  it('a later stock step continues from the fused Adam state', async () => {
    const a = build({ optimizer: 'tf.train.adam' });
    const b = build({ optimizer: 'tf.train.adam' });
    const w0 = deterministicWeights(a);
    a.setWeights(w0);
    b.setWeights(w0);
    tf.dispose(w0);
    const { x, y } = data(32);
    rnn.setFusedTraining(true);
    await a.fit(x, y, { batchSize: 16, epochs: 1, shuffle: false, verbose: 0 });
    rnn.setFusedTraining(false);
    await a.fit(x, y, { batchSize: 16, epochs: 1, shuffle: false, verbose: 0 });
    await b.fit(x, y, { batchSize: 16, epochs: 2, shuffle: false, verbose: 0 });
    a.getWeights().forEach((w, i) => expectClose(w.dataSync(), b.getWeights()[i].dataSync(), `weight ${i}`));
    // predict sees the trained weights.
    rnn.setFusedTraining(true);
    expectClose((a.predict(x) as tf.Tensor).dataSync(), (b.predict(x) as tf.Tensor).dataSync(), 'predict');
    tf.dispose([x, y]);
    a.dispose();
    b.dispose();
  });

  it('fitDataset trains through the fused step with the same numbers', async () => {
    const { x, y } = data(48);
    const run = async (fused: boolean) => {
      rnn.setFusedTraining(fused);
      const model = build({ cell: 'gru', optimizer: "'adam'" });
      const w0 = deterministicWeights(model);
      model.setWeights(w0);
      tf.dispose(w0);
      const ds = tf.data.zip({ xs: tf.data.array(x.unstack()), ys: tf.data.array(y.unstack()) }).batch(16);
      const h = await model.fitDataset(ds as tf.data.Dataset<tf.TensorContainer>, { epochs: 2, verbose: 0 });
      const out = { loss: h.history.loss as number[], weights: model.getWeights().map((w) => Float32Array.from(w.dataSync())), info: rnn.fusedStepInfo(model) };
      model.dispose();
      return out;
    };
    const a = await run(true);
    const b = await run(false);
    expect(a.info.trainSteps).toBe(6);
    expectClose(a.loss, b.loss, 'loss');
    a.weights.forEach((w, i) => expectClose(w, b.weights[i], `weight ${i}`));
    tf.dispose([x, y]);
  });

  it('a model whose buffers grow the WebAssembly memory mid-step gives the same numbers', async () => {
    // 100,000 x 40 floats = 16 MB per table-sized block: the table, its gradient and Adam's two
    // moments exceed the heap's initial reservation during the first step.
    const big = (fused: boolean) => {
      rnn.setFusedTraining(fused);
      const m = tf.sequential();
      m.add(rnn.embedding({ inputDim: 100_000, outputDim: 40, inputLength: T }));
      m.add(rnn.lstm({ units: 3 }));
      m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
      m.compile({ optimizer: rnn.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      return m;
    };
    const { x, y } = data(32);
    const ids = tf.tidy(() => tf.mul(x, 1999).mod(100_000).toInt());
    const a = big(true);
    const w0 = deterministicWeights(a);
    a.setWeights(w0);
    const before = getWasmKernels()!.heap.stats().memoryBytes;
    const ha = await a.fit(ids, y, { batchSize: 16, epochs: 1, shuffle: false, verbose: 0 });
    const b = big(false);
    b.setWeights(w0);
    const hb = await b.fit(ids, y, { batchSize: 16, epochs: 1, shuffle: false, verbose: 0 });
    expect(rnn.fusedStepInfo(a).trainSteps).toBe(2);
    if (before < 64 << 20) expect(getWasmKernels()!.heap.stats().memoryBytes).toBeGreaterThan(before);
    expectClose(ha.history.loss as number[], hb.history.loss as number[], 'loss');
    a.getWeights().forEach((w, i) => expectClose(w.dataSync(), b.getWeights()[i].dataSync(), `weight ${i}`));
    tf.dispose([x, y, ids, ...w0]);
    a.dispose();
    b.dispose();
  });

  it('evaluate on an untrained model (weights not yet in WebAssembly memory) agrees', () => {
    const model = build({ cell: 'stacked', dense: 'two' });
    const w0 = deterministicWeights(model);
    model.setWeights(w0);
    const { x, y } = data(40);
    const evalWith = (fused: boolean) => {
      rnn.setFusedTraining(fused);
      const r = model.evaluate(x, y, { batchSize: 16 }) as tf.Scalar[];
      const v = r.map((t) => t.dataSync()[0]);
      tf.dispose(r);
      return v;
    };
    const fused = evalWith(true);
    expect(rnn.fusedStepInfo(model).test).toBe('fused');
    expect(rnn.fusedStepInfo(model).testSteps).toBe(3);
    expectClose(fused, evalWith(false), 'evaluate');
    tf.dispose([x, y, ...w0]);
    model.dispose();
  });

  it('leaks no tensors across fused steps', async () => {
    rnn.setFusedTraining(true);
    const model = build({ cell: 'stacked' });
    const { x, y } = data(64);
    await model.fit(x, y, { batchSize: 16, epochs: 1, verbose: 0 });
    const before = tf.memory().numTensors;
    await model.fit(x, y, { batchSize: 16, epochs: 3, verbose: 0, validationSplit: 0.25 });
    expect(tf.memory().numTensors).toBe(before);
    expect(rnn.fusedStepInfo(model).train).toBe('fused');
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('fused training step: what falls back to the stock path', () => {
  const cases: [string, Config, RegExp][] = [
    ['a kernel regularizer', { tweak: 'regularizer' }, /regulari/],
    ['a kernel constraint', { tweak: 'constraint' }, /constraint/],
    ['Bidirectional over a layer with fused: false', { tweak: 'bidirectional' }, /fused: false/],
    ['fused: false', { tweak: 'unfused' }, /fused: false/],
    ['a layer that is not trainable', { tweak: 'untrainable' }, /not trainable/],
    ['loss meanAbsoluteError', { loss: 'meanAbsoluteError' }, /loss/],
    ['metric mae', { metrics: ['mae'] }, /metric/],
    ['optimizer sgd', { optimizer: 'sgd' }, /optimizer/],
  ];
  for (const [name, cfg, reason] of cases) {
    it(name, async () => {
      const fused = await train(cfg, true, null);
      expect(fused.info.train).toMatch(reason);
      expect(fused.info.trainSteps).toBe(0);
      const stock = await train(cfg, false, fused.init);
      for (const k of Object.keys(stock.history)) expect(fused.history[k]).toEqual(stock.history[k]);
      fused.weights.forEach((w, i) => expect(w).toEqual(stock.weights[i]));
      tf.dispose(fused.init);
    });
  }

  it('classWeight (sample weights) falls back per batch, with the stock numbers', async () => {
    const fused = await train({}, true, null, { classWeight: { 0: 1, 1: 2 } });
    expect(fused.info.train).toBe('fused');
    expect(fused.info.trainSteps).toBe(0);
    expect(fused.info.fallbackBatches).toBe(10);
    const stock = await train({}, false, fused.init, { classWeight: { 0: 1, 1: 2 } });
    fused.weights.forEach((w, i) => expect(w).toEqual(stock.weights[i]));
    tf.dispose(fused.init);
  });

  it('the JS kernels fall back', async () => {
    rnn.setKernelImplementation('js');
    const fused = await train({}, true, null);
    expect(fused.info.train).toMatch(/WebAssembly/);
    tf.dispose(fused.init);
  });

  it('setFusedTraining refuses a non-boolean', () => {
    expect(() => rnn.setFusedTraining('yes' as unknown as boolean)).toThrow(/true or false/);
  });
});

describe('float ids in fused training (Keras 3 casts them to int32, as rnn.embedding does in predict)', () => {
  const build = () => {
    const m = tf.sequential();
    m.add(rnn.embedding({ inputDim: 5, outputDim: 3, inputLength: 3 }));
    m.add(rnn.lstm({ units: 2 }));
    m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
    m.compile({ optimizer: rnn.adam({ learningRate: 0.1 }), loss: 'binaryCrossentropy' });
    return m;
  };
  it('trains on 2.7 exactly as on 2, and reports an id outside the table after the cast', async () => {
    const a = build();
    const b = build();
    b.setWeights(a.getWeights());
    const y = tf.tensor2d([[1], [0]]);
    await a.fit(tf.tensor2d([[2.7, 1.2, 4.9], [0.5, 3.3, 2.0]]), y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    await b.fit(tf.tensor2d([[2, 1, 4], [0, 3, 2]], undefined, 'int32'), y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    expect(rnn.fusedStepInfo(a)).toMatchObject({ train: 'fused', trainSteps: 2 });
    const wa = a.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = b.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wa).toEqual(wb);
    await expect(a.fit(tf.tensor2d([[5.5, 1, 1], [1, 1, 1]]), y, { epochs: 1, batchSize: 2, verbose: 0 })).rejects.toThrow(
      /5\.5 \(cast to int32: 5\) is outside \[0, 5\)/,
    );
  });
});
