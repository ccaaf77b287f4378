import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { datasets } from '../../src/rnn/data/index';
import * as rnn from '../../src/rnn/index';
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

describe('datasets.longRangeMemory (latch the first key)', () => {
  const gap = 40;
  const data = datasets.longRangeMemory({ numSamples: 400, numTest: 300, gap, seed: 2 });
  const [[x, y], [xt, yt]] = data;
  const isKey = (w: number) => w === 1 || w === 2;

  it('is deterministic for a seed and changes with it', () => {
    expect(datasets.longRangeMemory({ numSamples: 400, numTest: 300, gap, seed: 2 })).toEqual(data);
    expect(datasets.longRangeMemory({ numSamples: 400, numTest: 300, gap, seed: 3 })[0][0]).not.toEqual(x);
    expect(xt).not.toEqual(x.slice(0, 300)); // the test split is not a copy of the training split
  });

  it('has gap + 1 ids per sequence, ids in 1..9, balanced labels', () => {
    expect(x).toHaveLength(400);
    expect(y).toHaveLength(400);
    expect(xt).toHaveLength(300);
    expect(yt).toHaveLength(300);
    expect([...x, ...xt].every((r) => r.length === gap + 1 && r.every((w) => Number.isInteger(w) && w >= 1 && w < 10))).toBe(true);
    expect(y.filter((v) => v === 1)).toHaveLength(200);
    expect(yt.filter((v) => v === 1)).toHaveLength(150);
    expect(new Set([...y, ...yt])).toEqual(new Set([0, 1]));
  });

  it('labels the FIRST key; only distractors come before it, look-alike keys after it', () => {
    const lags: number[] = [];
    let laterKeys = 0;
    let laterTokens = 0;
    let laterDisagree = 0;
    [...x.map((r, i) => [r, y[i]] as const), ...xt.map((r, i) => [r, yt[i]] as const)].forEach(([r, label]) => {
      const first = r.findIndex(isKey);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(r[first]).toBe(label + 1);
      const after = r.slice(first + 1);
      lags.push(after.length);
      laterTokens += after.length;
      laterKeys += after.filter(isKey).length;
      if (after.some((w) => isKey(w) && w !== label + 1)) laterDisagree++;
    });
    // the lag (tokens after the first key) covers 1..gap
    expect(Math.min(...lags)).toBe(1);
    expect(Math.max(...lags)).toBe(gap);
    expect(lags.filter((l) => l <= 10).length).toBeGreaterThan(0.15 * lags.length);
    expect(lags.filter((l) => l > 30).length).toBeGreaterThan(0.15 * lags.length);
    // about keyRate (default 0.1) of the later tokens are keys, and more than half of the
    // sequences contain the other key later on: "any key seen" does not give the label
    expect(laterKeys / laterTokens).toBeGreaterThan(0.08);
    expect(laterKeys / laterTokens).toBeLessThan(0.12);
    expect(laterDisagree / lags.length).toBeGreaterThan(0.5);
  });

  it('the last token and the last key say nothing about the label', () => {
    const lastKeyAgrees = x.filter((r, i) => {
      const keys = r.filter(isKey);
      return keys[keys.length - 1] === y[i] + 1;
    }).length;
    // the last key is the first one only when no later key came (short lags); otherwise a coin flip
    expect(lastKeyAgrees / x.length).toBeGreaterThan(0.5);
    expect(lastKeyAgrees / x.length).toBeLessThan(0.75);
  });

  it('honours minGap, keyRate, numClasses, vocabSize and rejects impossible settings', () => {
    const [[long]] = datasets.longRangeMemory({ numSamples: 200, gap: 30, minGap: 30, keyRate: 0, seed: 1 });
    expect(long.every((r) => isKey(r[0]) && r.slice(1).every((w) => w >= 3))).toBe(true);
    const [[x4, y4]] = datasets.longRangeMemory({ numSamples: 200, gap: 5, numClasses: 4, vocabSize: 12, seed: 1 });
    expect(new Set(y4)).toEqual(new Set([0, 1, 2, 3]));
    x4.forEach((r, i) => {
      const first = r.findIndex((w) => w <= 4);
      expect(r[first]).toBe(y4[i] + 1);
      expect(r.every((w) => w >= 1 && w < 12)).toBe(true);
    });
    expect(() => datasets.longRangeMemory({ numClasses: 9, vocabSize: 10 })).toThrow(/vocabSize/);
    expect(() => datasets.longRangeMemory({ gap: 0 })).toThrow(/gap/);
    expect(() => datasets.longRangeMemory({ gap: 10, minGap: 11 })).toThrow(/minGap/);
    expect(() => datasets.longRangeMemory({ keyRate: 1 })).toThrow(/keyRate/);
  });
});

describe('longRangeMemory separates gated cells from the SimpleRNN (lesson model, seeded)', () => {
  // Embedding(10, 8) -> cell(16) -> Dense(1, sigmoid), Adam 3e-3, batch 32, gap 50, 2,000
  // sequences: the lesson setting. Initializers are seeded and shuffling is off, so the run is
  // deterministic. Measured with init seeds 1-5: GRU above 0.9 after 5-9 epochs every time,
  // SimpleRNN never above 0.65 in the first 8 epochs.
  async function train(cell: 'gru' | 'simpleRNN', epochs: number): Promise<number> {
    await tf.setBackend('cpu');
    const gap = 50;
    const [[xs, ys], [xt, yt]] = datasets.longRangeMemory({ numSamples: 2000, numTest: 1000, gap, seed: 1 });
    const [x, y, xv, yv] = [rnn.padSequences(xs), tf.tensor1d(ys), rnn.padSequences(xt), tf.tensor1d(yt)];
    const model = tf.sequential();
    model.add(
      rnn.embedding({
        inputDim: 10,
        outputDim: 8,
        inputLength: gap + 1,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 101 }),
      }),
    );
    const recurrentArgs = {
      units: 16,
      kernelInitializer: tf.initializers.glorotUniform({ seed: 102 }),
      recurrentInitializer: tf.initializers.orthogonal({ seed: 103 }),
    };
    model.add(cell === 'gru' ? rnn.gru(recurrentArgs) : rnn.simpleRNN(recurrentArgs));
    model.add(rnn.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 104 }) }));
    model.compile({ optimizer: rnn.adam({ learningRate: 3e-3 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, {
      epochs,
      batchSize: 32,
      shuffle: false,
      verbose: 0,
      validationData: [xv, yv],
      callbacks: {
        onEpochEnd: async (_epoch, logs) => {
          if ((logs?.val_acc ?? 0) >= 0.95) model.stopTraining = true;
        },
      },
    });
    tf.dispose([x, y, xv, yv]);
    model.dispose();
    return Math.max(...(history.history.val_acc as number[]));
  }

  it('GRU learns gap 50 within 10 epochs; SimpleRNN stays near chance for 6', async () => {
    expect(await train('gru', 10)).toBeGreaterThan(0.9);
    expect(await train('simpleRNN', 6)).toBeLessThan(0.7);
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
