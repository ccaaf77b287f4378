import { describe, expect, it } from 'vitest';
import { datasets } from '../../src/rnn/data/index';
import { toyWordIndex } from '../../src/rnn/data/toy-sentiment';

describe('datasets.toySentiment (the offline IMDB stand-in)', () => {
  const data = datasets.toySentiment({ numSamples: 600, seed: 3 });
  const [[x, y], [xt, yt]] = data;

  it('is deterministic for a seed and changes with it', () => {
    expect(datasets.toySentiment({ numSamples: 600, seed: 3 })).toEqual(data);
    expect(datasets.toySentiment({ numSamples: 600, seed: 4 })[0][0]).not.toEqual(x);
  });

  it('has the IMDB shape and id conventions (start 1, OOV 2, words from 3, below vocabSize)', () => {
    expect(x).toHaveLength(600);
    expect(xt).toHaveLength(600);
    expect(y).toHaveLength(600);
    const bad = [...x, ...xt].filter(
      (r) => r[0] !== 1 || r.length >= 100 || r.length < 20 || !r.slice(1).every((w) => w === 2 || (w >= 4 && w < 10000)),
    );
    expect(bad).toEqual([]);
    expect(x.flat().filter((w) => w === 2).length).toBeGreaterThan(0); // some OOV, like IMDB at num_words=10000
    const positives = y.filter((v) => v === 1).length;
    expect(positives).toBeGreaterThan(240);
    expect(positives).toBeLessThan(360);
    expect(new Set(yt)).toEqual(new Set([0, 1]));
  });

  it('respects vocabSize and maxlen', () => {
    const [[small]] = datasets.toySentiment({ numSamples: 200, vocabSize: 50, maxlen: 20, seed: 1 });
    expect(small.flat().every((w) => w < 50)).toBe(true);
    expect(small.every((r) => r.length < 20)).toBe(true);
    expect(() => datasets.toySentiment({ vocabSize: 10 })).toThrow(/vocabSize/);
  });

  it('carries a sentiment signal: counting sentiment words classifies most reviews', () => {
    const index = toyWordIndex(10000);
    const pos = new Set(['good', 'great', 'best', 'love', 'excellent', 'wonderful'].map((w) => index[w] + 3));
    const neg = new Set(['bad', 'worst', 'awful', 'boring', 'terrible', 'waste'].map((w) => index[w] + 3));
    let correct = 0;
    xt.forEach((r, i) => {
      const score = r.filter((w) => pos.has(w)).length - r.filter((w) => neg.has(w)).length;
      if ((score > 0 ? 1 : score < 0 ? 0 : 1) === yt[i]) correct++;
    });
    expect(correct / xt.length).toBeGreaterThan(0.75);
  });

  it('decodes to words through its word index', () => {
    const index = toyWordIndex(10000);
    const reverse = new Map(Object.entries(index).map(([w, r]) => [r + 3, w]));
    expect(x[0].slice(1).every((w) => w === 2 || reverse.has(w))).toBe(true);
    expect(index.the).toBe(1);
  });
});

describe('datasets.longRangeMemory', () => {
  it('puts the label as the first token, followed by gap distractors', () => {
    const [[x, y], [xt]] = datasets.longRangeMemory({ numSamples: 300, gap: 40, seed: 2 });
    expect(x).toHaveLength(300);
    expect(xt).toHaveLength(300);
    x.forEach((r, i) => {
      expect(r).toHaveLength(41);
      expect(r[0]).toBe(y[i] + 1);
      expect(r.slice(1).every((w) => w >= 3 && w < 10)).toBe(true);
    });
    expect(new Set(y)).toEqual(new Set([0, 1]));
    expect(datasets.longRangeMemory({ numSamples: 300, gap: 40, seed: 2 })).toEqual([[x, y], datasets.longRangeMemory({ numSamples: 300, gap: 40, seed: 2 })[1]]);
  });

  it('supports more classes and rejects impossible settings', () => {
    const [[x, y]] = datasets.longRangeMemory({ numSamples: 200, gap: 5, numClasses: 4, vocabSize: 12, seed: 1 });
    expect(new Set(y)).toEqual(new Set([0, 1, 2, 3]));
    expect(x.every((r) => r.slice(1).every((w) => w > 4 && w < 12))).toBe(true);
    expect(() => datasets.longRangeMemory({ numClasses: 9, vocabSize: 10 })).toThrow(/vocabSize/);
  });
});

describe('datasets.addingProblem', () => {
  it('marks one value in each half and targets their sum', () => {
    const [[x, y], [xt, yt]] = datasets.addingProblem({ numSamples: 200, length: 30, seed: 5 });
    expect(xt).toHaveLength(200);
    expect(yt).toHaveLength(200);
    x.forEach((seq, i) => {
      expect(seq).toHaveLength(30);
      const marked = seq.map((s, t) => (s[1] === 1 ? t : -1)).filter((t) => t >= 0);
      expect(marked).toHaveLength(2);
      expect(marked[0]).toBeLessThan(15);
      expect(marked[1]).toBeGreaterThanOrEqual(15);
      expect(seq.every(([v, m]) => v >= 0 && v < 1 && (m === 0 || m === 1))).toBe(true);
      expect(y[i]).toBeCloseTo(seq[marked[0]][0] + seq[marked[1]][0], 12);
    });
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const mseOfMean = y.reduce((a, b) => a + (b - 1) ** 2, 0) / y.length;
    expect(mean).toBeGreaterThan(0.85);
    expect(mean).toBeLessThan(1.15);
    expect(mseOfMean).toBeGreaterThan(0.1); // the baseline a model must beat (~1/6)
    expect(mseOfMean).toBeLessThan(0.25);
    expect(datasets.addingProblem({ numSamples: 200, length: 30, seed: 5 })[0][1]).toEqual(y);
  });
});
