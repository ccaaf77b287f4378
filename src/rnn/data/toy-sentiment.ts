/**
 * The toy sentiment task: the offline stand-in for IMDB. Reviews are made of word ids with
 * IMDB's conventions (0 pad, 1 start, 2 OOV, words from 3 + rank, ranks by frequency), labels
 * are 0/1, and the same cell code that trains on IMDB trains on it: `imdb.loadData({ ...,
 * fallback: 'toy' })` returns it when the IMDB files are missing, and `imdb.decode` /
 * `imdb.encode` then use its word list.
 *
 * How a review is made: a length between `maxlen / 5` and `maxlen - 1` (start mark included);
 * each word is, with probability 0.2, a sentiment word (80% of the time of the review's
 * polarity, 20% of the other), otherwise a neutral word (mostly common function words, some
 * rarer "filler" ranks, a few of them beyond `vocabSize` so that OOV ids appear as in IMDB).
 * A review has ~3-20 sentiment words, mostly agreeing with its label, so
 * Embedding -> LSTM(5) -> Dense learns it well above chance in one or two epochs, yet it is not
 * trivial: single words mislead and the model must weigh several.
 */
import { applyKerasOptions, rawSplitFrom, type ImdbData } from './imdb-pipeline';
import type { RawImdb } from './imdb-format';
import { Prng } from './prng';
import { checkArgCount, checkOptions, integerOption, rule, type OptionRules } from './validate';

const NEUTRAL = (
  'the and a of to is br in it i this that was as for with movie but film on not you are his ' +
  'have he be one all at by an they who so from like her or just about out if has what some ' +
  'there can more when very up no time even she my would which story only really see their ' +
  'had we me than much been get will into also other do people because how most him its ' +
  'first made then them way could any make after too think watch characters character two ' +
  'plot seen acting never little where life know ever does off over show end scene man scenes'
).split(' ');
const POSITIVE = (
  'good great best love well excellent wonderful beautiful loved fun enjoyed amazing ' +
  'perfect brilliant favorite superb recommend fantastic touching masterpiece'
).split(' ');
const NEGATIVE = (
  'bad worst awful boring terrible waste poor horrible stupid dull worse mess annoying ' +
  'disappointing lame pointless ridiculous weak badly unfunny'
).split(' ');

/** Ranks 1.. of the named toy words: neutral words first, sentiment words interleaved from rank 11. */
function namedVocabulary(): { words: string[]; positive: number[]; negative: number[]; neutral: number[] } {
  const words: string[] = [];
  const positive: number[] = [];
  const negative: number[] = [];
  const neutral: number[] = [];
  let n = 0;
  let s = 0;
  while (n < NEUTRAL.length || s < POSITIVE.length) {
    const block = words.length < 10 ? 10 : 2;
    for (let k = 0; k < block && n < NEUTRAL.length; k++) {
      words.push(NEUTRAL[n++]);
      neutral.push(words.length);
    }
    if (s < POSITIVE.length) {
      words.push(POSITIVE[s]);
      positive.push(words.length);
      words.push(NEGATIVE[s]);
      negative.push(words.length);
      s++;
    }
  }
  return { words, positive, negative, neutral };
}

const VOCAB = namedVocabulary();

/** The toy word -> rank map (raw ranks, like Keras's `imdb.get_word_index()`). */
export function toyWordIndex(vocabSize = 10000): Record<string, number> {
  checkArgCount('datasets.toyWordIndex', arguments.length, 'vocabSize');
  integerOption('vocabSize', vocabSize, 0);
  const index: Record<string, number> = {};
  VOCAB.words.forEach((w, i) => (index[w] = i + 1));
  const maxRank = Math.ceil(vocabSize * 1.5);
  for (let r = VOCAB.words.length + 1; r <= maxRank; r++) index[`word${r}`] = r;
  return index;
}

/** Options of `datasets.toySentiment` (all optional). */
export interface ToySentimentOptions {
  /** Reviews per split (train and test, like IMDB's 25,000 + 25,000). Default 2500. */
  numSamples?: number;
  /** Test reviews, if different from `numSamples`. */
  numTest?: number;
  /** Ids are below this (like `numWords`); default 10000. At least 40. */
  vocabSize?: number;
  /** Longest review, start mark included (reviews are shorter than this). Default 100. */
  maxlen?: number;
  /** Seed (default 113). */
  seed?: number;
}

/** `toySentiment`'s options; the numeric ones are checked by `integerOption` below. */
const TOY_OPTIONS: OptionRules = { numSamples: null, numTest: null, vocabSize: null, maxlen: null, seed: rule.int(-Infinity) };

/** Raw toy reviews (ranks) in the same layout as the IMDB files. */
export function toySentimentRaw(options: ToySentimentOptions = {}): RawImdb {
  const numSamples = integerOption('numSamples', options.numSamples ?? 2500, 1);
  const numTest = integerOption('numTest', options.numTest ?? numSamples, 0);
  const vocabSize = integerOption('vocabSize', options.vocabSize ?? 10000, 40);
  const maxlen = integerOption('maxlen', options.maxlen ?? 100, 6);
  const seed = options.seed ?? 113;
  const rng = new Prng(seed);
  const maxRank = vocabSize - 3 - 1; // highest rank whose id (rank + 3) is below vocabSize
  const usable = (ranks: number[]) => ranks.filter((r) => r <= maxRank);
  const pos = usable(VOCAB.positive);
  const neg = usable(VOCAB.negative);
  const neutral = usable(VOCAB.neutral);
  const fillerLo = VOCAB.words.length + 1;
  const fillerHi = Math.ceil(vocabSize * 1.5);
  const minLen = Math.max(4, Math.floor(maxlen / 5));

  const review = (label: number): number[] => {
    const words = rng.int(minLen, maxlen) - 1; // with the start mark: minLen .. maxlen - 1 ids
    const out: number[] = [];
    for (let k = 0; k < words; k++) {
      if (rng.chance(0.2)) {
        const agree = rng.chance(0.8);
        out.push(rng.pick((label === 1) === agree ? pos : neg));
      } else if (fillerHi > fillerLo && rng.chance(0.2)) {
        // Zipf-like filler: small ranks more often.
        const u = rng.next();
        out.push(Math.floor(fillerLo * Math.pow(fillerHi / fillerLo, u)));
      } else {
        // Common words, the first ones most often.
        const u = rng.next();
        out.push(neutral[Math.floor(neutral.length * u * u)]);
      }
    }
    return out;
  };
  const split = (n: number) => {
    const reviews: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < n; i++) {
      const label = rng.chance(0.5) ? 1 : 0;
      reviews.push(review(label));
      labels.push(label);
    }
    return rawSplitFrom(reviews, labels);
  };
  const train = split(numSamples);
  const test = split(numTest);
  return { train, test };
}

/**
 * A small IMDB-shaped sentiment data set, generated in the page: `[[xTrain, yTrain], [xTest,
 * yTest]]` with reviews as id lists (start 1, OOV 2, words from 3, every id below
 * `vocabSize`) and 0/1 labels. Used by the IMDB lessons when the real reviews are not on the
 * site; `padSequences(xTrain, { maxlen: 100 })` then feeds `Embedding(vocabSize, …)`.
 */
export function toySentiment(options: ToySentimentOptions = {}): ImdbData {
  checkArgCount('datasets.toySentiment', arguments.length, 'options');
  checkOptions('datasets.toySentiment', options, TOY_OPTIONS);
  const vocabSize = options.vocabSize ?? 10000;
  return applyKerasOptions(toySentimentRaw(options), { numWords: vocabSize, seed: null }).data;
}
