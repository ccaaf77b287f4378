/**
 * `imdb`: Keras's `keras.datasets.imdb` in the page. The data comes from the compact files
 * `npm run data` writes into `public/data/imdb/` (see imdb-format.ts), fetched from the site's
 * own origin with a progress bar, verified against the manifest's SHA-256 and kept in the
 * Cache API; decoded reviews stay in memory for the worker's lifetime.
 *
 * When the files are not there, `loadData` throws a `DataUnavailableError` naming the missing
 * file and the command, unless `fallback: 'toy'` is given: then it warns once and returns the
 * toy sentiment task in the same shape; `decode`, `encode` and `getWordIndex` then use the toy
 * vocabulary so the rest of the lesson works unchanged.
 */
import { dataConfig, onConfigChange, siteUrl } from './config';
import { DataUnavailableError } from './errors';
import { cacheKey, fetchDataFile, ProgressTracker, pruneCache } from './fetch-cached';
import {
  AVAILABILITY_FILE,
  decodeVarints,
  IMDB_DIR,
  lengthsToOffsets,
  MANIFEST_FILE,
  manifestProblem,
  splitProblem,
  wordIndexProblem,
  readUint32LE,
  SPLITS,
  splitFiles,
  WORD_INDEX_FILE,
  type ImdbAvailability,
  type ImdbManifest,
  type RawImdb,
  type RawSplit,
} from './imdb-format';
import { applyKerasOptions, type ImdbData, type LoadDataOptions } from './imdb-pipeline';
import { textToWordSequence } from './tokenizer';
import { toySentimentRaw, toyWordIndex } from './toy-sentiment';
import { checkArgCount, checkOptions, rule, type OptionRules } from './validate';

const count = rule.int(0);
const fallback = rule.nullable(rule.oneOf('toy'));
/** Keras's `path` arguments (where the download is cached) have no meaning here. */
const NO_PATH = { path: "the reviews come from the site's data/imdb/ files (configureData({ baseUrl }) sets the site), not from a local path" };

/** `loadData`'s options: Keras's `load_data` arguments in camelCase (but `path`), plus `limit` and `fallback`. */
const LOAD_DATA_OPTIONS: OptionRules = {
  numWords: rule.nullable(count),
  skipTop: count,
  maxlen: rule.nullable(count),
  startChar: rule.nullable(count),
  oovChar: rule.nullable(count),
  indexFrom: count,
  seed: rule.nullable(rule.int(0, 0xffffffff)),
  limit: rule.nullable(count),
  fallback,
};
const WORD_INDEX_OPTIONS: OptionRules = { fallback };
const DECODE_OPTIONS: OptionRules = { startChar: rule.nullable(count), oovChar: rule.nullable(count), indexFrom: count, showPadding: rule.boolean(), fallback };
const ENCODE_OPTIONS: OptionRules = { numWords: rule.nullable(count), skipTop: count, startChar: rule.nullable(count), oovChar: count, indexFrom: count, fallback };

let rawPromise: Promise<{ manifest: ImdbManifest; raw: RawImdb }> | null = null;
let wordIndexPromise: Promise<Record<string, number>> | null = null;
let manifestPromise: Promise<ImdbManifest> | null = null;
let availablePromise: Promise<boolean> | null = null;
/** What `decode`/`encode` use: the real IMDB vocabulary or the toy one after a fallback. */
let active: { source: 'imdb' | 'toy'; numWords: number | null; vocabSize: number } = { source: 'imdb', numWords: null, vocabSize: 10000 };

onConfigChange(() => {
  rawPromise = null;
  wordIndexPromise = null;
  manifestPromise = null;
  availablePromise = null;
  active = { source: 'imdb', numWords: null, vocabSize: 10000 };
});

function dataUrl(file: string): string {
  return siteUrl(IMDB_DIR + file);
}

/**
 * Reads the build's availability marker. False only when the marker says the site was built
 * without the data; a missing marker (an older build, a test server) or a failed request
 * means "try the manifest", so nothing changes for sites that predate the marker.
 */
async function siteMayHaveImdb(): Promise<boolean> {
  try {
    const res = await dataConfig().fetch(siteUrl(AVAILABILITY_FILE), { cache: 'no-store' });
    if (!res.ok) return true;
    const marker = (await res.json()) as Partial<ImdbAvailability>;
    return marker?.imdb !== false;
  } catch {
    return true;
  }
}

async function loadManifest(): Promise<ImdbManifest> {
  const url = dataUrl(MANIFEST_FILE);
  availablePromise ??= siteMayHaveImdb();
  if (!(await availablePromise)) {
    throw new DataUnavailableError('The IMDB data is not on this site', url, 'the site was built without it');
  }
  const bytes = await fetchDataFile(url, { networkFirst: true });
  let manifest: ImdbManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new DataUnavailableError('The IMDB data is not on this site', url, `the server did not return the JSON manifest: ${(e as Error).message}`);
  }
  const problem = manifestProblem(manifest);
  if (problem) throw new DataUnavailableError('The IMDB manifest is not in the expected format', url, problem);
  return manifest;
}

/** The manifest, fetched once per configuration (network first, then the cache). */
function getManifest(): Promise<ImdbManifest> {
  if (!manifestPromise) {
    manifestPromise = loadManifest();
    manifestPromise.catch(() => (manifestPromise = null));
  }
  return manifestPromise;
}

function entryFor(manifest: ImdbManifest, file: string) {
  const entry = manifest.files[file];
  if (!entry) throw new DataUnavailableError('The IMDB manifest does not list a file', dataUrl(file), 'manifest incomplete');
  return entry;
}

async function fetchRaw(): Promise<{ manifest: ImdbManifest; raw: RawImdb }> {
  const manifest = await getManifest();
  const names = SPLITS.flatMap((s) => Object.values(splitFiles(s)));
  const total = names.reduce((sum, f) => sum + entryFor(manifest, f).bytes, 0);
  const tracker = new ProgressTracker('IMDB reviews', total);
  const files = await Promise.all(names.map((f) => fetchDataFile(dataUrl(f), { entry: entryFor(manifest, f), tracker })));
  tracker.finish();
  const keep = new Set([dataUrl(MANIFEST_FILE), ...Object.entries(manifest.files).map(([f, e]) => cacheKey(dataUrl(f), e))]);
  void pruneCache(dataUrl(''), keep);
  const byName = new Map(names.map((n, i) => [n, files[i]]));
  // The files passed their hash checks; their content is checked too (a faulty conversion
  // writes wrong files with right hashes), before anything is allocated from their numbers.
  const damaged = (file: string, problem: string) =>
    new DataUnavailableError('An IMDB data file on the site is damaged inside (re-run the conversion)', dataUrl(file), problem);
  const split = (s: (typeof SPLITS)[number]): RawSplit => {
    const f = splitFiles(s);
    let lengths: Uint32Array;
    try {
      lengths = readUint32LE(byName.get(f.lengths)!);
    } catch (e) {
      throw damaged(f.lengths, (e as Error).message);
    }
    const labels = byName.get(f.labels)!;
    const idBytes = byName.get(f.ids)!;
    const problem = splitProblem(lengths, labels, idBytes.length, manifest.splits[s]);
    if (problem) throw damaged(problem.includes('label') ? f.labels : f.lengths, problem);
    const offsets = lengthsToOffsets(lengths);
    let ids: Int32Array;
    try {
      ids = decodeVarints(idBytes, offsets[lengths.length], manifest.maxRank);
    } catch (e) {
      throw damaged(f.ids, (e as Error).message);
    }
    return { ids, offsets, labels };
  };
  return { manifest, raw: { train: split('train'), test: split('test') } };
}

/** The raw IMDB reviews, fetched once per configuration. */
export function loadRawImdb(): Promise<{ manifest: ImdbManifest; raw: RawImdb }> {
  if (!rawPromise) {
    rawPromise = fetchRaw();
    rawPromise.catch(() => (rawPromise = null)); // let a later call retry
  }
  return rawPromise;
}

/**
 * What a reader sees when a cell falls back to the stand-in. Written for students on a hosted
 * site: no URL, no HTTP status, no command (how to put the data on a site is in
 * content/README.md, "Build and deploy"; the error without a fallback names the command).
 */
export const TOY_NOTICE =
  'The IMDB movie reviews are not available on this site, so this run uses a made-up ' +
  'stand-in with the same shape: reviews as lists of word ids, labels 0 and 1. It is a different, ' +
  'simpler task, so its accuracy says nothing about how the model would do on real reviews.';

function useToy(_reason: unknown, vocabSize: number, numWords: number | null): void {
  if (active.source !== 'toy') dataConfig().warn(TOY_NOTICE);
  active = { source: 'toy', numWords, vocabSize };
}

/**
 * Keras's `imdb.load_data`: `[[xTrain, yTrain], [xTest, yTest]]` with reviews as lists of ids
 * and 0/1 labels. Options and defaults as Keras (`startChar` 1, `oovChar` 2, `indexFrom` 3,
 * `seed` 113), plus `limit` (first N reviews of each split) and `fallback: 'toy'`.
 */
export async function loadData(options: LoadDataOptions = {}): Promise<ImdbData> {
  // Checked before anything is fetched, so a typo is reported as such, not as missing data.
  checkArgCount('imdb.loadData', arguments.length, 'options');
  checkOptions('imdb.loadData', options, LOAD_DATA_OPTIONS, { unsupported: NO_PATH, positional: 'numWords' });
  let raw: RawImdb;
  try {
    raw = (await loadRawImdb()).raw;
  } catch (err) {
    if (options.fallback !== 'toy') throw err;
    const vocabSize = options.numWords ?? 10000;
    useToy(err, vocabSize, options.numWords ?? null);
    const toyRaw = toySentimentRaw({
      numSamples: Math.max(1, options.limit ?? 2500), // limit 0 still gives Keras's empty splits below
      vocabSize: Math.max(40, vocabSize),
      maxlen: options.maxlen ? Math.max(6, options.maxlen) : 100,
      seed: options.seed ?? 113,
    });
    return applyKerasOptions(toyRaw, { ...options, numWords: options.numWords ?? vocabSize, seed: null }).data;
  }
  const { data, numWords } = applyKerasOptions(raw, options);
  active = { source: 'imdb', numWords: options.numWords ?? numWords, vocabSize: numWords };
  return data;
}

async function fetchWordIndex(): Promise<Record<string, number>> {
  const manifest = await getManifest();
  const entry = manifest.files[WORD_INDEX_FILE];
  if (!entry) {
    throw new DataUnavailableError('The IMDB word index is not on this site', dataUrl(WORD_INDEX_FILE), 'converted without imdb_word_index.json');
  }
  const tracker = new ProgressTracker('IMDB word index', entry.bytes);
  const bytes = await fetchDataFile(dataUrl(WORD_INDEX_FILE), { entry, tracker });
  tracker.finish();
  let index: unknown;
  try {
    index = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new DataUnavailableError('The IMDB word index is not valid JSON', dataUrl(WORD_INDEX_FILE), (e as Error).message);
  }
  const problem = wordIndexProblem(index);
  if (problem) throw new DataUnavailableError('The IMDB word index is damaged inside', dataUrl(WORD_INDEX_FILE), problem);
  return index as Record<string, number>;
}

/** Options of `imdb.getWordIndex` (and the base of `decode`'s and `encode`'s). */
export interface WordIndexOptions {
  /** 'toy': give the toy vocabulary when IMDB's word index is unavailable. */
  fallback?: 'toy' | null;
}

/**
 * Keras's `imdb.get_word_index()`: word -> rank (1 = most frequent). Add `indexFrom` (3) to a
 * rank to get the id used in `loadData`'s reviews. After a toy fallback: the toy vocabulary.
 */
export async function getWordIndex(options: WordIndexOptions = {}): Promise<Record<string, number>> {
  checkArgCount('imdb.getWordIndex', arguments.length, 'options');
  checkOptions('imdb.getWordIndex', options, WORD_INDEX_OPTIONS, { unsupported: NO_PATH });
  return wordIndex(options);
}

async function wordIndex(options: WordIndexOptions): Promise<Record<string, number>> {
  if (active.source === 'toy') return toyWordIndex(active.vocabSize);
  if (!wordIndexPromise) {
    wordIndexPromise = fetchWordIndex();
    wordIndexPromise.catch(() => (wordIndexPromise = null));
  }
  try {
    return await wordIndexPromise;
  } catch (err) {
    if (options.fallback !== 'toy') throw err;
    useToy(err, active.vocabSize, active.numWords);
    return toyWordIndex(active.vocabSize);
  }
}

const reverseCache = new WeakMap<Record<string, number>, Map<number, string>>();
function reverseIndex(index: Record<string, number>): Map<number, string> {
  let rev = reverseCache.get(index);
  if (!rev) {
    rev = new Map();
    for (const [w, r] of Object.entries(index)) if (!rev.has(r)) rev.set(r, w);
    reverseCache.set(index, rev);
  }
  return rev;
}

/**
 * Options of `imdb.decode`; `startChar`, `oovChar` and `indexFrom` as given to `loadData` (Keras
 * defaults 1, 2 and 3).
 */
export interface DecodeOptions extends WordIndexOptions {
  startChar?: number | null;
  oovChar?: number | null;
  indexFrom?: number;
  /** Show padding ids (0) as `[PAD]` instead of leaving them out (default false). */
  showPadding?: boolean;
}

type IdsLike = ArrayLike<number> | { dataSync(): ArrayLike<number> };

/** Review ids back to words: `[START]` for the start mark, `[OOV]` for out-of-vocabulary, `?` for unknown ids. */
export async function decode(ids: IdsLike, options: DecodeOptions = {}): Promise<string> {
  checkArgCount('imdb.decode', arguments.length, 'ids, options');
  checkOptions('imdb.decode', options, DECODE_OPTIONS);
  const { startChar = 1, oovChar = 2, indexFrom = 3, showPadding = false } = options;
  const values = 'dataSync' in ids && typeof ids.dataSync === 'function' ? ids.dataSync() : (ids as ArrayLike<number>);
  const rev = reverseIndex(await wordIndex(options));
  const words: string[] = [];
  for (const id of Array.from(values)) {
    if (id === 0 && startChar !== 0 && oovChar !== 0) {
      if (showPadding) words.push('[PAD]');
    } else if (startChar !== null && id === startChar) words.push('[START]');
    else if (oovChar !== null && id === oovChar) words.push('[OOV]');
    else words.push(rev.get(id - indexFrom) ?? '?');
  }
  return words.join(' ');
}

/** Options of `imdb.encode`, with the meaning they have in `loadData`. */
export interface EncodeOptions extends WordIndexOptions {
  /** Ids at or above this become `oovChar` (default: the `numWords` of the last `loadData`). */
  numWords?: number | null;
  skipTop?: number;
  startChar?: number | null;
  oovChar?: number;
  indexFrom?: number;
}

/**
 * A reader's sentence to ids the way `loadData` encodes reviews: Keras text filtering and
 * lower-casing, words looked up in the word index and shifted by `indexFrom`, unknown or
 * too-rare words as `oovChar`, the start mark first. Pad it with `padSequences` to score it.
 */
export async function encode(text: string, options: EncodeOptions = {}): Promise<number[]> {
  checkArgCount('imdb.encode', arguments.length, 'text, options');
  checkOptions('imdb.encode', options, ENCODE_OPTIONS);
  const { startChar = 1, oovChar = 2, indexFrom = 3, skipTop = 0 } = options;
  const numWords = options.numWords === undefined ? active.numWords : options.numWords;
  const index = await wordIndex(options);
  const out: number[] = startChar !== null ? [startChar] : [];
  for (const w of textToWordSequence(text)) {
    const rank = Object.prototype.hasOwnProperty.call(index, w) ? index[w] : undefined;
    if (rank === undefined) {
      out.push(oovChar);
      continue;
    }
    const id = rank + indexFrom;
    out.push((numWords && id >= numWords) || id < skipTop ? oovChar : id);
  }
  return out;
}

/** Where `decode`/`encode` currently look words up ('imdb' or 'toy'). */
export function activeVocabulary(): 'imdb' | 'toy' {
  return active.source;
}

/**
 * Which data the last `loadData` returned: 'imdb' (the real reviews) or 'toy' (the stand-in
 * after `fallback: 'toy'`). Lessons print it next to their results so the text can say what
 * the reader will see on either.
 */
export function source(): 'imdb' | 'toy' {
  checkArgCount('imdb.source', arguments.length, '');
  return active.source;
}

/**
 * The namespace a cell uses, as `keras.datasets.imdb`: `imdb.loadData`, `getWordIndex`, `decode`,
 * `encode` and `source`.
 */
export const imdb = { loadData, getWordIndex, decode, encode, source };
