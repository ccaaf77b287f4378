/**
 * The long-range memory task: remember the FIRST key across a gap full of look-alikes.
 *
 * Every sequence has `gap + 1` tokens. It opens with distractors (never a key), then the first
 * key token appears, and after it come `lag` more tokens, where `lag` is drawn uniformly from
 * `minGap..gap`. Among those later tokens each one is, with probability `keyRate`, a key too
 * (either key, at random). The label is the first key, so the network has to latch: store the key
 * when the first one arrives, then hold it for up to `gap` steps while ignoring the later keys,
 * which look exactly like it. Nothing about the label can be read from the last few steps.
 *
 * Why this shape (measured, see the lessons): when the distractors could simply be ignored, a
 * SimpleRNN passed the key along its orthogonal recurrent matrix and solved gaps of 200, while the
 * gated cells, whose fresh gates leak, could not learn a lag that was always long. Here the later
 * keys cannot be embedded away (they are the same tokens), so the SimpleRNN has to build a
 * saturated latch, the regime in which its gradients vanish: it learns short gaps (5-10) but
 * stays near chance from gap ~50. The varying lag gives the gated cells a few short examples to
 * learn from, and the gate that holds the key for 5 steps holds it for 100: GRU and LSTM reach
 * ≈1.0 in a few epochs. Used in `simple-rnn.mdx` (cell `vanishing-demo`) and
 * `rnn-vs-lstm-vs-gru.mdx` (cell `compare-long-range`).
 *
 * Ids: 0 is never used (padding), keys are 1..numClasses, distractors numClasses+1..vocabSize-1.
 * Labels are 0..numClasses-1 (key id - 1); with the default 2 classes a sigmoid output fits.
 * Labels are balanced per split (exactly half each for 2 classes when the split size is even).
 */
import type { ImdbData } from './imdb-pipeline';
import { Prng } from './prng';

export interface LongRangeMemoryOptions {
  /** Training sequences (default 1000); the test split has `numTest` (default the same). */
  numSamples?: number;
  numTest?: number;
  /**
   * Longest distance from the first key to the end of the sequence (default 20, at least 1).
   * Every sequence has `gap + 1` tokens.
   */
  gap?: number;
  /** Shortest such distance (default 1; 1 <= minGap <= gap). The lag is uniform in minGap..gap. */
  minGap?: number;
  /** Probability that a token after the first key is a key as well (default 0.1, in [0, 1)). */
  keyRate?: number;
  /** Number of different keys (default 2). */
  numClasses?: number;
  /** Ids are below this (default 10). */
  vocabSize?: number;
  /** Seed (default 1). */
  seed?: number;
}

/** `[[xTrain, yTrain], [xTest, yTest]]`, xs as id lists of length `gap + 1`, ys as class ids. */
export function longRangeMemory(options: LongRangeMemoryOptions = {}): ImdbData {
  const numSamples = options.numSamples ?? 1000;
  const numTest = options.numTest ?? numSamples;
  const gap = options.gap ?? 20;
  const minGap = options.minGap ?? 1;
  const keyRate = options.keyRate ?? 0.1;
  const numClasses = options.numClasses ?? 2;
  const vocabSize = options.vocabSize ?? 10;
  const rng = new Prng(options.seed ?? 1);
  if (!Number.isInteger(gap) || gap < 1) throw new Error(`gap must be a positive integer, got ${gap}`);
  if (!Number.isInteger(minGap) || minGap < 1 || minGap > gap) {
    throw new Error(`minGap must be an integer in 1..gap (${gap}), got ${minGap}`);
  }
  if (!(keyRate >= 0 && keyRate < 1)) throw new Error(`keyRate must be in [0, 1), got ${keyRate}`);
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new Error(`numClasses must be at least 2, got ${numClasses}`);
  if (vocabSize < numClasses + 2) throw new Error(`vocabSize must be at least numClasses + 2 (${numClasses + 2}), got ${vocabSize}`);
  const distractor = () => rng.int(numClasses + 1, vocabSize);
  const make = (n: number): [number[][], number[]] => {
    // Balanced labels in a seeded random order.
    const labels = Array.from({ length: n }, (_v, i) => i % numClasses);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(0, i + 1);
      [labels[i], labels[j]] = [labels[j], labels[i]];
    }
    const xs: number[][] = [];
    for (const label of labels) {
      const lag = rng.int(minGap, gap + 1);
      const seq: number[] = [];
      for (let k = 0; k < gap - lag; k++) seq.push(distractor());
      seq.push(label + 1);
      for (let k = 0; k < lag; k++) seq.push(rng.chance(keyRate) ? rng.int(1, numClasses + 1) : distractor());
      xs.push(seq);
    }
    return [xs, labels];
  };
  return [make(numSamples), make(numTest)];
}
