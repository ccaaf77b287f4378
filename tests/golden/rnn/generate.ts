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
import { drawDenseWeights, drawRecurrentWeights, FD_STEP, outputDim, perturbed, relError, seededUniform, type Uniform } from './draw';
import { backwardModel, forwardModel, gatesOf, type LayerSpec, type ModelCall, type ModelSpec, type RecurrentSpec } from './reference';

const here = dirname(fileURLToPath(import.meta.url));

interface Case {
  name: string;
  description: string;
  batch: number;
  steps: number;
  inputDim: number;
  layers: LayerSpec[];
  /** Timestep mask rows (1 keep, 0 skip); masked input rows are zeroed (Keras Masking(0) gives this mask). */
  mask?: number[][];
}

const MASK_POST = [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 0, 0, 0, 0]];
const MASK_PRE = [[0, 0, 1, 1, 1], [1, 1, 1, 1, 1], [0, 0, 0, 0, 1]];
const MASK_MIXED = [[1, 0, 1, 0, 1], [0, 0, 1, 1, 0], [1, 1, 1, 1, 1]];

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
  // ---- masks (Masking(0) in front; mask propagates through return_sequences) ----
  { name: 'lstm_mask_post', description: 'Masking -> LSTM(3), post padding', batch: 3, steps: 5, inputDim: 3, layers: [{ type: 'lstm', units: 3 }], mask: MASK_POST },
  {
    name: 'gru_mask_pre_stacked',
    description: 'Masking -> GRU(3, return_sequences) -> SimpleRNN(2), pre padding (mask propagates)',
    batch: 3,
    steps: 5,
    inputDim: 3,
    layers: [{ type: 'gru', units: 3, returnSequences: true }, { type: 'simple', units: 2 }],
    mask: MASK_PRE,
  },
  {
    name: 'mask_mixed_backwards_reset_before',
    description: 'Masking -> SimpleRNN(3, return_sequences, go_backwards) -> GRU(2, reset_after=False), holes in the mask',
    batch: 3,
    steps: 5,
    inputDim: 3,
    layers: [{ type: 'simple', units: 3, returnSequences: true, goBackwards: true }, { type: 'gru', units: 2, resetAfter: false }],
    mask: MASK_MIXED,
  },
  {
    name: 'bidirectional_lstm_mask_sequences',
    description: "Masking -> Bidirectional(LSTM(2, return_sequences), 'concat') -> LSTM(2), post padding (zero outputs at masked steps)",
    batch: 3,
    steps: 5,
    inputDim: 3,
    layers: [{ type: 'bidirectional', mergeMode: 'concat', layer: { type: 'lstm', units: 2, returnSequences: true } }, { type: 'lstm', units: 2 }],
    mask: MASK_POST,
  },
  {
    name: 'bidirectional_gru_mask_last',
    description: "Masking -> Bidirectional(GRU(2), 'sum'), pre padding",
    batch: 3,
    steps: 5,
    inputDim: 3,
    layers: [{ type: 'bidirectional', mergeMode: 'sum', layer: { type: 'gru', units: 2 } }],
    mask: MASK_PRE,
  },
  // ---- initial states (their gradients are checked too) ----
  {
    name: 'lstm_initial_state_mask',
    description: 'Masking -> LSTM(3) called with initial_state=[h0, c0], pre padding',
    batch: 3,
    steps: 5,
    inputDim: 3,
    layers: [{ type: 'lstm', units: 3, initialState: true }],
    mask: MASK_PRE,
  },
  {
    name: 'gru_initial_state_sequences',
    description: 'GRU(3, reset_after=False, return_sequences) with initial_state -> GRU(2) with initial_state',
    batch: 2,
    steps: 4,
    inputDim: 3,
    layers: [
      { type: 'gru', units: 3, resetAfter: false, returnSequences: true, initialState: true },
      { type: 'gru', units: 2, initialState: true },
    ],
  },
  {
    name: 'bidirectional_simple_initial_state',
    description: "Bidirectional(SimpleRNN(2), 'concat') with initial_state=[h_fwd, h_bwd]",
    batch: 2,
    steps: 4,
    inputDim: 3,
    layers: [{ type: 'bidirectional', mergeMode: 'concat', layer: { type: 'simple', units: 2, initialState: true } }],
  },
  // ---- dropout with fixed masks (training) ----
  { name: 'lstm_dropout', description: 'LSTM(3, dropout=0.3) in training', batch: 3, steps: 4, inputDim: 3, layers: [{ type: 'lstm', units: 3, dropout: 0.3 }] },
  {
    name: 'lstm_dropout_recurrent_mask',
    description: 'Masking -> LSTM(3, dropout=0.3, recurrent_dropout=0.4) in training, post padding',
    batch: 3,
    steps: 5,
    inputDim: 3,
    layers: [{ type: 'lstm', units: 3, dropout: 0.3, recurrentDropout: 0.4 }],
    mask: MASK_POST,
  },
  {
    name: 'gru_recurrent_dropout',
    description: 'GRU(3, dropout=0.2, recurrent_dropout=0.3, return_sequences) -> GRU(2, reset_after=False, recurrent_dropout=0.5) in training',
    batch: 3,
    steps: 4,
    inputDim: 3,
    layers: [
      { type: 'gru', units: 3, dropout: 0.2, recurrentDropout: 0.3, returnSequences: true },
      { type: 'gru', units: 2, resetAfter: false, recurrentDropout: 0.5 },
    ],
  },
  {
    name: 'simple_rnn_dropout_both',
    description: 'SimpleRNN(3, dropout=0.25, recurrent_dropout=0.25) in training',
    batch: 3,
    steps: 4,
    inputDim: 3,
    layers: [{ type: 'simple', units: 3, dropout: 0.25, recurrentDropout: 0.25 }],
  },
  {
    name: 'bidirectional_lstm_dropout',
    description: "Bidirectional(LSTM(2, dropout=0.2, recurrent_dropout=0.2, return_sequences), 'ave') -> SimpleRNN(2) in training",
    batch: 2,
    steps: 4,
    inputDim: 3,
    layers: [
      { type: 'bidirectional', mergeMode: 'ave', layer: { type: 'lstm', units: 2, dropout: 0.2, recurrentDropout: 0.2, returnSequences: true } },
      { type: 'simple', units: 2 },
    ],
  },
];

/** Scaled dropout masks of one layer half, drawn from the case's PRNG. */
function dropMasks(spec: RecurrentSpec, batch: number, inputDim: number, uniform: Uniform) {
  const draw = (rate: number, count: number, width: number) =>
    Array.from({ length: count }, () =>
      Array.from({ length: batch }, () => Array.from({ length: width }, () => (uniform(0, 1) < rate ? 0 : 1 / (1 - rate)))),
    );
  const rd = spec.recurrentDropout ?? 0;
  const d = spec.dropout ?? 0;
  const perGate = rd > 0 && spec.type !== 'simple';
  return {
    dropIn: d > 0 ? draw(d, perGate ? gatesOf(spec) : 1, inputDim) : null,
    dropRec: rd > 0 ? draw(rd, spec.type === 'simple' ? 1 : gatesOf(spec), spec.units) : null,
  };
}

function makeCase(c: Case, seed: number) {
  const uniform = seededUniform(seed);
  const x = Array.from({ length: c.batch }, (_, b) =>
    Array.from({ length: c.steps }, (_, t) =>
      Array.from({ length: c.inputDim }, () => (c.mask && !c.mask[b][t] ? (uniform(-1, 1), 0) : uniform(-1, 1))),
    ),
  );
  const y = Array.from({ length: c.batch }, (_, b) => (b % 2 === 0 ? 1 : 0));
  const { weights, outDim } = drawRecurrentWeights(c.layers, c.inputDim, uniform);
  const states: (number[][][] | null)[] = [];
  const drops: ({ dropIn: number[][][] | null; dropRec: number[][][] | null }[] | null)[] = [];
  let dim = c.inputDim;
  for (const spec of c.layers) {
    const r = spec.type === 'bidirectional' ? spec.layer : spec;
    const halves = spec.type === 'bidirectional' ? 2 : 1;
    const n = r.type === 'lstm' ? 2 : 1;
    states.push(
      r.initialState
        ? Array.from({ length: halves * n }, () =>
            Array.from({ length: c.batch }, () => Array.from({ length: r.units }, () => uniform(-0.8, 0.8))),
          )
        : null,
    );
    drops.push(r.dropout || r.recurrentDropout ? Array.from({ length: halves }, () => dropMasks(r, c.batch, dim, uniform)) : null);
    dim = outputDim(spec);
  }
  weights.push(drawDenseWeights(outDim, uniform));
  return { x, y, weights, states, drops };
}

function main(): void {
  const index: { name: string; description: string; fdMaxRelError: number }[] = [];
  CASES.forEach((c, ci) => {
    const model: ModelSpec = { layers: c.layers };
    const { x, y, weights, states, drops } = makeCase(c, 1000 + ci);
    const mc: ModelCall = { mask: c.mask ?? null, states, drops };
    const fr = forwardModel(model, weights, x, y, mc);
    const stateGrads: number[][][][] = [];
    const grads = backwardModel(model, weights, fr, y, stateGrads);
    // Finite-difference check of every gradient element.
    const loss = () => forwardModel(model, weights, x, y, mc).loss;
    let worst = 0;
    weights.forEach((lw, li) =>
      lw.forEach((w, wi) => {
        for (let e = 0; e < w.values.length; e++) {
          const [lp, lm] = perturbed(w.values, e, loss);
          const numeric = (lp - lm) / (2 * FD_STEP);
          const analytic = grads[li][wi][e];
          const err = relError(numeric, analytic);
          worst = Math.max(worst, err);
          if (err > 1e-5) {
            throw new Error(`${c.name}: layer ${li} weight ${wi} element ${e}: analytic ${analytic} vs numeric ${numeric}`);
          }
        }
      }),
    );
    // ... and of every initial-state element.
    states.forEach((ls, li) =>
      ls?.forEach((st, si) =>
        st.forEach((row, b) =>
          row.forEach((_, j) => {
            const [lp, lm] = perturbed(row, j, loss);
            const numeric = (lp - lm) / (2 * FD_STEP);
            const analytic = stateGrads[li][si][b][j];
            const err = relError(numeric, analytic);
            worst = Math.max(worst, err);
            if (err > 1e-5) throw new Error(`${c.name}: layer ${li} state ${si} [${b}, ${j}]: analytic ${analytic} vs numeric ${numeric}`);
          }),
        ),
      ),
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
      mask: c.mask ?? null,
      states,
      drops,
      stateGrads: states.map((st, li) => (st ? stateGrads[li] : null)),
    };
    writeFileSync(join(here, `${c.name}.json`), JSON.stringify(fixture) + '\n');
    index.push({ name: c.name, description: c.description, fdMaxRelError: worst });
    console.log(`${c.name}: loss ${fr.loss.toFixed(6)}, finite-difference max relative error ${worst.toExponential(2)}`);
  });
  writeFileSync(join(here, 'index.json'), JSON.stringify(index, null, 2) + '\n');
}

main();
