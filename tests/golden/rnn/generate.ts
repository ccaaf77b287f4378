/**
 * Generates the golden fixtures in this folder: `npx tsx tests/golden/rnn/generate.ts`.
 *
 * For each case: deterministic small inputs and weights (seeded PRNG), the float64
 * reference forward pass (reference.ts) and its hand-derived BPTT gradients of the mean
 * binary cross-entropy loss w.r.t. every weight. Every gradient element is checked
 * against a central finite difference of the float64 loss before anything is written; the
 * script fails if any disagrees.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  backwardModel,
  forwardModel,
  recurrentWeightShapes,
  type LayerSpec,
  type ModelSpec,
  type Weight,
} from './reference';

const here = dirname(fileURLToPath(import.meta.url));

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  name: string;
  description: string;
  batch: number;
  steps: number;
  inputDim: number;
  layers: LayerSpec[];
}

const CASES: Case[] = [
  { name: 'simple_rnn', description: 'SimpleRNN(4) -> Dense(1, sigmoid)', batch: 3, steps: 5, inputDim: 3, layers: [{ type: 'simple', units: 4 }] },
  { name: 'lstm', description: 'LSTM(4) -> Dense(1, sigmoid)', batch: 3, steps: 5, inputDim: 3, layers: [{ type: 'lstm', units: 4 }] },
  {
    name: 'gru_reset_after',
    description: 'GRU(3, reset_after=True) -> Dense(1, sigmoid)',
    batch: 3,
    steps: 5,
    inputDim: 3,
    layers: [{ type: 'gru', units: 3, resetAfter: true }],
  },
  {
    name: 'gru_reset_before',
    description: 'GRU(3, reset_after=False) -> Dense(1, sigmoid)',
    batch: 3,
    steps: 5,
    inputDim: 3,
    layers: [{ type: 'gru', units: 3, resetAfter: false }],
  },
  {
    name: 'lstm_relu_activation',
    description: "LSTM(3, activation='relu') -> Dense(1, sigmoid)",
    batch: 3,
    steps: 5,
    inputDim: 3,
    layers: [{ type: 'lstm', units: 3, activation: 'relu' }],
  },
  {
    name: 'gru_tanh_gates_linear',
    description: "GRU(3, activation='linear', recurrent_activation='tanh') -> Dense(1, sigmoid)",
    batch: 3,
    steps: 4,
    inputDim: 3,
    layers: [{ type: 'gru', units: 3, activation: 'linear', recurrentActivation: 'tanh' }],
  },
  {
    name: 'stacked',
    description:
      'SimpleRNN(3, return_sequences) -> LSTM(3, return_sequences, go_backwards) -> GRU(2) -> Dense(1, sigmoid)',
    batch: 2,
    steps: 4,
    inputDim: 3,
    layers: [
      { type: 'simple', units: 3, returnSequences: true },
      { type: 'lstm', units: 3, returnSequences: true, goBackwards: true },
      { type: 'gru', units: 2, resetAfter: true },
    ],
  },
  {
    name: 'stacked_gru_lstm',
    description: 'GRU(3, reset_after=False, return_sequences) -> LSTM(2) -> Dense(1, sigmoid)',
    batch: 2,
    steps: 4,
    inputDim: 3,
    layers: [
      { type: 'gru', units: 3, resetAfter: false, returnSequences: true },
      { type: 'lstm', units: 2 },
    ],
  },
  {
    name: 'bidirectional_lstm_concat',
    description: "Bidirectional(LSTM(3), merge_mode='concat') -> Dense(1, sigmoid)",
    batch: 3,
    steps: 4,
    inputDim: 3,
    layers: [{ type: 'bidirectional', mergeMode: 'concat', layer: { type: 'lstm', units: 3 } }],
  },
  {
    name: 'bidirectional_gru_sequences_sum',
    description: "Bidirectional(GRU(3, return_sequences), merge_mode='sum') -> SimpleRNN(2) -> Dense(1, sigmoid)",
    batch: 2,
    steps: 4,
    inputDim: 3,
    layers: [
      { type: 'bidirectional', mergeMode: 'sum', layer: { type: 'gru', units: 3, returnSequences: true } },
      { type: 'simple', units: 2 },
    ],
  },
  {
    name: 'bidirectional_simple_mul',
    description: "Bidirectional(SimpleRNN(3), merge_mode='mul') -> Dense(1, sigmoid)",
    batch: 3,
    steps: 4,
    inputDim: 3,
    layers: [{ type: 'bidirectional', mergeMode: 'mul', layer: { type: 'simple', units: 3 } }],
  },
  {
    name: 'bidirectional_lstm_sequences_ave',
    description: "Bidirectional(LSTM(2, return_sequences), merge_mode='ave') -> LSTM(2) -> Dense(1, sigmoid)",
    batch: 2,
    steps: 5,
    inputDim: 3,
    layers: [
      { type: 'bidirectional', mergeMode: 'ave', layer: { type: 'lstm', units: 2, returnSequences: true } },
      { type: 'lstm', units: 2 },
    ],
  },
];

function outputDim(spec: LayerSpec): number {
  if (spec.type === 'bidirectional') return spec.mergeMode === 'concat' ? 2 * spec.layer.units : spec.layer.units;
  return spec.units;
}

function makeCase(c: Case, seed: number) {
  const rand = mulberry32(seed);
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * rand();
  const x = Array.from({ length: c.batch }, () =>
    Array.from({ length: c.steps }, () => Array.from({ length: c.inputDim }, () => uniform(-1, 1))),
  );
  const y = Array.from({ length: c.batch }, (_, b) => (b % 2 === 0 ? 1 : 0));
  const weights: Weight[][] = [];
  let dim = c.inputDim;
  for (const spec of c.layers) {
    const shapes =
      spec.type === 'bidirectional'
        ? [...recurrentWeightShapes(spec.layer, dim), ...recurrentWeightShapes(spec.layer, dim)]
        : recurrentWeightShapes(spec, dim);
    weights.push(
      shapes.map((shape) => ({ shape, values: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => uniform(-0.7, 0.7)) })),
    );
    dim = outputDim(spec);
  }
  weights.push([
    { shape: [dim, 1], values: Array.from({ length: dim }, () => uniform(-1, 1)) },
    { shape: [1], values: [uniform(-0.2, 0.2)] },
  ]);
  return { x, y, weights };
}

function main(): void {
  const index: { name: string; description: string; fdMaxRelError: number }[] = [];
  CASES.forEach((c, ci) => {
    const model: ModelSpec = { layers: c.layers };
    const { x, y, weights } = makeCase(c, 1000 + ci);
    const fr = forwardModel(model, weights, x, y);
    const grads = backwardModel(model, weights, fr, y);
    // Finite-difference check of every gradient element.
    const h = 1e-6;
    let worst = 0;
    weights.forEach((lw, li) =>
      lw.forEach((w, wi) => {
        for (let e = 0; e < w.values.length; e++) {
          const orig = w.values[e];
          w.values[e] = orig + h;
          const lp = forwardModel(model, weights, x, y).loss;
          w.values[e] = orig - h;
          const lm = forwardModel(model, weights, x, y).loss;
          w.values[e] = orig;
          const numeric = (lp - lm) / (2 * h);
          const analytic = grads[li][wi][e];
          const err = Math.abs(numeric - analytic) / Math.max(1e-3, Math.abs(numeric));
          worst = Math.max(worst, err);
          if (err > 1e-5) {
            throw new Error(`${c.name}: layer ${li} weight ${wi} element ${e}: analytic ${analytic} vs numeric ${numeric}`);
          }
        }
      }),
    );
    const fixture = {
      name: c.name,
      description: c.description,
      generatedBy: 'tests/golden/rnn/generate.ts (float64 reference.ts, gradients checked by central differences)',
      fdMaxRelError: worst,
      batch: c.batch,
      steps: c.steps,
      inputDim: c.inputDim,
      model,
      x,
      y,
      weights,
      layerOutputs: fr.outputs.slice(0, c.layers.length),
      probs: fr.probs,
      loss: fr.loss,
      grads,
    };
    writeFileSync(join(here, `${c.name}.json`), JSON.stringify(fixture) + '\n');
    index.push({ name: c.name, description: c.description, fdMaxRelError: worst });
    console.log(`${c.name}: loss ${fr.loss.toFixed(6)}, finite-difference max relative error ${worst.toExponential(2)}`);
  });
  writeFileSync(join(here, 'index.json'), JSON.stringify(index, null, 2) + '\n');
}

main();
