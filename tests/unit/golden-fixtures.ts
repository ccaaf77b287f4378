/**
 * Loading the recurrent layers' golden fixtures (tests/golden/rnn, made by generate.ts and
 * generate-regularized.ts from the float64 reference) and comparing against them, for the
 * tests that check `src/rnn` with them: rnn-golden, rnn-regularizers and rnn-inspect.
 *
 * The fixtures' field meanings are in tests/golden/rnn/README.md ("File format"); the types
 * here are that table, checked by the compiler wherever a test reads a field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';
import type { PenaltySpec } from '../golden/rnn/generate-regularized';
import type { LayerSpec, RecurrentSpec, Weight } from '../golden/rnn/reference';

/** The folder of the recurrent fixtures. */
export const GOLDEN_RNN_DIR = join(__dirname, '..', 'golden', 'rnn');

/**
 * The tolerance every golden comparison uses: |actual - expected| <= TOL · (1 + |expected|),
 * absolute plus relative (float32 kernels against a float64 reference).
 */
export const GOLDEN_TOL = 1e-5;

/** Dropout masks of one layer half, scaled (0 or 1 / (1 - rate)): [count][batch][width], or null. */
export interface DropMasks {
  dropIn: number[][][] | null;
  dropRec: number[][][] | null;
}

/** What every golden case has: the model, its inputs and its weights. */
export interface GoldenCase {
  name: string;
  description: string;
  batch: number;
  steps: number;
  inputDim: number;
  model: { layers: LayerSpec[] };
  /** [batch][steps][features]. */
  x: number[][][];
  /** One label per sample (0 or 1). */
  y: number[];
  /** Per layer, Keras `get_weights()` order; the last entry is the Dense kernel and bias. */
  weights: Weight[][];
}

/** One case of generate.ts (`<name>.json`): a model, its inputs and weights, and what the reference computed. */
export interface GoldenFixture extends GoldenCase {
  /** The output of each recurrent layer. */
  layerOutputs: unknown[];
  /** The Dense output, [batch][1]. */
  probs: number[][];
  /** The mean binary cross-entropy. */
  loss: number;
  /** d loss / d weight, nested as `weights`. */
  grads: number[][][];
  /** [batch][steps] timestep mask (1 keep), or null. */
  mask: number[][] | null;
  /** Per layer: initial states ([h] or [h, c]; Bidirectional forward's then backward's), or null. */
  states: (number[][][] | null)[];
  /** Per layer: dropout masks (Bidirectional: forward, backward), or null. */
  drops: (DropMasks[] | null)[];
  /** d loss / d initial state, nested as `states`. */
  stateGrads: (number[][][] | null)[];
}

/** One case of `regularized.json` (generate-regularized.ts): a model with Keras penalties. */
export interface RegularizedFixture extends GoldenCase {
  /** The Keras penalties of the case (generate-regularized.ts). */
  penalties: PenaltySpec[];
  /** The mean binary cross-entropy alone. */
  dataLoss: number;
  weightPenalty: number;
  activityPenalty: number;
  /** dataLoss + weightPenalty + activityPenalty. */
  loss: number;
  /** d dataLoss / d weight (no penalties). */
  dataGrads: number[][][];
  /** d loss / d weight. */
  grads: number[][][];
}

const readJson = (name: string): unknown => JSON.parse(readFileSync(join(GOLDEN_RNN_DIR, name), 'utf8'));

/** Every case of generate.ts, in the order of `index.json`. */
export function loadGoldenFixtures(): GoldenFixture[] {
  return (readJson('index.json') as { name: string }[]).map((e) => readJson(`${e.name}.json`) as GoldenFixture);
}

/** Every case of `regularized.json`. */
export function loadRegularizedFixtures(): RegularizedFixture[] {
  return (readJson('regularized.json') as { cases: RegularizedFixture[] }).cases;
}

/**
 * Expects `actual` to have `expected`'s length and every element within `tol` of it (absolute
 * plus relative, see GOLDEN_TOL); the message names the worst element.
 */
export function expectClose(actual: ArrayLike<number>, expected: number[], what: string, tol = GOLDEN_TOL): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) - tol * Math.abs(expected[i]!);
    if (err > worst) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `${what}: element ${at} = ${actual[at]}, expected ${expected[at]}`).toBeLessThanOrEqual(tol);
}

/**
 * The `src/rnn` layer a fixture's recurrent spec describes, with every argument of the spec
 * spelled out (Keras defaults where the spec leaves one out); `extra` adds or overrides
 * arguments (`fused`, regularizers).
 */
export function makeRecurrent(spec: RecurrentSpec, extra: Record<string, unknown> = {}): rnn.FusedRecurrent {
  const common = {
    units: spec.units,
    dropout: spec.dropout ?? 0,
    recurrentDropout: spec.recurrentDropout ?? 0,
    activation: spec.activation ?? 'tanh',
    ...(spec.type === 'simple' ? {} : { recurrentActivation: spec.recurrentActivation ?? 'sigmoid' }),
    returnSequences: spec.returnSequences ?? false,
    goBackwards: spec.goBackwards ?? false,
    ...extra,
  };
  if (spec.type === 'lstm') return rnn.lstm(common);
  if (spec.type === 'gru') return rnn.gru({ ...common, resetAfter: spec.resetAfter ?? true });
  return rnn.simpleRNN(common);
}

/**
 * Registers `run(fx, fused)` for every fixture on each path that must reproduce the fixtures: the
 * fused layers on the js kernels and on the wasm kernels (`fused = true`), then the unfused
 * reference path (per-timestep tfjs ops, `fused = false`).
 */
export function describeEveryPath<F extends { name: string }>(fixtures: F[], run: (fx: F, fused: boolean) => void, unfusedTitle: string): void {
  for (const impl of ['js', 'wasm'] as const) {
    describe(`fused, ${impl} kernels`, () => {
      for (const fx of fixtures) {
        it(fx.name, () => {
          rnn.setKernelImplementation(impl);
          try {
            run(fx, true);
          } finally {
            rnn.setKernelImplementation('auto');
          }
        });
      }
    });
  }
  describe(unfusedTitle, () => {
    for (const fx of fixtures) it(fx.name, () => run(fx, false));
  });
}
