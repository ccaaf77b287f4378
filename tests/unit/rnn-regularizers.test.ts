/**
 * Keras regularizers and constraints on the src/rnn layers (src/rnn/layers/weight-args.ts):
 * - golden: loss and every weight's gradient with L1 / L2 / L1L2 penalties on kernel,
 *   recurrent kernel, bias and activity of LSTM, GRU, stacked and Bidirectional models,
 *   against the float64 fixtures of tests/golden/rnn/regularized.json, to 1e-5, for the JS
 *   and WebAssembly kernels and the unfused path;
 * - `fit` reports the penalised loss; constraints project after each optimizer step (SGD,
 *   rnn.adam), not on setWeights; the spellings users write; serialization round trips;
 *   parameter counts in the summary do not change.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';
import type { PenaltySpec } from '../golden/rnn/generate-regularized';
import { describeEveryPath, expectClose, GOLDEN_TOL as TOL, loadRegularizedFixtures, makeRecurrent, type RegularizedFixture as Fixture } from './golden-fixtures';

const fixtures = loadRegularizedFixtures();

/** The spellings users write, rotated through the cases so that each is exercised. */
function regularizerArg(p: PenaltySpec, variant: number): unknown {
  if (p.kind === 'L1') {
    return variant % 2 === 0 ? tf.regularizers.l1({ l1: p.l1 }) : { className: 'L1', config: { l1: p.l1 } };
  }
  if (p.kind === 'L2') {
    return variant % 2 === 0 ? tf.regularizers.l2({ l2: p.l2 }) : { className: 'L2', config: { l2: p.l2 } };
  }
  return variant % 2 === 0 ? tf.regularizers.l1l2({ l1: p.l1, l2: p.l2 }) : { className: 'L1L2', config: { l1: p.l1, l2: p.l2 } };
}

const ARG: Record<PenaltySpec['target'], string> = {
  kernel: 'kernelRegularizer',
  recurrent: 'recurrentRegularizer',
  bias: 'biasRegularizer',
  activity: 'activityRegularizer',
};

function argsFor(fx: Fixture, layer: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  fx.penalties.filter((p) => p.layer === layer).forEach((p, i) => (out[ARG[p.target]] = regularizerArg(p, i + layer)));
  return out;
}

function buildModel(fx: Fixture, fused: boolean): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [fx.steps, fx.inputDim] }));
  fx.model.layers.forEach((spec, i) => {
    model.add(
      spec.type === 'bidirectional'
        ? rnn.bidirectional({ layer: makeRecurrent(spec.layer, { fused, ...argsFor(fx, i) }), mergeMode: spec.mergeMode })
        : makeRecurrent(spec, { fused, ...argsFor(fx, i) }),
    );
  });
  model.add(rnn.dense({ units: 1, activation: 'sigmoid', ...argsFor(fx, fx.model.layers.length) }));
  model.setWeights(fx.weights.flat().map((w) => tf.tensor(w.values, w.shape)));
  return model;
}

const bce = (y: tf.Tensor, p: tf.Tensor) =>
  tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))))) as tf.Scalar;

function runGolden(fx: Fixture, fused: boolean): void {
  const model = buildModel(fx, fused);
  const x = tf.tensor3d(fx.x);
  const y = tf.tensor2d(fx.y.map((v) => [v]));
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const p = model.apply(x, { training: true }) as tf.Tensor;
    return model.calculateLosses().reduce((acc: tf.Scalar, l) => tf.add(acc, l) as tf.Scalar, bce(y, p));
  }, vars);
  expect(Math.abs(value.dataSync()[0] - fx.loss), `${fx.name} loss ${value.dataSync()[0]} vs ${fx.loss}`).toBeLessThanOrEqual(TOL * (1 + fx.loss));
  const expected = fx.grads.flat();
  expect(vars.length).toBe(expected.length);
  vars.forEach((v, i) => expectClose(grads[v.name].dataSync(), expected[i], `${fx.name} grad of ${v.name}`));
  // Inference records no activity penalty: the losses are the weight penalties alone.
  const pInfer = model.apply(x) as tf.Tensor;
  const weightOnly = tf.tidy(() => model.calculateLosses().reduce((a: number, l) => a + l.dataSync()[0], 0));
  expect(Math.abs(weightOnly - fx.weightPenalty)).toBeLessThanOrEqual(TOL * (1 + fx.weightPenalty));
  tf.dispose([x, y, value, pInfer, ...Object.values(grads)]);
  model.dispose();
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('golden: penalised loss and gradients (float64 reference, 1e-5)', () => {
  it('covers L1, L2 and L1L2 on kernel, recurrent, bias and activity of LSTM and GRU', () => {
    for (const type of ['lstm', 'gru']) {
      const seen = new Set<string>();
      for (const fx of fixtures.filter((f) => f.name.startsWith(`${type}_regularized`))) {
        for (const p of fx.penalties) seen.add(`${p.target}:${p.kind}`);
      }
      expect(seen.size, type).toBe(12);
    }
  });
  describeEveryPath(fixtures, runGolden, 'unfused reference path');
});

describe('fit', () => {
  it("reports the penalised loss of the step, as Keras's history does", async () => {
    const fx = fixtures.find((f) => f.name === 'lstm_regularized_0')!;
    const model = buildModel(fx, true);
    model.compile({ optimizer: tf.train.sgd(0), loss: 'binaryCrossentropy' });
    const h = await model.fit(tf.tensor3d(fx.x), tf.tensor2d(fx.y.map((v) => [v])), { batchSize: fx.batch, epochs: 1, shuffle: false, verbose: 0 });
    expect(Math.abs((h.history.loss[0] as number) - fx.loss)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('does not grow memory across steps with an activity regularizer', async () => {
    const fx = fixtures.find((f) => f.name === 'bidirectional_regularized')!;
    const model = buildModel(fx, true);
    model.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy' });
    const x = tf.tensor3d(fx.x);
    const y = tf.tensor2d(fx.y.map((v) => [v]));
    await model.fit(x, y, { epochs: 2, verbose: 0 });
    const before = tf.memory().numTensors;
    await model.fit(x, y, { epochs: 5, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 5; i++) tf.dispose(model.predict(x) as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

/** Float64 Keras constraints on a row-major [rows, cols] weight, norms along axis 0 (per column). */
function project(kind: 'MaxNorm' | 'NonNeg' | 'UnitNorm' | 'MinMaxNorm', w: number[], shape: number[], cfg: { maxValue?: number; minValue?: number; rate?: number }): number[] {
  if (kind === 'NonNeg') return w.map((v) => Math.max(v, 0));
  const cols = shape.length === 1 ? 1 : shape[1];
  const rows = shape.length === 1 ? shape[0] : shape[0];
  const out = w.slice();
  for (let c = 0; c < cols; c++) {
    let ss = 0;
    for (let r = 0; r < rows; r++) ss += w[r * cols + c] ** 2;
    const n = Math.sqrt(ss);
    const clip = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
    const desired =
      kind === 'UnitNorm' ? 1 : kind === 'MaxNorm' ? clip(n, 0, cfg.maxValue!) : cfg.rate! * clip(n, cfg.minValue!, cfg.maxValue!) + (1 - cfg.rate!) * n;
    const scale = kind === 'UnitNorm' ? 1 / (1e-7 + n) : desired / (1e-7 + n);
    for (let r = 0; r < rows; r++) out[r * cols + c] = w[r * cols + c] * scale;
  }
  return out;
}

describe('constraints', () => {
  const fx = fixtures.find((f) => f.name === 'lstm_regularized_1')!;
  const noPenalties = { ...fx, penalties: [] as PenaltySpec[] };
  const constrained = (kernel: unknown, recurrent: unknown, bias: unknown) => {
    const model = tf.sequential();
    model.add(tf.layers.inputLayer({ inputShape: [fx.steps, fx.inputDim] }));
    model.add(rnn.lstm({ units: 4, kernelConstraint: kernel, recurrentConstraint: recurrent, biasConstraint: bias } as rnn.LSTMLayerArgs));
    model.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
    model.setWeights(fx.weights.flat().map((w) => tf.tensor(w.values, w.shape)));
    return model;
  };

  it('are not applied by setWeights (Keras set_weights stores values as given)', () => {
    const model = constrained('nonNeg', 'nonNeg', 'nonNeg');
    expectClose(model.getWeights()[0].dataSync(), fx.weights[0][0].values.map(Math.fround), 'kernel after setWeights', 0);
    model.dispose();
  });

  it('project the weights after each SGD step of fit (maxNorm, unitNorm, minMaxNorm)', async () => {
    const lr = 0.5;
    const model = constrained(
      tf.constraints.maxNorm({ maxValue: 0.6 }),
      'unit_norm',
      { className: 'MinMaxNorm', config: { min_value: 0.2, max_value: 0.3, rate: 0.5, axis: 0 } },
    );
    model.compile({ optimizer: tf.train.sgd(lr), loss: 'binaryCrossentropy' });
    await model.fit(tf.tensor3d(fx.x), tf.tensor2d(fx.y.map((v) => [v])), { batchSize: fx.batch, epochs: 1, shuffle: false, verbose: 0 });
    const w = model.getWeights();
    const step = (i: number) => fx.weights[0][i].values.map((v, e) => v - lr * fx.dataGrads[0][i][e]);
    expectClose(w[0].dataSync(), project('MaxNorm', step(0), fx.weights[0][0].shape, { maxValue: 0.6 }), 'kernel');
    expectClose(w[1].dataSync(), project('UnitNorm', step(1), fx.weights[0][1].shape, {}), 'recurrent kernel');
    expectClose(w[2].dataSync(), project('MinMaxNorm', step(2), fx.weights[0][2].shape, { minValue: 0.2, maxValue: 0.3, rate: 0.5 }), 'bias');
    // The Dense layer has no constraint: a plain SGD step.
    expectClose(w[3].dataSync(), fx.weights[1][0].values.map((v, e) => v - lr * fx.dataGrads[1][0][e]), 'dense kernel');
    model.dispose();
  });

  it('project after each rnn.adam step (nonNeg)', async () => {
    const lr = 0.05;
    const model = constrained(tf.constraints.nonNeg(), null, null);
    model.compile({ optimizer: rnn.adam({ learningRate: lr }), loss: 'binaryCrossentropy' });
    await model.fit(tf.tensor3d(fx.x), tf.tensor2d(fx.y.map((v) => [v])), { batchSize: fx.batch, epochs: 1, shuffle: false, verbose: 0 });
    // Adam's first step: w - lr·sqrt(1-β2)/(1-β1) · m / (sqrt(v) + ε), m = (1-β1)g, v = (1-β2)g².
    const adam1 = (v: number, g: number) => v - (lr * Math.sqrt(1 - 0.999) / (1 - 0.9)) * ((0.1 * g) / (Math.sqrt(0.001 * g * g) + 1e-7));
    const kernel = fx.weights[0][0].values.map((v, e) => adam1(v, fx.dataGrads[0][0][e]));
    expectClose(model.getWeights()[0].dataSync(), project('NonNeg', kernel, fx.weights[0][0].shape, {}), 'kernel', 1e-4);
    expect(Math.min(...model.getWeights()[0].dataSync())).toBe(0);
    expect(Math.min(...model.getWeights()[1].dataSync())).toBeLessThan(0); // no recurrent constraint
    model.dispose();
    void noPenalties;
  });

  it('leave a frozen layer alone (Keras constrains trainable variables only)', async () => {
    const model = constrained('nonNeg', null, null);
    const lstm = model.layers.find((l) => l instanceof rnn.LSTM)!;
    lstm.trainable = false;
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'binaryCrossentropy' });
    await model.fit(tf.tensor3d(fx.x), tf.tensor2d(fx.y.map((v) => [v])), { epochs: 1, verbose: 0 });
    expectClose(lstm.getWeights()[0].dataSync(), fx.weights[0][0].values.map(Math.fround), 'frozen kernel', 0);
    model.dispose();
  });
});

describe('spellings', () => {
  const penalty = (reg: unknown) =>
    tf.tidy(() => {
      const l = rnn.lstm({ units: 2, kernelRegularizer: reg as never, recurrentInitializer: 'zeros', kernelInitializer: 'ones' });
      l.apply(tf.zeros([1, 2, 3]));
      return l.calculateLosses()[0].dataSync()[0];
    });
  it("'l1' and 'l2' strings use Keras's default factor 0.01", () => {
    // kernel [3, 8] of ones: Σ|w| = Σw² = 24.
    expect(penalty('l1')).toBeCloseTo(0.24, 6);
    expect(penalty('l2')).toBeCloseTo(0.24, 6);
    expect(penalty('L2')).toBeCloseTo(0.24, 6);
    expect(penalty(tf.regularizers.l2())).toBeCloseTo(0.24, 6);
    expect(penalty(tf.regularizers.l1l2())).toBeCloseTo(0.48, 6); // tfjs object: its own 0.01 + 0.01
    expect(penalty({ className: 'L1L2', config: { l2: 0.5 } })).toBeCloseTo(12, 5); // Keras default l1 = 0
  });
  it("refuses 'l1l2' (0 in Keras, 0.01 each in tfjs), unknown names and negative factors", () => {
    expect(() => rnn.lstm({ units: 2, kernelRegularizer: 'l1l2' })).toThrow(/'kernelRegularizer' = 'l1l2' is ambiguous/);
    expect(() => rnn.gru({ units: 2, biasRegularizer: 'l3' })).toThrow(/GRU: argument 'biasRegularizer'.*'l3'/);
    expect(() => rnn.dense({ units: 2, kernelRegularizer: { className: 'L2', config: { l2: -1 } } })).toThrow(/Dense: argument 'kernelRegularizer'.*non-negative/);
    expect(() => rnn.lstm({ units: 2, recurrentConstraint: 'maxnorm' })).toThrow(/'recurrentConstraint'.*'maxnorm'/);
    expect(() => rnn.embedding({ inputDim: 5, outputDim: 2, embeddingsConstraint: { className: 'Nope' } })).toThrow(/'embeddingsConstraint'.*'Nope'/);
  });
  it('accept constraints as strings in three spellings, tfjs objects and dicts', () => {
    for (const c of ['maxNorm', 'max_norm', 'MaxNorm', tf.constraints.maxNorm({}), { className: 'MaxNorm', config: {} }]) {
      const l = rnn.lstm({ units: 2, kernelConstraint: c as never });
      expect(l.getConfig().kernelConstraint).toEqual({ className: 'MaxNorm', config: { maxValue: 2, axis: 0 } });
    }
  });
});

describe('Dense and Embedding', () => {
  it('Embedding: table penalty, activity penalty on the looked-up vectors, constraint after a step', async () => {
    const e = rnn.embedding({
      inputDim: 4,
      outputDim: 2,
      inputLength: 3,
      embeddingsInitializer: 'ones',
      embeddingsRegularizer: 'l2',
      activityRegularizer: tf.regularizers.l1({ l1: 0.1 }),
      embeddingsConstraint: tf.constraints.maxNorm({ maxValue: 1, axis: 1 }),
    });
    const ids = tf.tensor2d([[0, 1, 1]], [1, 3], 'int32');
    const out = e.apply(ids, { training: true }) as tf.Tensor;
    const losses = e.calculateLosses().map((l) => l.dataSync()[0]);
    expect(losses[0]).toBeCloseTo(0.01 * 8, 6); // Σw² of a 4x2 table of ones
    expect(losses[1]).toBeCloseTo(0.1 * 6, 6); // Σ|x| over 3 looked-up vectors of two ones
    const model = tf.sequential({ layers: [e, tf.layers.flatten(), rnn.dense({ units: 1, kernelInitializer: 'ones' })] });
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
    await model.fit(ids, tf.tensor2d([[0]]), { epochs: 1, verbose: 0 });
    const norms = tf.tidy(() => tf.norm(e.getWeights()[0], 'euclidean', 1).dataSync());
    for (const n of norms) expect(n).toBeLessThanOrEqual(1 + 1e-6);
    tf.dispose([ids, out]);
  });

  it('Dense: Keras penalties, activity regularizer accepted (tfjs refuses it), constraint in fit, not in setWeights', async () => {
    const d = rnn.dense({ units: 2, kernelInitializer: 'ones', kernelRegularizer: 'l1', biasRegularizer: 'l2', activityRegularizer: 'l2', kernelConstraint: 'nonNeg' });
    const x = tf.tensor2d([[1, -2, 3]]);
    const y = d.apply(x, { training: true }) as tf.Tensor;
    const losses = d.calculateLosses().map((l) => l.dataSync()[0]);
    expect(losses[0]).toBeCloseTo(0.06, 6); // 0.01 · 6 ones
    expect(losses[1]).toBeCloseTo(0, 6); // zero bias
    expect(losses[2]).toBeCloseTo(0.01 * 2 * 4, 6); // outputs [2, 2]
    d.setWeights([tf.fill([3, 2], -1), tf.zeros([2])]);
    expect(Math.min(...d.getWeights()[0].dataSync())).toBe(-1);
    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [3] }), d] });
    model.compile({ optimizer: tf.train.sgd(0.001), loss: 'meanSquaredError' });
    await model.fit(x, tf.tensor2d([[0, 0]]), { epochs: 1, verbose: 0 });
    expect(Math.min(...d.getWeights()[0].dataSync())).toBe(0);
    tf.dispose([x, y]);
  });
});

describe('serialization and summary', () => {
  function regularizedModel(): tf.Sequential {
    const m = tf.sequential();
    m.add(rnn.embedding({ inputDim: 20, outputDim: 4, inputLength: 5, embeddingsRegularizer: 'l1', embeddingsConstraint: 'unitNorm' }));
    m.add(
      rnn.bidirectional({
        layer: rnn.lstm({ units: 3, returnSequences: true, kernelRegularizer: tf.regularizers.l2({ l2: 0.02 }), recurrentConstraint: 'maxNorm', activityRegularizer: 'l1' }),
        activityRegularizer: 'l2',
      }),
    );
    m.add(rnn.gru({ units: 2, biasRegularizer: { className: 'L1L2', config: { l1: 0.1, l2: 0.2 } }, kernelConstraint: tf.constraints.minMaxNorm({ minValue: 0.1, maxValue: 2, rate: 0.5 }) }));
    m.add(rnn.dense({ units: 1, activation: 'sigmoid', kernelRegularizer: 'l2', biasConstraint: 'nonNeg', activityRegularizer: 'l1' }));
    return m;
  }

  it('getConfig / fromConfig round-trips every regularizer and constraint, and the penalties', async () => {
    const m = regularizedModel();
    const json = m.toJSON(null, false) as object;
    const loaded = (await tf.models.modelFromJSON(json as never)) as tf.Sequential;
    expect(loaded.toJSON(null, false)).toEqual(json);
    loaded.setWeights(m.getWeights());
    const x = tf.tensor2d([[1, 2, 3, 4, 5]], [1, 5], 'int32');
    const total = (model: tf.LayersModel) =>
      tf.tidy(() => {
        model.apply(x, { training: true });
        return model.calculateLosses().reduce((a, l) => a + l.dataSync()[0], 0);
      });
    expect(total(loaded)).toBeCloseTo(total(m), 5);
    const cfg = (loaded.layers[2] as rnn.GRU).getConfig();
    expect(cfg.biasRegularizer).toEqual({ className: 'L1L2', config: { l1: 0.1, l2: 0.2 } });
    expect(cfg.kernelConstraint).toEqual({ className: 'MinMaxNorm', config: { minValue: 0.1, maxValue: 2, rate: 0.5, axis: 0 } });
    tf.dispose(x);
  });

  it('Keras summary: parameter counts do not change with regularizers and constraints', () => {
    const plain = tf.sequential();
    plain.add(rnn.embedding({ inputDim: 20, outputDim: 4, inputLength: 5 }));
    plain.add(rnn.bidirectional({ layer: rnn.lstm({ units: 3, returnSequences: true }) }));
    plain.add(rnn.gru({ units: 2 }));
    plain.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
    const summary = (m: tf.LayersModel) => {
      const lines: string[] = [];
      m.summary(120, undefined, (s: string) => lines.push(s));
      return lines.filter((l) => /params|\(\w+\)/.test(l)).map((l) => l.replace(/\s+/g, ' ').trim());
    };
    const a = summary(plain);
    const b = summary(regularizedModel());
    // Layer names differ (_1 suffixes); the counts column and totals must not.
    const counts = (lines: string[]) => lines.map((l) => l.split(' ').filter((t) => /^[\d,]+$/.test(t)).pop());
    expect(counts(b)).toEqual(counts(a));
    // Keras: Embedding 80, Bidirectional(LSTM(3)) 2·(4·3·(4+3+1)) = 192, GRU(2) 3·2·(6+2+2) = 60, Dense 3.
    expect(a.find((l) => l.startsWith('Total params'))).toContain('335');
  });
});

describe('evaluate and validation loss include the penalties, as in Keras', () => {
  it('evaluate() returns data loss + weight penalties + activity penalties', () => {
    for (const name of ['lstm_regularized_0', 'bidirectional_regularized']) {
      const fx = fixtures.find((f) => f.name === name)!;
      const model = buildModel(fx, true);
      model.compile({ optimizer: tf.train.sgd(0), loss: 'binaryCrossentropy' });
      const x = tf.tensor3d(fx.x);
      const y = tf.tensor2d(fx.y.map((v) => [v]));
      const loss = model.evaluate(x, y, { batchSize: fx.batch }) as tf.Scalar;
      expect(Math.abs(loss.dataSync()[0] - fx.loss), name).toBeLessThan(1e-5);
      // predict records nothing and the next evaluate gives the same number.
      tf.dispose(model.predict(x) as tf.Tensor);
      const again = model.evaluate(x, y, { batchSize: fx.batch }) as tf.Scalar;
      expect(Math.abs(again.dataSync()[0] - fx.loss)).toBeLessThan(1e-5);
      tf.dispose([x, y, loss, again]);
      model.dispose();
    }
  });

  it("fit's val_loss equals evaluate on the same data", async () => {
    const fx = fixtures.find((f) => f.name === 'gru_regularized_2')!;
    const model = buildModel(fx, true);
    model.compile({ optimizer: tf.train.sgd(0), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const x = tf.tensor3d(fx.x);
    const y = tf.tensor2d(fx.y.map((v) => [v]));
    const h = await model.fit(x, y, { batchSize: fx.batch, epochs: 1, verbose: 0, validationData: [x, y] });
    expect(Math.abs((h.history.val_loss[0] as number) - fx.loss)).toBeLessThan(1e-5);
    expect(Math.abs((h.history.loss[0] as number) - fx.loss)).toBeLessThan(1e-5);
    model.dispose();
  });
});
