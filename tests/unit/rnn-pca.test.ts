import { describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';

/** Deterministic pseudo-random numbers in [-1, 1). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
}

function covariance(rows: number[][]): number[][] {
  const n = rows.length;
  const d = rows[0].length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / n);
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + (r[i] - mean[i]) * (r[j] - mean[j]), 0) / (n - 1)));
}

describe('rnn.inspect.pca', () => {
  it('finds the closed-form axes of a 2 x 2 covariance', () => {
    // Points on the line y = x plus a small spread along y = -x: axes (1, 1)/√2 and (1, -1)/√2 up to sign.
    const rows = [[-2, -2], [-1, -1], [0, 0], [1, 1], [2, 2], [0.1, -0.1], [-0.1, 0.1]];
    const p = rnn.inspect.pca(rows);
    const r = Math.SQRT1_2;
    expect(p.components[0][0]).toBeCloseTo(r, 12);
    expect(p.components[0][1]).toBeCloseTo(r, 12);
    expect(Math.abs(p.components[1][0])).toBeCloseTo(r, 12);
    expect(p.components[1][0] * p.components[1][1]).toBeCloseTo(-0.5, 12);
    // Variance along (1,1)/√2: sum of 2t² over t = -2..2, over n - 1 = 6.
    expect(p.explainedVariance[0]).toBeCloseTo((2 * (4 + 1 + 0 + 1 + 4)) / 6, 12);
    expect(p.explainedVariance[1]).toBeCloseTo((0.02 + 0.02) / 6, 12); // (0.1, -0.1) is 0.2/√2 along the second axis
    expect(p.explainedVarianceRatio[0] + p.explainedVarianceRatio[1]).toBeCloseTo(1, 12);
  });

  it('returns eigenvectors of the sample covariance, orthonormal, by decreasing variance, and the projected rows', () => {
    const rand = lcg(11);
    const d = 6;
    // Correlated data: random rows through a fixed mixing matrix with different scales.
    const mix = Array.from({ length: d }, (_, i) => Array.from({ length: d }, () => rand() * (i + 1)));
    const rows = Array.from({ length: 40 }, () => {
      const z = Array.from({ length: d }, () => rand());
      return mix[0].map((_, j) => 3 + z.reduce((s, zi, i) => s + zi * mix[i][j], 0));
    });
    const p = rnn.inspect.pca(rows, { components: d });
    const c = covariance(rows);
    p.components.forEach((v, k) => {
      const cv = c.map((row) => row.reduce((s, e, j) => s + e * v[j], 0));
      cv.forEach((e, j) => expect(e).toBeCloseTo(p.explainedVariance[k] * v[j], 9));
      p.components.forEach((w, l) => expect(v.reduce((s, e, j) => s + e * w[j], 0)).toBeCloseTo(k === l ? 1 : 0, 12));
      // Sign convention: the largest-magnitude entry is positive.
      const big = v.reduce((a, e) => (Math.abs(e) > Math.abs(a) ? e : a), 0);
      expect(big).toBeGreaterThan(0);
    });
    for (let k = 1; k < d; k++) expect(p.explainedVariance[k]).toBeLessThanOrEqual(p.explainedVariance[k - 1]);
    const trace = c.reduce((s, row, i) => s + row[i], 0);
    expect(p.explainedVariance.reduce((a, b) => a + b, 0)).toBeCloseTo(trace, 9);
    expect(p.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Scores: (row - mean) · axis, and projecting the same rows again gives the same numbers.
    rows.forEach((r, i) => p.components.forEach((v, k) => expect(p.scores[i][k]).toBeCloseTo(v.reduce((s, e, j) => s + e * (r[j] - p.mean[j]), 0), 12)));
    expect(p.project(rows.slice(0, 3))).toEqual(p.scores.slice(0, 3));
    // With all axes kept, the scores rebuild the rows exactly.
    rows.forEach((r, i) => r.forEach((e, j) => expect(p.mean[j] + p.components.reduce((s, v, k) => s + p.scores[i][k] * v[j], 0)).toBeCloseTo(e, 9)));
  });

  it('keeps 2 axes by default and gives equal rows zero variance', () => {
    const p = rnn.inspect.pca([[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
    expect(p.components).toHaveLength(2);
    expect(p.explainedVariance).toEqual([0, 0]);
    expect(p.explainedVarianceRatio).toEqual([0, 0]);
    expect(p.scores).toEqual([[0, 0], [0, 0], [0, 0]]);
  });

  it('refuses bad input by name', () => {
    expect(() => rnn.inspect.pca([])).toThrow(/non-empty array of rows/);
    expect(() => rnn.inspect.pca([[1, 2]])).toThrow(/at least 2 rows/);
    expect(() => rnn.inspect.pca([[1, 2], [3]])).toThrow(/rows\[1\] must have 2 numbers, got 1/);
    expect(() => rnn.inspect.pca([[1, 2], [3, NaN]])).toThrow(/rows\[1\]\[1\] is NaN/);
    expect(() => rnn.inspect.pca([[1, 2], [3, 4]], { components: 3 })).toThrow(/'components' must be an integer from 1 to 2/);
    expect(() => rnn.inspect.pca([[1, 2], [3, 4]], { component: 1 } as never)).toThrow(/unknown option 'component'/);
    expect(() => rnn.inspect.pca([[1, 2], [3, 4]]).project([[1]])).toThrow(/project\(rows\)\[0\] must have 2 numbers/);
  });
});
