// No option of a public data helper is silently ignored (src/rnn/data/validate.ts): a known
// camelCase key works, a Keras snake_case key is a TypeError with the layers' camelCase hint
// (`unrecognizedArgument` in src/rnn/errors.ts), any other unknown key a TypeError listing the
// known ones, a bad value a ValueError naming what is accepted, a bare value where the options
// object goes (Python's positional style) a TypeError showing the named spelling, and extra
// positional arguments a TypeError. The IMDB checks happen before anything is fetched.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import * as data from '../../src/rnn/data/index';
import { ValueError } from '../../src/rnn/errors';

const { padSequences, Tokenizer, imdb, datasets, parseTextDataset, configureData } = data;

/** What a call threw (sync or async), as `{ name, message }`. */
async function failure(call: () => unknown): Promise<{ name: string; message: string; error: unknown }> {
  try {
    await call();
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message, error };
  }
  throw new Error('expected the call to throw');
}

const requests: string[] = [];
beforeEach(() => {
  requests.length = 0;
  configureData({
    baseUrl: 'http://data.invalid/',
    useCache: false,
    warn: () => {},
    fetch: (async (url: string) => {
      requests.push(String(url));
      throw new Error('offline');
    }) as unknown as typeof fetch,
  });
});
afterAll(() => configureData({ baseUrl: '/', fetch: (...args) => globalThis.fetch(...args), useCache: true }));

const seqs = [[1, 2, 3, 4, 5, 6, 7], [1, 2]];
const PAD_KNOWN = 'Known arguments: maxlen, padding, truncating, value, dtype.';
const LOAD_KNOWN = 'Known arguments: numWords, skipTop, maxlen, startChar, oovChar, indexFrom, seed, limit, fallback.';
const TOKENIZER_KNOWN = 'Known arguments: numWords, filters, lower, split, charLevel, oovToken, analyzer, documentCount.';

describe('the audit cases', () => {
  it('padSequences refuses maxLen and max_len (they used to pad to the longest, [2, 7])', async () => {
    expect(await failure(() => padSequences(seqs, { maxLen: 4 } as never))).toMatchObject({
      name: 'TypeError',
      message: `padSequences: unrecognized keyword argument 'maxLen' (did you mean 'maxlen'?). ${PAD_KNOWN}`,
    });
    expect(await failure(() => padSequences(seqs, { max_len: 4 } as never))).toMatchObject({
      name: 'TypeError',
      message: `padSequences: unrecognized keyword argument 'max_len' (did you mean 'maxlen'?). ${PAD_KNOWN}`,
    });
    const t = padSequences(seqs, { maxlen: 4 });
    expect(t.shape).toEqual([2, 4]);
    t.dispose();
  });

  it('imdb.loadData refuses num_words and maxLen before fetching anything', async () => {
    expect(await failure(() => imdb.loadData({ num_words: 100, fallback: 'toy' } as never))).toMatchObject({
      name: 'TypeError',
      message: `imdb.loadData: unrecognized keyword argument 'num_words' (use tfjs camelCase spelling, e.g. 'numWords'). ${LOAD_KNOWN}`,
    });
    expect(await failure(() => imdb.loadData({ maxLen: 5, fallback: 'toy' } as never))).toMatchObject({
      name: 'TypeError',
      message: `imdb.loadData: unrecognized keyword argument 'maxLen' (did you mean 'maxlen'?). ${LOAD_KNOWN}`,
    });
    expect(requests).toEqual([]);
  });

  it("new Tokenizer({ num_words: 2 }) is refused (it used to keep every word)", async () => {
    expect(await failure(() => new Tokenizer({ num_words: 2 } as never))).toMatchObject({
      name: 'TypeError',
      message: `Tokenizer: unrecognized keyword argument 'num_words' (use tfjs camelCase spelling, e.g. 'numWords'). ${TOKENIZER_KNOWN}`,
    });
    const tok = new Tokenizer({ numWords: 2 }).fitOnTexts(['a a b', 'b c']);
    expect(tok.textsToSequences(['a b c'])).toEqual([[1]]);
  });

  it("loadData({ fallback: 'yes' }) names the accepted values instead of reporting missing data", async () => {
    const f = await failure(() => imdb.loadData({ fallback: 'yes' } as never));
    expect(f).toMatchObject({ name: 'ValueError', message: "imdb.loadData: fallback must be 'toy' or null, got 'yes'" });
    expect(f.error).toBeInstanceOf(ValueError);
    expect(requests).toEqual([]);
  });
});

describe('every public data helper checks its options', () => {
  // [call, exact message]; every row is a TypeError for an unknown key.
  const unknownKeys: Array<[string, () => unknown, string]> = [
    ['padSequences', () => padSequences(seqs, { truncate: 'post' } as never), `padSequences: unrecognized keyword argument 'truncate'. ${PAD_KNOWN}`],
    ['Tokenizer', () => new Tokenizer({ oov_token: '<OOV>' } as never), `Tokenizer: unrecognized keyword argument 'oov_token' (use tfjs camelCase spelling, e.g. 'oovToken'). ${TOKENIZER_KNOWN}`],
    ['Tokenizer charLevel', () => new Tokenizer({ char_level: true } as never), `Tokenizer: unrecognized keyword argument 'char_level' (use tfjs camelCase spelling, e.g. 'charLevel'). ${TOKENIZER_KNOWN}`],
    ['imdb.loadData', () => imdb.loadData({ skip_top: 20 } as never), `imdb.loadData: unrecognized keyword argument 'skip_top' (use tfjs camelCase spelling, e.g. 'skipTop'). ${LOAD_KNOWN}`],
    ['imdb.loadData nb_words', () => imdb.loadData({ nb_words: 20 } as never), `imdb.loadData: unrecognized keyword argument 'nb_words'. ${LOAD_KNOWN}`],
    ['imdb.getWordIndex', () => imdb.getWordIndex({ fallbak: 'toy' } as never), "imdb.getWordIndex: unrecognized keyword argument 'fallbak'. Known arguments: fallback."],
    ['imdb.decode', () => imdb.decode([1, 4], { show_padding: true } as never), "imdb.decode: unrecognized keyword argument 'show_padding' (use tfjs camelCase spelling, e.g. 'showPadding'). Known arguments: startChar, oovChar, indexFrom, showPadding, fallback."],
    ['imdb.encode', () => imdb.encode('great', { num_words: 100 } as never), "imdb.encode: unrecognized keyword argument 'num_words' (use tfjs camelCase spelling, e.g. 'numWords'). Known arguments: numWords, skipTop, startChar, oovChar, indexFrom, fallback."],
    ['datasets.toySentiment', () => datasets.toySentiment({ num_samples: 10 } as never), "datasets.toySentiment: unrecognized keyword argument 'num_samples' (use tfjs camelCase spelling, e.g. 'numSamples'). Known arguments: numSamples, numTest, vocabSize, maxlen, seed."],
    ['datasets.longRangeMemory', () => datasets.longRangeMemory({ gaps: 5 } as never), 'datasets.longRangeMemory: unrecognized keyword argument \'gaps\'. Known arguments: numSamples, numTest, gap, minGap, keyRate, numClasses, vocabSize, seed.'],
    ['datasets.addingProblem', () => datasets.addingProblem({ Length: 5 } as never), "datasets.addingProblem: unrecognized keyword argument 'Length' (did you mean 'length'?). Known arguments: numSamples, numTest, length, seed."],
    ['parseTextDataset', () => parseTextDataset('great,1\nbad,0', { filename: 'a.csv' } as never), "parseTextDataset: unrecognized keyword argument 'filename'. Known arguments: name."],
    ['configureData', () => configureData({ base_url: '/x/' } as never), "configureData: unrecognized keyword argument 'base_url' (use tfjs camelCase spelling, e.g. 'baseUrl'). Known arguments: baseUrl, onProgress, warn, fetch, useCache, stallTimeoutMs."],
  ];
  it.each(unknownKeys)('%s refuses an unknown key by name', async (_name, call, message) => {
    expect(await failure(call)).toMatchObject({ name: 'TypeError', message });
    expect(requests).toEqual([]);
  });

  // Wrong values: a ValueError naming the option and what it accepts.
  const badValues: Array<[string, () => unknown, string]> = [
    ['padSequences value', () => padSequences(seqs, { value: true } as never), 'padSequences: value must be a number or a string, got true'],
    ['padSequences maxlen', () => padSequences(seqs, { maxlen: '4' } as never), "padSequences: maxlen must be a non-negative integer or null, got '4'"],
    ['Tokenizer numWords', () => new Tokenizer({ numWords: '2' } as never), "Tokenizer: numWords must be an integer in [0, ∞) or null, got '2'"],
    ['Tokenizer lower', () => new Tokenizer({ lower: 'no' } as never), "Tokenizer: lower must be true or false, got 'no'"],
    ['Tokenizer split', () => new Tokenizer({ split: '' }), "Tokenizer: split must be a non-empty string, got ''"],
    ['Tokenizer analyzer', () => new Tokenizer({ analyzer: 'words' } as never), "Tokenizer: analyzer must be a function or null, got 'words'"],
    ['imdb.loadData numWords', () => imdb.loadData({ numWords: 1e4 + 0.5 }), 'imdb.loadData: numWords must be an integer in [0, ∞) or null, got 10000.5'],
    ['imdb.loadData seed', () => imdb.loadData({ seed: -1 }), 'imdb.loadData: seed must be an integer in [0, 4294967295] or null, got -1'],
    ['imdb.loadData limit', () => imdb.loadData({ limit: '10' } as never), "imdb.loadData: limit must be an integer in [0, ∞) or null, got '10'"],
    ['imdb.getWordIndex fallback', () => imdb.getWordIndex({ fallback: true } as never), "imdb.getWordIndex: fallback must be 'toy' or null, got true"],
    ['imdb.decode showPadding', () => imdb.decode([1], { showPadding: 'yes' } as never), "imdb.decode: showPadding must be true or false, got 'yes'"],
    ['datasets.addingProblem seed', () => datasets.addingProblem({ seed: 'one' } as never), "datasets.addingProblem: seed must be an integer, got 'one'"],
    ['parseTextDataset name', () => parseTextDataset('great,1', { name: 3 } as never), 'parseTextDataset: name must be a string, got 3'],
    ['configureData useCache', () => configureData({ useCache: 'no' } as never), "configureData: useCache must be true or false, got 'no'"],
  ];
  it.each(badValues)('%s: a ValueError naming what is accepted', async (_name, call, message) => {
    const f = await failure(call);
    expect(f).toMatchObject({ name: 'ValueError', message });
    expect(f.error).toBeInstanceOf(ValueError);
    expect(requests).toEqual([]);
  });

  it("keeps Keras's own messages for padding and truncating", async () => {
    expect((await failure(() => padSequences(seqs, { padding: 'middle' as 'pre' }))).message).toBe(`Padding type "middle" not understood (use 'pre' or 'post')`);
  });

  it("refuses Keras's path, which has no meaning in the page", async () => {
    const reason = "is not supported: the reviews come from the site's data/imdb/ files (configureData({ baseUrl }) sets the site), not from a local path.";
    expect(await failure(() => imdb.loadData({ path: 'imdb.npz' } as never))).toMatchObject({
      name: 'ValueError',
      message: `imdb.loadData: argument 'path' = "imdb.npz" ${reason}`,
    });
    expect((await failure(() => imdb.getWordIndex({ path: 'imdb_word_index.json' } as never))).message).toBe(
      `imdb.getWordIndex: argument 'path' = "imdb_word_index.json" ${reason}`,
    );
    expect(requests).toEqual([]);
  });

  it('refuses a bare value where the options object goes, showing the named spelling', async () => {
    expect(await failure(() => padSequences(seqs, 4 as never))).toMatchObject({
      name: 'TypeError',
      message: 'padSequences: expected an object of named options (maxlen, padding, truncating, value, dtype), got 4; to pass maxlen, write { maxlen: 4 }.',
    });
    expect((await failure(() => new Tokenizer(100 as never))).message).toBe(
      'Tokenizer: expected an object of named options (numWords, filters, lower, split, charLevel, oovToken, analyzer, documentCount), got 100; to pass numWords, write { numWords: 100 }.',
    );
    expect((await failure(() => imdb.loadData(10000 as never))).message).toBe(
      'imdb.loadData: expected an object of named options (numWords, skipTop, maxlen, startChar, oovChar, indexFrom, seed, limit, fallback), got 10000; to pass numWords, write { numWords: 10000 }.',
    );
    expect((await failure(() => parseTextDataset('great,1', 'reviews.csv' as never))).message).toBe(
      "parseTextDataset: expected an object of named options (name), got 'reviews.csv'; to pass name, write { name: 'reviews.csv' }.",
    );
    expect((await failure(() => datasets.toySentiment([] as never))).message).toBe(
      'datasets.toySentiment: expected an object of named options (numSamples, numTest, vocabSize, maxlen, seed), got an array.',
    );
  });

  it('refuses extra positional arguments', async () => {
    const pad = padSequences as (...args: unknown[]) => tf.Tensor;
    expect(await failure(() => pad(seqs, { maxlen: 4 }, 'post'))).toMatchObject({
      name: 'TypeError',
      message: 'padSequences takes at most 2 arguments (sequences, options), got 3; put the options in one object.',
    });
    const tok = new Tokenizer() as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect((await failure(() => tok.fitOnTexts(['a b'], { numWords: 2 }))).message).toBe(
      'Tokenizer.fitOnTexts takes at most 1 argument (texts), got 2.',
    );
    expect((await failure(() => tok.textsToSequences(['a b'], { maxlen: 2 }))).message).toBe(
      'Tokenizer.textsToSequences takes at most 1 argument (texts), got 2.',
    );
    const load = imdb.loadData as (...args: unknown[]) => Promise<unknown>;
    expect((await failure(() => load({ numWords: 100 }, { maxlen: 5 }))).message).toBe(
      'imdb.loadData takes at most 1 argument (options), got 2; put the options in one object.',
    );
    expect((await failure(() => (imdb.source as (...args: unknown[]) => unknown)('toy'))).message).toBe(
      'imdb.source takes no arguments, got 1.',
    );
    expect(requests).toEqual([]);
  });

  it('still takes every option the lessons pass, and treats undefined as absent', async () => {
    const [[x]] = await imdb.loadData({ numWords: 100, limit: 5, fallback: 'toy', maxlen: undefined });
    expect(x).toHaveLength(5);
    expect(Math.max(...x.flat())).toBeLessThan(100);
    const padded = padSequences(x, { maxlen: 10, padding: 'post', truncating: 'post', value: 0, dtype: 'int32' });
    expect(padded.shape).toEqual([5, 10]);
    padded.dispose();
    expect(await imdb.encode('great movie', { numWords: 100 })).toHaveLength(3);
    expect(datasets.longRangeMemory({ numSamples: 4, numTest: 2, gap: 3, seed: 1 })[0][0]).toHaveLength(4);
    expect(datasets.addingProblem({ numSamples: 2, numTest: 1, length: 4, seed: 3 })[1][0]).toHaveLength(1);
    expect(parseTextDataset('text,label\ngreat,1\nbad,0', { name: 'own.csv' }).labels).toEqual([1, 0]);
    expect(new Tokenizer({ numWords: 10, oovToken: '<OOV>' }).oovToken).toBe('<OOV>');
    // numWords 0 is Keras's "no limit"; the toy vocabulary behind decode takes it too.
    await imdb.loadData({ numWords: 0, limit: 2, fallback: 'toy' });
    expect(await imdb.decode([1, 4])).toBe('[START] the');
  });
});

describe("Tokenizer's Keras options analyzer and documentCount", () => {
  it('analyzer replaces the word splitting of string texts (no lower-casing, as in Keras)', () => {
    const tok = new Tokenizer({ analyzer: (t) => t.split('-') }).fitOnTexts(['Good-movie', 'good-Good']);
    expect(tok.wordIndex).toEqual({ 'Good': 1, movie: 2, good: 3 });
    expect(tok.textsToSequences(['movie-Good-bad'])).toEqual([[2, 1]]);
    // Token lists and charLevel do not use it (Keras's fit_on_texts branches the same way).
    expect(new Tokenizer({ analyzer: () => ['x'] }).fitOnTexts([['A', 'b']]).wordIndex).toEqual({ a: 1, b: 2 });
    expect(new Tokenizer({ analyzer: () => ['x'], charLevel: true }).fitOnTexts(['ab']).wordIndex).toEqual({ a: 1, b: 2 });
  });

  it('documentCount sets the starting count (Keras document_count)', () => {
    const tok = new Tokenizer({ documentCount: 5 }).fitOnTexts(['a', 'b']);
    expect(tok.documentCount).toBe(7);
  });
});
