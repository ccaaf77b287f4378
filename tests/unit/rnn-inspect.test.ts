/**
 * rnn.inspect: gate activations read from the fused kernels' tape (JS and WebAssembly)
 * against the float64 gate reference (`referenceGates` in tests/golden/rnn/reference.ts) on every golden
 * fixture (each layer of stacks, both halves of Bidirectionals, goBackwards), to 1e-5;
 * step predictions against model.predict; gradient norms against finite differences of
 * the float64 reference.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';
import { referenceGates, type RecurrentSpec, type Weight } from '../golden/rnn/reference';
import { expectClose, loadGoldenFixtures, makeRecurrent, type GoldenFixture as Fixture } from './golden-fixtures';

function buildModel(fx: Fixture): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [fx.steps, fx.inputDim] }));
  for (const spec of fx.model.layers) {
    model.add(spec.type === 'bidirectional' ? rnn.bidirectional({ layer: makeRecurrent(spec.layer), mergeMode: spec.mergeMode }) : makeRecurrent(spec));
  }
  model.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
  model.setWeights(fx.weights.flat().map((w) => tf.tensor(w.values, w.shape)));
  return model;
}

const flat = (v: number[][][]) => v.flat(2);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// The readout shows an unmasked forward pass from zero states without dropout (what a reader
// inspects after training); fixtures with masks, initial states or dropout test other things.
const fixtures = loadGoldenFixtures().filter((fx) => fx.mask == null && [...fx.states, ...fx.drops].every((v) => v == null));

for (const impl of ['js', 'wasm'] as const) {
  describe(`rnn.inspect.gates, ${impl} kernels, against the float64 gate reference`, () => {
    for (const fx of fixtures) {
      it(fx.name, () => {
        rnn.setKernelImplementation(impl);
        const model = buildModel(fx);
        const x = tf.tensor3d(fx.x);
        try {
          fx.model.layers.forEach((spec, k) => {
            const input = (k === 0 ? fx.x : fx.layerOutputs[k - 1]) as number[][][];
            const layer = model.layers.filter((l) => l.getClassName() !== 'InputLayer')[k];
            const cases: [rnn.FusedRecurrent, RecurrentSpec, Weight[]][] =
              spec.type === 'bidirectional'
                ? [
                    [(layer as rnn.Bidirectional).forwardLayer, spec.layer, fx.weights[k].slice(0, 3)],
                    [(layer as rnn.Bidirectional).backwardLayer, { ...spec.layer, goBackwards: !spec.layer.goBackwards }, fx.weights[k].slice(3, 6)],
                  ]
                : [[layer as rnn.FusedRecurrent, spec, fx.weights[k]]];
            for (const [l, s, w] of cases) {
              const trace = rnn.inspect.gates(l, x, { model });
              expect(trace.kernels).toBe(impl === 'wasm' ? 'wasm-simd' : 'js');
              const ref = referenceGates(s, w, input);
              expect(trace.names).toEqual(Object.keys(ref));
              expect(trace.goBackwards).toBe(!!s.goBackwards);
              for (const n of trace.names) expectClose(flat(trace.values[n]), flat(ref[n]), `${fx.name} ${l.name} ${n}`);
              // The same values when the layer's own (float64) input is passed directly.
              const direct = rnn.inspect.gates(l, input);
              expectClose(flat(direct.values.h), flat(ref.h), `${fx.name} ${l.name} h (direct input)`);
            }
            if (spec.type === 'bidirectional') {
              const both = rnn.inspect.gates(layer as rnn.Bidirectional, x, { model });
              expect(both.forward.layer).toMatch(/^forward_/);
              expect(both.backward.goBackwards).toBe(true);
            }
          });
          // The h of the last step of a non-sequence layer is the layer's output (fixtures).
          const last = fx.model.layers.length - 1;
          const spec = fx.model.layers[last];
          if (spec.type !== 'bidirectional' && !spec.returnSequences) {
            const trace = rnn.inspect.gates(model.layers.filter((l) => l.getClassName() !== 'InputLayer')[last] as rnn.FusedRecurrent, x, { model });
            const T = trace.steps;
            const hT = trace.values.h.map((s) => (spec.goBackwards ? s[0] : s[T - 1]));
            expectClose(hT.flat(), (fx.layerOutputs[last] as number[][]).flat(), `${fx.name} h_T`);
          }
        } finally {
          rnn.setKernelImplementation('auto');
          x.dispose();
          model.dispose();
        }
      });
    }
  });
}

describe('rnn.inspect on a token model', () => {
  it('traces an Embedding -> LSTM -> Dense model on ids; the last step prediction is model.predict', () => {
    const model = tf.sequential();
    model.add(rnn.embedding({ inputDim: 50, outputDim: 4, inputLength: 7 }));
    const lstm = rnn.lstm({ units: 3 });
    model.add(lstm);
    model.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
    const ids = tf.tensor2d([[0, 0, 5, 9, 17, 3, 41]], [1, 7], 'int32');
    const trace = rnn.inspect.gates(lstm, ids, { model });
    expect([trace.batch, trace.steps, trace.units]).toEqual([1, 7, 3]);
    expect(trace.ranges.f).toEqual([0, 1]);
    expect(trace.ranges.c).toBeNull();
    const preds = rnn.inspect.stepPredictions(model, lstm, trace);
    const want = (model.predict(ids) as tf.Tensor).dataSync()[0];
    expect(preds[0]).toHaveLength(7);
    expect(Math.abs(preds[0][6][0] - want)).toBeLessThan(1e-6);
    // Step t's prediction is the model's prediction on the prefix ending at t.
    const prefix = tf.tensor2d([[0, 0, 5, 9]], [1, 4], 'int32');
    const traceP = rnn.inspect.gates(lstm, prefix, { model });
    expect(Math.abs(rnn.inspect.stepPredictions(model, lstm, traceP)[0][3][0] - preds[0][3][0])).toBeLessThan(1e-6);
    tf.dispose([ids, prefix]);
    model.dispose();
  });

  it('refuses what it cannot do, with the reason', () => {
    const model = tf.sequential();
    model.add(rnn.gru({ units: 2, returnSequences: true, inputShape: [3, 2] }));
    const other = rnn.lstm({ units: 2 });
    expect(() => rnn.inspect.gates(other, [[[1, 2]]])).toThrow(/not built/);
    expect(() => rnn.inspect.gates(other, [[[1, 2]]], { model })).toThrow(/is not a layer of model/);
    const g = model.layers.find((l) => l instanceof rnn.GRU) as rnn.FusedRecurrent;
    expect(() => rnn.inspect.gates(g, [[[1, 2, 3]]])).toThrow(/built for 2 input features, the input has 3/);
    expect(() => rnn.inspect.gates(g, [[[1, 2]]], { modle: model } as never)).toThrow(/unknown option 'modle'/);
    expect(() => rnn.inspect.gates({} as never, [[1]])).toThrow(/must be a layer/);
    const t = rnn.inspect.gates(g, [[1, 2], [3, 4], [5, 6]]);
    expect(() => rnn.inspect.stepPredictions(model, g, t)).toThrow(/returns sequences/);
    model.dispose();
  });

  it('leaks no tensors', () => {
    const model = tf.sequential();
    model.add(rnn.embedding({ inputDim: 20, outputDim: 3, inputLength: 5 }));
    const l = rnn.gru({ units: 2 });
    model.add(l);
    model.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
    const before = tf.memory().numTensors;
    const t = rnn.inspect.gates(l, [[1, 2, 3, 4, 5]], { model });
    rnn.inspect.stepPredictions(model, l, t);
    rnn.inspect.inputGradientNorms(l, tf.tidy(() => tf.randomNormal([5, 3])).clone());
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 2);
    model.dispose();
  });
});

/** h_T of a single sequence through the float64 reference. */
function refLast(spec: RecurrentSpec, w: Weight[], x: number[][]): number[] {
  const h = referenceGates(spec, w, [x]).h[0];
  return spec.goBackwards ? h[0] : h[h.length - 1];
}

describe('rnn.inspect.inputGradientNorms against central finite differences (float64 reference)', () => {
  const specs: RecurrentSpec[] = [
    { type: 'simple', units: 4 },
    { type: 'lstm', units: 3 },
    { type: 'gru', units: 3, resetAfter: true },
    { type: 'gru', units: 2, resetAfter: false },
    { type: 'lstm', units: 2, goBackwards: true },
  ];
  for (const impl of ['js', 'wasm'] as const) {
    for (const spec of specs) {
      it(`${impl}: ${spec.type}${spec.resetAfter === false ? ' reset_before' : ''}${spec.goBackwards ? ' goBackwards' : ''}`, () => {
        rnn.setKernelImplementation(impl);
        try {
          const T = 6;
          const D = 3;
          const model = tf.sequential();
          const layer = makeRecurrent(spec);
          model.add(tf.layers.inputLayer({ inputShape: [T, D] }));
          model.add(layer);
          // Deterministic weights and input.
          let s = 7;
          const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
          const weights: Weight[] = layer.getWeights().map((w) => ({ shape: w.shape, values: Array.from(w.dataSync(), () => rand() * 0.9) }));
          layer.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)));
          const x = Array.from({ length: T }, () => Array.from({ length: D }, () => rand()));
          const norms = rnn.inspect.inputGradientNorms(layer, x);
          const eps = 1e-6;
          const fd: number[] = [];
          for (let t = 0; t < T; t++) {
            let sq = 0;
            for (let d = 0; d < D; d++) {
              const xp = x.map((r) => [...r]);
              const xm = x.map((r) => [...r]);
              xp[t][d] += eps;
              xm[t][d] -= eps;
              const hp = refLast(spec, weights, xp);
              const hm = refLast(spec, weights, xm);
              for (let j = 0; j < hp.length; j++) sq += ((hp[j] - hm[j]) / (2 * eps)) ** 2;
            }
            fd.push(Math.sqrt(sq));
          }
          expectClose(norms, fd, `${spec.type} norms`);
          model.dispose();
        } finally {
          rnn.setKernelImplementation('auto');
        }
      });
    }
  }
});

describe('rnn.inspect.inputGradientNorms on a gradient that has almost vanished', () => {
  it('reports 1e-24 as 1e-24, not 0 (the squares are summed in float64)', () => {
    const T = 13;
    const layer = rnn.simpleRNN({ units: 1, activation: 'linear', useBias: false, inputShape: [T, 1] });
    const model = tf.sequential({ layers: [layer] });
    // h_t = x_t + 0.01 h_{t-1}, so ∂h_T/∂x_t = 0.01^(T-t): 1e-24 at t = 1. Its square, 1e-48,
    // is below float32's smallest number.
    layer.setWeights([tf.tensor2d([[1]]), tf.tensor2d([[0.01]])]);
    const norms = rnn.inspect.inputGradientNorms(layer, Array.from({ length: T }, () => [1]));
    norms.forEach((n, t) => expect(Math.abs(n / 0.01 ** (T - 1 - t) - 1), `t = ${t}: ${n}`).toBeLessThan(1e-4));
    model.dispose();
  });
});
