/**
 * The adding problem (Hochreiter & Schmidhuber 1997), the classic two-marker test of memory:
 * every step has two features, a random value in [0, 1) and a marker that is 1 at exactly two
 * steps (one in the first half, one in the second) and 0 elsewhere. The target is the sum of
 * the two marked values. Predicting the mean (1.0) gives a mean squared error of about 0.167;
 * a recurrent network that solves the task goes well below it. Longer `length` makes it
 * harder, which is the point of the LSTM/GRU lesson.
 */
import { Prng } from './prng';
import { checkArgCount, checkOptions, integerOption, rule } from './validate';

/** Options of `datasets.addingProblem` (all optional). */
export interface AddingProblemOptions {
  /** Training sequences (default 1000); the test split has `numTest` (default the same). */
  numSamples?: number;
  numTest?: number;
  /** Steps per sequence (default 50, at least 2). */
  length?: number;
  /** Seed (default 1). */
  seed?: number;
}

/** One split of the adding problem: `[xs, ys]`, xs `[length][2]` (value, marker) per sequence, ys the sums. */
export type AddingSplit = [number[][][], number[]];

/** `[[xTrain, yTrain], [xTest, yTest]]`; xs are `[length][2]` per sequence, ys the sums. */
export function addingProblem(options: AddingProblemOptions = {}): [AddingSplit, AddingSplit] {
  checkArgCount('datasets.addingProblem', arguments.length, 'options');
  checkOptions('datasets.addingProblem', options, { numSamples: null, numTest: null, length: null, seed: rule.int(-Infinity) });
  const numSamples = integerOption('numSamples', options.numSamples ?? 1000, 1);
  const numTest = integerOption('numTest', options.numTest ?? numSamples, 0);
  const length = integerOption('length', options.length ?? 50, 2);
  const rng = new Prng(options.seed ?? 1);
  const half = Math.floor(length / 2);
  const make = (n: number): AddingSplit => {
    const xs: number[][][] = [];
    const ys: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = rng.int(0, half);
      const b = rng.int(half, length);
      const seq: number[][] = [];
      for (let t = 0; t < length; t++) seq.push([rng.next(), t === a || t === b ? 1 : 0]);
      xs.push(seq);
      ys.push(seq[a][0] + seq[b][0]);
    }
    return [xs, ys];
  };
  return [make(numSamples), make(numTest)];
}
