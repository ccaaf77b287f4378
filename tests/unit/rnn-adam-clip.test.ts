/**
 * Gradient clipping in `rnn.adam` follows Keras (`clipnorm`, `global_clipnorm`, `clipvalue`,
 * applied to the gradients before the Adam update). The expected weights come from a float64
 * transcription of Keras's formulas: clip, then
 *   m = (1 - β1) g, v = (1 - β2) g², α = lr·sqrt(1 - β2)/(1 - β1), w -= α·m/(sqrt(v) + ε)
 * for the first step. ε is set large (0.5) so the update depends on the gradient's size, which
 * is what clipping changes.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as rnn from '../../src/rnn/index';

const LR = 0.1, B1 = 0.9, B2 = 0.999, EPS = 0.5;

function kerasFirstStep(w: number[], g: number[]): number[] {
  const alpha = (LR * Math.sqrt(1 - B2)) / (1 - B1);
  return w.map((wi, i) => {
    const m = (1 - B1) * g[i];
    const v = (1 - B2) * g[i] * g[i];
    return wi - (alpha * m) / (Math.sqrt(v) + EPS);
  });
}

async function step(args: rnn.AdamArgs, grads: number[][]): Promise<number[][]> {
  await tf.setBackend('cpu');
  const vars = grads.map((g, i) => tf.variable(tf.tensor1d(g.map((_, j) => j + 1)), true, `clip_test_${Math.random()}_${i}`));
  const opt = rnn.adam({ learningRate: LR, beta1: B1, beta2: B2, epsilon: EPS, ...args });
  opt.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: tf.tensor1d(grads[i]) })));
  const out = vars.map((v) => Array.from(v.dataSync()));
  vars.forEach((v) => v.dispose());
  opt.dispose();
  return out;
}

const G = [[3, 4], [0.3, 0.4, 12]]; // norms 5 and ~12.01; global norm 13
const W = G.map((g) => g.map((_, j) => j + 1));

function expectClose(got: number[][], want: number[][]) {
  got.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(want[i][j], 5)));
}

describe('rnn.adam gradient clipping (Keras semantics)', () => {
  it('without clipping, matches the plain Keras step', async () => {
    expectClose(await step({}, G), G.map((g, i) => kerasFirstStep(W[i], g)));
  });

  it('clipnorm scales each gradient above the limit to that norm, leaving smaller ones', async () => {
    const c = 6; // first gradient (norm 5) untouched, second (norm ~12.01) scaled
    const n2 = Math.hypot(...G[1]);
    const clipped = [G[0], G[1].map((x) => (x * c) / n2)];
    expectClose(await step({ clipnorm: c }, G), clipped.map((g, i) => kerasFirstStep(W[i], g)));
  });

  it('globalClipnorm scales all gradients by one factor', async () => {
    const c = 2;
    const n = Math.hypot(...G.flat());
    const clipped = G.map((g) => g.map((x) => (x * c) / n));
    expectClose(await step({ globalClipnorm: c }, G), clipped.map((g, i) => kerasFirstStep(W[i], g)));
  });

  it('clipvalue clips each element', async () => {
    const clipped = G.map((g) => g.map((x) => Math.max(-1, Math.min(1, x))));
    expectClose(await step({ clipvalue: 1 }, G), clipped.map((g, i) => kerasFirstStep(W[i], g)));
  });

  it('rejects two clipping modes at once and non-positive limits, naming the arguments', () => {
    expect(() => rnn.adam({ clipnorm: 1, clipvalue: 1 })).toThrow(/only one of 'clipnorm', 'globalClipnorm' and 'clipvalue'.*'clipnorm' and 'clipvalue'/);
    expect(() => rnn.adam({ clipnorm: 0 })).toThrow(/'clipnorm' must be a positive number/);
  });

  it('keeps its clipping in the serialized config', () => {
    expect(rnn.adam({ clipnorm: 1.5 }).getConfig()).toMatchObject({ clipnorm: 1.5 });
  });
});
