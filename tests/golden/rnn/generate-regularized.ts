/**
 * Generates `regularized.json`: `npx tsx tests/golden/rnn/generate-regularized.ts`.
 *
 * Keras's regularizers on the recurrent layers, against the float64 reference: each case is
 * a model of reference.ts (recurrent stack -> Dense(1, sigmoid), mean binary cross-entropy)
 * plus penalties, as Keras 3 adds them to the training loss:
 * - weight penalties `l1 · Σ|w| + l2 · Σw²` on a layer's kernel, recurrent kernel or bias
 *   (Bidirectional: on both copies of the wrapped layer) or on the Dense kernel / bias;
 * - activity penalties, the same formula on every tensor a layer returns (Bidirectional's
 *   wrapped layer: on each direction's output), not divided by the batch size.
 * Gradients: reference.ts's hand-derived BPTT of the data loss, plus the analytic gradient of
 * the weight penalties (`l1 · sign(w) + 2 · l2 · w`), plus the gradient of the activity
 * penalties by central differences of the float64 forward pass. The sum is then checked
 * element by element against central differences of the whole float64 loss (step 1e-6);
 * the script fails above 1e-5 relative error. Same seeded inputs as generate.ts.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drawDenseWeights, drawRecurrentWeights, FD_STEP, perturbed, relError, seededUniform } from './draw';
import { backwardModel, forwardModel, type LayerSpec, type ModelSpec, type Weight } from './reference';

const here = dirname(fileURLToPath(import.meta.url));

/** A penalty: which tensor, and its factors (Keras L1 = {l1}, L2 = {l2}, L1L2 = both). */
export interface PenaltySpec {
  /** Index in `model.layers`; `model.layers.length` is the Dense layer. */
  layer: number;
  target: 'kernel' | 'recurrent' | 'bias' | 'activity';
  kind: 'L1' | 'L2' | 'L1L2';
  l1: number;
  l2: number;
}

interface Case {
  name: string;
  description: string;
  batch: number;
  steps: number;
  inputDim: number;
  layers: LayerSpec[];
  penalties: PenaltySpec[];
}

const P = (layer: number, target: PenaltySpec['target'], kind: PenaltySpec['kind'], a: number, b = 0): PenaltySpec => ({
  layer,
  target,
  kind,
  l1: kind === 'L2' ? 0 : a,
  l2: kind === 'L1' ? 0 : kind === 'L2' ? a : b,
});

// Each of L1, L2, L1L2 on each of kernel, recurrent, bias, activity, for LSTM and GRU (a Latin square).
const ROTATIONS: PenaltySpec['kind'][][] = [
  ['L1', 'L2', 'L1L2', 'L1'],
  ['L2', 'L1L2', 'L1', 'L2'],
  ['L1L2', 'L1', 'L2', 'L1L2'],
];
const TARGETS: PenaltySpec['target'][] = ['kernel', 'recurrent', 'bias', 'activity'];

function rotationCase(type: 'lstm' | 'gru', r: number): Case {
  const kinds = ROTATIONS[r];
  const layer: LayerSpec = type === 'lstm' ? { type: 'lstm', units: 4 } : { type: 'gru', units: 3, resetAfter: true };
  return {
    name: `${type}_regularized_${r}`,
    description: `${type === 'lstm' ? 'LSTM(4)' : 'GRU(3)'} with ${TARGETS.map((t, i) => `${t} ${kinds[i]}`).join(', ')} -> Dense(1, sigmoid)`,
    batch: 3,
    steps: 5,
    inputDim: 3,
    layers: [layer],
    penalties: TARGETS.map((t, i) => P(0, t, kinds[i], 0.01 * (i + 1), 0.02 + 0.01 * r)),
  };
}

const CASES: Case[] = [
  ...[0, 1, 2].map((r) => rotationCase('lstm', r)),
  ...[0, 1, 2].map((r) => rotationCase('gru', r)),
  {
    name: 'stacked_activity_sequences',
    description: 'LSTM(3, return_sequences, activity L2 on the whole sequence) -> GRU(2, activity L1) -> Dense(1, sigmoid, kernel L2)',
    batch: 2,
    steps: 4,
    inputDim: 3,
    layers: [
      { type: 'lstm', units: 3, returnSequences: true },
      { type: 'gru', units: 2, resetAfter: true },
    ],
    penalties: [P(0, 'activity', 'L2', 0.05), P(1, 'activity', 'L1', 0.03), P(2, 'kernel', 'L2', 0.1)],
  },
  {
    name: 'bidirectional_regularized',
    description: "Bidirectional(LSTM(3, kernel L2, recurrent L1, activity L1L2), merge_mode='concat') -> Dense(1, sigmoid, bias L1)",
    batch: 3,
    steps: 4,
    inputDim: 3,
    layers: [{ type: 'bidirectional', mergeMode: 'concat', layer: { type: 'lstm', units: 3 } }],
    penalties: [P(0, 'kernel', 'L2', 0.02), P(0, 'recurrent', 'L1', 0.01), P(0, 'activity', 'L1L2', 0.01, 0.02), P(1, 'bias', 'L1', 0.05)],
  },
];

function makeCase(c: Case, seed: number) {
  const uniform = seededUniform(seed);
  const x = Array.from({ length: c.batch }, () =>
    Array.from({ length: c.steps }, () => Array.from({ length: c.inputDim }, () => uniform(-1, 1))),
  );
  const y = Array.from({ length: c.batch }, (_, b) => (b % 2 === 0 ? 1 : 0));
  const { weights, outDim } = drawRecurrentWeights(c.layers, c.inputDim, uniform);
  weights.push(drawDenseWeights(outDim, uniform));
  return { x, y, weights };
}

const penaltyOf = (p: PenaltySpec, values: number[]): number =>
  values.reduce((s, v) => s + p.l1 * Math.abs(v) + p.l2 * v * v, 0);

/** Indices in a layer's weight list that a weight penalty covers (both copies for Bidirectional). */
function weightIndices(c: Case, p: PenaltySpec): number[] {
  const slot = { kernel: 0, recurrent: 1, bias: 2, activity: -1 }[p.target];
  if (p.layer === c.layers.length) return [p.target === 'kernel' ? 0 : 1];
  return c.layers[p.layer].type === 'bidirectional' ? [slot, slot + 3] : [slot];
}

/** Every tensor the layer returns, flattened: its output, or each direction's output for Bidirectional. */
function activityTensors(c: Case, fr: ReturnType<typeof forwardModel>, layer: number): number[][] {
  const flat = (v: unknown): number[] => (v as unknown[]).flat(3) as number[];
  if (c.layers[layer].type === 'bidirectional') {
    const cache = fr.caches[layer] as { fo: unknown; bo: unknown };
    return [flat(cache.fo), flat(cache.bo)];
  }
  return [flat(fr.outputs[layer])];
}

function totalLoss(c: Case, weights: Weight[][], x: number[][][], y: number[]): { data: number; weightPenalty: number; activityPenalty: number } {
  const fr = forwardModel({ layers: c.layers }, weights, x, y);
  let weightPenalty = 0;
  let activityPenalty = 0;
  for (const p of c.penalties) {
    if (p.target === 'activity') {
      for (const t of activityTensors(c, fr, p.layer)) activityPenalty += penaltyOf(p, t);
    } else {
      for (const i of weightIndices(c, p)) weightPenalty += penaltyOf(p, weights[p.layer][i].values);
    }
  }
  return { data: fr.loss, weightPenalty, activityPenalty };
}

function main(): void {
  const out: unknown[] = [];
  CASES.forEach((c, ci) => {
    const model: ModelSpec = { layers: c.layers };
    const { x, y, weights } = makeCase(c, 2000 + ci);
    const fr = forwardModel(model, weights, x, y);
    const grads = backwardModel(model, weights, fr, y);
    // Weight penalties: analytic.
    for (const p of c.penalties) {
      if (p.target === 'activity') continue;
      for (const i of weightIndices(c, p)) {
        weights[p.layer][i].values.forEach((v, e) => (grads[p.layer][i][e] += p.l1 * Math.sign(v) + 2 * p.l2 * v));
      }
    }
    // Activity penalties: central differences of the float64 penalty, then the whole loss checked.
    let worst = 0;
    weights.forEach((lw, li) =>
      lw.forEach((w, wi) => {
        for (let e = 0; e < w.values.length; e++) {
          const [plus, minus] = perturbed(w.values, e, () => totalLoss(c, weights, x, y));
          grads[li][wi][e] += (plus.activityPenalty - minus.activityPenalty) / (2 * FD_STEP);
          const numeric =
            (plus.data + plus.weightPenalty + plus.activityPenalty - (minus.data + minus.weightPenalty + minus.activityPenalty)) / (2 * FD_STEP);
          const err = relError(numeric, grads[li][wi][e]);
          worst = Math.max(worst, err);
          if (err > 1e-5) throw new Error(`${c.name}: layer ${li} weight ${wi} element ${e}: ${grads[li][wi][e]} vs numeric ${numeric}`);
        }
      }),
    );
    const parts = totalLoss(c, weights, x, y);
    out.push({
      name: c.name,
      description: c.description,
      fdMaxRelError: worst,
      batch: c.batch,
      steps: c.steps,
      inputDim: c.inputDim,
      model,
      penalties: c.penalties,
      x,
      y,
      weights,
      dataLoss: parts.data,
      weightPenalty: parts.weightPenalty,
      activityPenalty: parts.activityPenalty,
      loss: parts.data + parts.weightPenalty + parts.activityPenalty,
      dataGrads: backwardModel(model, weights, fr, y),
      grads,
    });
    console.log(`${c.name}: loss ${(parts.data + parts.weightPenalty + parts.activityPenalty).toFixed(6)} (penalties ${parts.weightPenalty.toFixed(4)} + ${parts.activityPenalty.toFixed(4)}), FD max rel error ${worst.toExponential(2)}`);
  });
  writeFileSync(join(here, 'regularized.json'), JSON.stringify({ generatedBy: 'tests/golden/rnn/generate-regularized.ts', cases: out }) + '\n');
}

main();
