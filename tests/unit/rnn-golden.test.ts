/**
 * Golden tests: the fused layers (JS and WebAssembly kernels) and the unfused reference
 * path against the float64 Keras-semantics fixtures in tests/golden/rnn (see its README):
 * forward outputs of every layer, probabilities, loss, and the gradients of the binary
 * cross-entropy loss w.r.t. every weight, to 1e-5.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';
import type { LayerSpec, RecurrentSpec, Weight } from '../golden/rnn/reference';

const dir = join(__dirname, '..', 'golden', 'rnn');
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { name: string }[];

interface Fixture {
  name: string;
  batch: number;
  steps: number;
  inputDim: number;
  model: { layers: LayerSpec[] };
  x: number[][][];
  y: number[];
  weights: Weight[][];
  layerOutputs: unknown[];
  probs: number[][];
  loss: number;
  grads: number[][][];
}

const TOL = 1e-5;

function expectClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) - TOL * Math.abs(expected[i]);
    if (err > worst) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `${what}: element ${at} = ${actual[at]}, expected ${expected[at]}`).toBeLessThanOrEqual(TOL);
}

function makeRecurrent(spec: RecurrentSpec, fused: boolean): rnn.FusedRecurrent {
  const common = {
    units: spec.units,
    activation: spec.activation ?? 'tanh',
    ...(spec.type === 'simple' ? {} : { recurrentActivation: spec.recurrentActivation ?? 'sigmoid' }),
    returnSequences: spec.returnSequences ?? false,
    goBackwards: spec.goBackwards ?? false,
    fused,
  };
  if (spec.type === 'lstm') return rnn.lstm(common);
  if (spec.type === 'gru') return rnn.gru({ ...common, resetAfter: spec.resetAfter ?? true });
  return rnn.simpleRNN(common);
}

function buildLayers(fx: Fixture, fused: boolean): tf.layers.Layer[] {
  const layers: tf.layers.Layer[] = fx.model.layers.map((spec) =>
    spec.type === 'bidirectional'
      ? rnn.bidirectional({ layer: makeRecurrent(spec.layer, fused), mergeMode: spec.mergeMode })
      : makeRecurrent(spec, fused),
  );
  layers.push(rnn.dense({ units: 1, activation: 'sigmoid' }));
  return layers;
}

function runCase(fx: Fixture, fused: boolean): void {
  const model = tf.sequential();
  const layers = buildLayers(fx, fused);
  layers.forEach((l, i) => {
    if (i === 0) model.add(tf.layers.inputLayer({ inputShape: [fx.steps, fx.inputDim] }));
    model.add(l);
  });
  const flat = fx.weights.flat();
  model.setWeights(flat.map((w) => tf.tensor(w.values, w.shape)));
  const x = tf.tensor3d(fx.x);
  const y = tf.tensor2d(fx.y.map((v) => [v]));
  // Forward: every layer's output.
  let h: tf.Tensor = x;
  layers.forEach((l, i) => {
    h = l.apply(h) as tf.Tensor;
    const expected = i < fx.layerOutputs.length ? fx.layerOutputs[i] : fx.probs;
    expectClose(h.dataSync(), (expected as number[]).flat(3) as number[], `${fx.name} layer ${i} output`);
  });
  // Gradients of the mean binary cross-entropy.
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const p = model.apply(x) as tf.Tensor;
    return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))))) as tf.Scalar;
  }, vars);
  expect(Math.abs(value.dataSync()[0] - fx.loss)).toBeLessThanOrEqual(TOL);
  const expectedGrads = fx.grads.flat();
  expect(vars.length).toBe(expectedGrads.length);
  vars.forEach((v, i) => expectClose(grads[v.name].dataSync(), expectedGrads[i], `${fx.name} grad of ${v.name}`));
  tf.dispose([x, y, value, ...Object.values(grads)]);
  model.dispose();
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('golden fixtures (Keras semantics, float64 reference)', () => {
  const fixtures = index.map((e) => JSON.parse(readFileSync(join(dir, `${e.name}.json`), 'utf8')) as Fixture);
  it('has all the required cases', () => {
    const names = fixtures.map((f) => f.name);
    for (const n of [
      'simple_rnn',
      'lstm',
      'gru_reset_after',
      'gru_reset_before',
      'stacked',
      'bidirectional_lstm_concat',
      'lstm_relu_activation',
      'gru_tanh_gates_linear',
    ]) {
      expect(names).toContain(n);
    }
  });
  for (const impl of ['js', 'wasm'] as const) {
    describe(`fused, ${impl} kernels`, () => {
      for (const fx of fixtures) {
        it(fx.name, () => {
          rnn.setKernelImplementation(impl);
          try {
            runCase(fx, true);
          } finally {
            rnn.setKernelImplementation('auto');
          }
        });
      }
    });
  }
  describe('unfused reference path (per-timestep tfjs ops)', () => {
    for (const fx of fixtures) it(fx.name, () => runCase(fx, false));
  });
});
