/**
 * `Tokenizer`: Keras's text `Tokenizer` (keras.preprocessing.text) for a reader's own reviews.
 *
 * Same rules as Keras:
 * - `textToWordSequence` lower-cases (when `lower`), turns every character of `filters` into
 *   the `split` string, splits on `split` and drops empty pieces;
 * - `fitOnTexts` counts words, then ranks them by count, most frequent first; ties keep the
 *   order in which words were first seen (Python's stable sort). Index 0 is never assigned;
 *   an `oovToken` takes index 1;
 * - `textsToSequences` keeps a word only if its index is below `numWords` (when set); other
 *   words become the OOV index when there is an `oovToken`, and are dropped otherwise;
 * - `analyzer`, when given, replaces `textToWordSequence` for string texts (not with
 *   `charLevel`, not for texts given as token arrays), and `documentCount` sets the starting
 *   count (Keras's `document_count` keyword).
 * Every option is checked (validate.ts): a Keras snake_case key (`num_words`) or a typo is a
 * TypeError naming the known keys, a value of the wrong type a ValueError.
 */
import { checkArgCount, checkOptions, rule, type OptionRules } from './validate';

/** Keras's default filter: all punctuation except `'`, plus tabs and line breaks. */
export const KERAS_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

/** Options of `new Tokenizer(...)`, named as in Keras (camelCase). */
export interface TokenizerOptions {
  /** Keep only words whose index is below this (the `numWords - 1` most frequent). */
  numWords?: number | null;
  /** Characters replaced by `split` before splitting. */
  filters?: string;
  /** Lower-case the text first (default true). */
  lower?: boolean;
  /** The separator (default a single space). */
  split?: string;
  /** Treat every character as a token. */
  charLevel?: boolean;
  /** A token standing for unknown words; it gets index 1. */
  oovToken?: string | null;
  /** Splits a text into words instead of `textToWordSequence` (Keras `analyzer`). */
  analyzer?: ((text: string) => string[]) | null;
  /** Starting value of `documentCount` (Keras's `document_count` keyword, default 0). */
  documentCount?: number;
}

const TOKENIZER_OPTIONS: OptionRules = {
  numWords: rule.nullable(rule.int(0)),
  filters: rule.string(),
  lower: rule.boolean(),
  split: rule.string(true),
  charLevel: rule.boolean(),
  oovToken: rule.nullable(rule.string()),
  analyzer: rule.nullable(rule.function()),
  documentCount: rule.int(0),
};

/** Keras's `text_to_word_sequence`. */
export function textToWordSequence(
  text: string,
  { filters = KERAS_FILTERS, lower = true, split = ' ' }: { filters?: string; lower?: boolean; split?: string } = {},
): string[] {
  let s = lower ? text.toLowerCase() : text;
  if (filters.length > 0) {
    const set = new Set(Array.from(filters));
    let out = '';
    for (const ch of s) out += set.has(ch) ? split : ch;
    s = out;
  }
  return s.split(split).filter((w) => w.length > 0);
}

/** Keras's text `Tokenizer` (see the module comment for its rules). */
export class Tokenizer {
  numWords: number | null;
  filters: string;
  lower: boolean;
  split: string;
  charLevel: boolean;
  oovToken: string | null;
  /** Splits a string text into words instead of `textToWordSequence` (null: the default). */
  analyzer: ((text: string) => string[]) | null;
  /** How many texts `fitOnTexts` has seen. */
  documentCount: number;
  /** word -> number of occurrences, in first-seen order. */
  wordCounts = new Map<string, number>();
  /** word -> number of texts containing it. */
  wordDocs = new Map<string, number>();
  /** word -> index (1 = most frequent, or the OOV token). A plain object, as Keras's dict. */
  wordIndex: Record<string, number> = {};
  /** index -> word. */
  indexWord: Record<number, string> = {};

  constructor(options: TokenizerOptions = {}) {
    checkArgCount('Tokenizer', arguments.length, 'options');
    checkOptions('Tokenizer', options, TOKENIZER_OPTIONS, { positional: 'numWords' });
    this.numWords = options.numWords ?? null;
    this.filters = options.filters ?? KERAS_FILTERS;
    this.lower = options.lower ?? true;
    this.split = options.split ?? ' ';
    this.charLevel = options.charLevel ?? false;
    this.oovToken = options.oovToken ?? null;
    this.analyzer = options.analyzer ?? null;
    this.documentCount = options.documentCount ?? 0;
  }

  private tokens(text: string | readonly string[]): string[] {
    if (this.charLevel || Array.isArray(text)) {
      if (Array.isArray(text)) return this.lower ? text.map((t) => t.toLowerCase()) : [...text];
      const s = this.lower ? (text as string).toLowerCase() : (text as string);
      return Array.from(s);
    }
    if (typeof text !== 'string') {
      throw new TypeError(`Tokenizer expects strings, got ${typeof text}`);
    }
    if (this.analyzer) {
      const words = this.analyzer(text);
      if (!Array.isArray(words)) throw new TypeError(`Tokenizer: analyzer must return an array of words, got ${typeof words}`);
      return words;
    }
    return textToWordSequence(text, { filters: this.filters, lower: this.lower, split: this.split });
  }

  /** Builds the vocabulary from texts (Keras `fit_on_texts`); may be called again to add texts. */
  fitOnTexts(texts: ReadonlyArray<string | readonly string[]>): this {
    checkArgCount('Tokenizer.fitOnTexts', arguments.length, 'texts');
    for (const text of texts) {
      this.documentCount += 1;
      const seq = this.tokens(text);
      for (const w of seq) this.wordCounts.set(w, (this.wordCounts.get(w) ?? 0) + 1);
      for (const w of new Set(seq)) this.wordDocs.set(w, (this.wordDocs.get(w) ?? 0) + 1);
    }
    // Array.prototype.sort is stable, like Python's sort(reverse=True).
    const sorted = [...this.wordCounts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
    const vocab = this.oovToken === null ? sorted : [this.oovToken, ...sorted];
    const index = new Map<string, number>();
    vocab.forEach((w, i) => index.set(w, i + 1)); // a repeated OOV token keeps its later index, as dict(zip(...))
    this.wordIndex = Object.fromEntries(index);
    this.indexWord = {};
    for (const [w, i] of index) this.indexWord[i] = w;
    return this;
  }

  /** Texts to lists of word indices (Keras `texts_to_sequences`). */
  textsToSequences(texts: ReadonlyArray<string | readonly string[]>): number[][] {
    checkArgCount('Tokenizer.textsToSequences', arguments.length, 'texts');
    const oovIndex = this.oovToken === null ? undefined : this.wordIndex[this.oovToken];
    const numWords = this.numWords;
    const has = (w: string) => Object.prototype.hasOwnProperty.call(this.wordIndex, w);
    return texts.map((text) => {
      const out: number[] = [];
      for (const w of this.tokens(text)) {
        if (has(w)) {
          const i = this.wordIndex[w];
          if (numWords && i >= numWords) {
            if (oovIndex !== undefined) out.push(oovIndex);
          } else {
            out.push(i);
          }
        } else if (this.oovToken !== null && oovIndex !== undefined) {
          out.push(oovIndex);
        }
      }
      return out;
    });
  }

  /** Lists of indices back to space-joined text (Keras `sequences_to_texts`). */
  sequencesToTexts(sequences: ReadonlyArray<ArrayLike<number>>): string[] {
    checkArgCount('Tokenizer.sequencesToTexts', arguments.length, 'sequences');
    const oovIndex = this.oovToken === null ? undefined : this.wordIndex[this.oovToken];
    const numWords = this.numWords;
    return sequences.map((seq) => {
      const words: string[] = [];
      for (const num of Array.from(seq)) {
        const word = this.indexWord[num];
        if (word !== undefined) {
          if (numWords && num >= numWords) {
            if (oovIndex !== undefined) words.push(this.indexWord[oovIndex]);
          } else {
            words.push(word);
          }
        } else if (oovIndex !== undefined) {
          words.push(this.indexWord[oovIndex]);
        }
      }
      return words.join(' ');
    });
  }
}
