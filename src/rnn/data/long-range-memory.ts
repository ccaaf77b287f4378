/**
 * The long-range memory task (lesson on vanishing gradients and gating): each sequence starts
 * with a key token, then `gap` distractor tokens follow; the label is the key. The only
 * information is `gap` steps back, so the network has to carry it through the whole sequence.
 * A SimpleRNN learns it for short gaps and fails as the gap grows (its gradient through time
 * vanishes), while LSTM and GRU keep succeeding.
 *
 * Ids: 0 is never used (padding), keys are 1..numClasses, distractors numClasses+1..vocabSize-1.
 * Labels are 0..numClasses-1 (key id - 1); with the default 2 classes a sigmoid output fits.
 */
import type { ImdbData } from './imdb-pipeline';
import { Prng } from './prng';

export interface LongRangeMemoryOptions {
  /** Training sequences (default 1000); the test split has `numTest` (default the same). */
  numSamples?: number;
  numTest?: number;
  /** Distractor steps between the key and the end (default 20). Sequence length = gap + 1. */
  gap?: number;
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
  const numClasses = options.numClasses ?? 2;
  const vocabSize = options.vocabSize ?? 10;
  const rng = new Prng(options.seed ?? 1);
  if (!Number.isInteger(gap) || gap < 0) throw new Error(`gap must be a non-negative integer, got ${gap}`);
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new Error(`numClasses must be at least 2, got ${numClasses}`);
  if (vocabSize < numClasses + 2) throw new Error(`vocabSize must be at least numClasses + 2 (${numClasses + 2}), got ${vocabSize}`);
  const make = (n: number): [number[][], number[]] => {
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < n; i++) {
      const label = rng.int(0, numClasses);
      const seq = [label + 1];
      for (let k = 0; k < gap; k++) seq.push(rng.int(numClasses + 1, vocabSize));
      xs.push(seq);
      ys.push(label);
    }
    return [xs, ys];
  };
  return [make(numSamples), make(numTest)];
}
