/**
 * The long-range memory task: remember the FIRST key across a gap full of look-alikes.
 *
 * Every sequence has `gap + 1` tokens. It opens with distractors (zero or more, never a key),
 * then the first key token appears, and after it come `lag` more tokens, where `lag` is drawn uniformly from
 * `minGap..gap`. Among those later tokens each one is, with probability `keyRate`, a key too
 * (either key, at random). The label is the first key, so the network has to latch: store the key
 * when the first one arrives, then hold it for up to `gap` steps while ignoring the later keys,
 * which look exactly like it. Nothing about the label can be read from the last few steps.
 *
 * Why this shape (measured in Node with the lesson model, Embedding(10, 8) -> cell(16) ->
 * Dense(1, sigmoid), Adam 3e-3, batch 32, 2,000 sequences; numbers vary run to run):
 * - With the look-alike keys the distractors cannot be embedded away, so a SimpleRNN has to build
 *   a saturated latch, the regime in which its gradients vanish. It reaches ~0.99 at gap 10 in
 *   1-3 epochs but stays at 0.48-0.68 at gap 50 after 15 epochs.
 * - The varying lag gives the gated cells short examples to start from (their fresh gates leak),
 *   and a gate that holds the key for a few steps holds it for 50: at gap 50 the GRU reached 0.98
 *   in 6-8 epochs in every run, the LSTM in 5-11 epochs in about three runs of four (the others
 *   hit a loss spike, an exploding gradient, and ended at 0.5-0.75). Gap 100 is much slower.
 * - Without the look-alike keys (the earlier version of this task) a SimpleRNN embedded the
 *   distractors near zero, passed the key along its orthogonal recurrent matrix and solved gap
 *   200, while with a fixed long lag the gated cells never got started: the opposite lesson.
 * Used in `simple-rnn.mdx` (cell `vanishing-demo`) and `rnn-vs-lstm-vs-gru.mdx`
 * (cell `compare-long-range`); `tests/unit/data-generators.test.ts` trains the GRU/SimpleRNN pair.
 *
 * Ids: 0 is never used (padding), keys are 1..numClasses, distractors numClasses+1..vocabSize-1.
 * Labels are 0..numClasses-1 (key id - 1); with the default 2 classes a sigmoid output fits.
 * Labels are balanced per split (exactly half each for 2 classes when the split size is even).
 */
import { Prng } from './prng';
import { checkArgCount, checkOptions, fractionOption, integerOption, rule } from './validate';

/** Options of `datasets.longRangeMemory` (all optional). */
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

/** `[[xTrain, yTrain], [xTest, yTest]]`: xs as id lists of length `gap + 1`, ys as class ids. */
export type LongRangeMemoryData = [[number[][], number[]], [number[][], number[]]];

/** Generates the task (see the module comment); deterministic for a given `seed`. */
export function longRangeMemory(options: LongRangeMemoryOptions = {}): LongRangeMemoryData {
  checkArgCount('datasets.longRangeMemory', arguments.length, 'options');
  checkOptions('datasets.longRangeMemory', options, {
    numSamples: null,
    numTest: null,
    gap: null,
    minGap: null,
    keyRate: null,
    numClasses: null,
    vocabSize: null,
    seed: rule.int(-Infinity),
  });
  const numSamples = integerOption('numSamples', options.numSamples ?? 1000, 1);
  const numTest = integerOption('numTest', options.numTest ?? numSamples, 0);
  const gap = integerOption('gap', options.gap ?? 20, 1);
  const minGap = integerOption('minGap (at most gap)', options.minGap ?? 1, 1, gap);
  const keyRate = fractionOption('keyRate', options.keyRate ?? 0.1, 0, 1);
  const numClasses = integerOption('numClasses', options.numClasses ?? 2, 2);
  const vocabSize = integerOption('vocabSize (at least numClasses + 2)', options.vocabSize ?? 10, numClasses + 2);
  const rng = new Prng(options.seed ?? 1);
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
