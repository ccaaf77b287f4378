/**
 * Keras's `imdb.load_data` transformation, applied to raw reviews held in typed arrays
 * (see keras/src/datasets/imdb.py). Used for the real IMDB files and for the toy stand-in,
 * so both honour the same options in the same way.
 *
 * Steps, in Keras's order: seeded shuffle of train, then of test, with one
 * `RandomState(seed)`; `startChar` prepended and every rank shifted by `indexFrom`; with
 * `maxlen`, reviews of `maxlen` words or more (start mark included) are dropped (Keras keeps
 * `len(x) < maxlen`); `numWords` defaults to the largest id left; ids outside
 * `[skipTop, numWords)` become `oovChar` (or are removed when `oovChar` is null).
 * Our addition: `limit` keeps the first N reviews of each split of that result.
 */
import { NumpyRandomState } from './numpy-random';
import { ValueError } from '../errors';
import type { RawImdb, RawSplit } from './imdb-format';

/**
 * Options of `imdb.loadData`: Keras's `load_data` arguments in camelCase with Keras's defaults,
 * plus `limit` and `fallback`.
 */
export interface LoadDataOptions {
  /** Keep ids below this (the `numWords - indexFrom` most frequent words); others become OOV. */
  numWords?: number | null;
  /** Ids below this become OOV too (skips the most frequent words). */
  skipTop?: number;
  /** Drop reviews of `maxlen` ids or more (the start mark counts). */
  maxlen?: number | null;
  /** Id put first in every review (default 1); null for none. */
  startChar?: number | null;
  /** Id for out-of-vocabulary words (default 2); null to remove them. */
  oovChar?: number | null;
  /** Added to every word rank (default 3: 0 pad, 1 start, 2 OOV, 3 unused). */
  indexFrom?: number;
  /** Shuffle seed (default 113, as Keras); null keeps the stored order. */
  seed?: number | null;
  /** Only the first N reviews of each split (after shuffling and filtering). */
  limit?: number | null;
  /** 'toy': use `datasets.toySentiment` data when the IMDB files are unavailable. */
  fallback?: 'toy' | null;
}

/** One split as Keras returns it: `[x, y]`, reviews as arrays of word ids and their 0/1 labels. */
export type Split = [number[][], number[]];
/** What `imdb.loadData` returns: `[[xTrain, yTrain], [xTest, yTest]]`. */
export type ImdbData = [Split, Split];

/** A stored rank of 0 means "word of unknown rank" (only in the tfjs copy). */
const UNKNOWN_RANK = 0;

function reviewOrder(n: number, rng: NumpyRandomState | null): Int32Array {
  if (!rng) {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return order;
  }
  return rng.permutation(n);
}

/** Applies `load_data`'s options to raw data. Returns the Keras result and the `numWords` used. */
export function applyKerasOptions(raw: RawImdb, options: LoadDataOptions = {}): { data: ImdbData; numWords: number } {
  const skipTop = options.skipTop ?? 0;
  const maxlen = options.maxlen ?? null;
  const startChar = options.startChar === undefined ? 1 : options.startChar;
  const oovChar = options.oovChar === undefined ? 2 : options.oovChar;
  const indexFrom = options.indexFrom ?? 3;
  const seed = options.seed === undefined ? 113 : options.seed;
  const limit = options.limit ?? null;
  if (limit !== null && (!Number.isInteger(limit) || limit < 0)) {
    throw new ValueError(`limit must be a non-negative integer, got ${limit}`);
  }

  const rng = seed === null ? null : new NumpyRandomState(seed);
  const orders = [reviewOrder(raw.train.labels.length, rng), reviewOrder(raw.test.labels.length, rng)];
  const extra = startChar !== null ? 1 : 0;

  // Which reviews survive the maxlen filter (Keras `remove_long_seq` keeps len < maxlen).
  const kept = ([raw.train, raw.test] as RawSplit[]).map((split, s) => {
    const order = orders[s];
    if (!maxlen) return order;
    const out: number[] = [];
    for (const i of order) if (split.offsets[i + 1] - split.offsets[i] + extra < maxlen) out.push(i);
    return Int32Array.from(out);
  });
  if (maxlen && (kept[0].length === 0 || kept[1].length === 0)) {
    throw new ValueError(`After filtering for sequences shorter than maxlen=${maxlen}, no sequence was kept. Increase maxlen.`);
  }

  let numWords = options.numWords ?? 0;
  if (!numWords) {
    // max(max(x) for x in xs) over every kept review, start mark included.
    let max = -Infinity;
    ([raw.train, raw.test] as RawSplit[]).forEach((split, s) => {
      for (const i of kept[s]) {
        if (extra) max = Math.max(max, startChar!);
        for (let k = split.offsets[i]; k < split.offsets[i + 1]; k++) {
          const r = split.ids[k];
          if (r !== UNKNOWN_RANK) max = Math.max(max, r + indexFrom);
        }
      }
    });
    numWords = max;
  }

  const build = (split: RawSplit, order: Int32Array): Split => {
    const n = limit === null ? order.length : Math.min(limit, order.length);
    const xs: number[][] = new Array(n);
    const ys: number[] = new Array(n);
    for (let j = 0; j < n; j++) {
      const i = order[j];
      const seq: number[] = [];
      const keep = (w: number) => {
        if (w >= skipTop && w < numWords) seq.push(w);
        else if (oovChar !== null) seq.push(oovChar);
      };
      if (extra) keep(startChar!);
      for (let k = split.offsets[i]; k < split.offsets[i + 1]; k++) {
        const r = split.ids[k];
        if (r === UNKNOWN_RANK) {
          if (oovChar !== null) seq.push(oovChar);
        } else {
          keep(r + indexFrom);
        }
      }
      xs[j] = seq;
      ys[j] = split.labels[i];
    }
    return [xs, ys];
  };
  return { data: [build(raw.train, kept[0]), build(raw.test, kept[1])], numWords };
}

/** Builds a `RawSplit` from arrays of ranks and labels (toy data and tests). */
export function rawSplitFrom(reviews: ArrayLike<number>[], labels: ArrayLike<number>): RawSplit {
  const offsets = new Uint32Array(reviews.length + 1);
  reviews.forEach((r, i) => (offsets[i + 1] = offsets[i] + r.length));
  const ids = new Int32Array(offsets[reviews.length]);
  reviews.forEach((r, i) => ids.set(Array.from(r), offsets[i]));
  return { ids, offsets, labels: Uint8Array.from(Array.from(labels)) };
}
