/**
 * The compact IMDB format the site serves from `public/data/imdb/` (written by `npm run data`,
 * read by `imdb.loadData`). Shared by the converter (Node) and the in-page loader (worker).
 *
 * Files (all little-endian):
 * - `manifest.json`: the `ImdbManifest` below (sizes and SHA-256 of every other file);
 * - `train-ids.bin`, `test-ids.bin`: every review's raw word ranks, concatenated, each rank
 *   as an unsigned LEB128 varint (1 byte below 128, 2 below 16384, 3 above: ~1.6 bytes a word);
 *   rank 0 marks a word whose rank is unknown (the tfjs copy replaced one word by OOV);
 * - `train-lengths.bin`, `test-lengths.bin`: uint32 review lengths, in words;
 * - `train-labels.bin`, `test-labels.bin`: uint8 labels (0 negative, 1 positive);
 * - `word-index.json`: Keras's word -> rank map (optional).
 *
 * Reviews are stored in the original order of Keras's `imdb.npz` (before its seeded shuffle)
 * and as raw ranks (1 = most frequent word), so `loadData` can apply Keras's options exactly.
 */

export const IMDB_FORMAT = 'rnn-notebook-imdb';
/** Version of the format: the converter writes it into the manifest and the loader refuses any other. */
export const IMDB_FORMAT_VERSION = 1;
/** Where the files live, relative to the site base. */
export const IMDB_DIR = 'data/imdb/';
/** File name of the manifest inside `IMDB_DIR`. */
export const MANIFEST_FILE = 'manifest.json';
/** File name of the word index (word -> rank, Keras's `get_word_index()`) inside `IMDB_DIR`. */
export const WORD_INDEX_FILE = 'word-index.json';
/** The two splits, in Keras's order. */
export const SPLITS = ['train', 'test'] as const;
/** 'train' or 'test'. */
export type SplitName = (typeof SPLITS)[number];
/** The command that writes the files, named in error messages when they are missing. */
export const DATA_COMMAND = 'npm run data';
/**
 * Marker the site build writes (`src/pages/data/imdb-available.json.ts`): whether the IMDB
 * files were part of the build. Read by the loader before the manifest.
 */
export const AVAILABILITY_FILE = 'data/imdb-available.json';

/** The content of `AVAILABILITY_FILE`. */
export interface ImdbAvailability {
  /** True when `public/data/imdb/manifest.json` existed at build time. */
  imdb: boolean;
}

/** File names of one split's ids, lengths and labels. */
export function splitFiles(split: SplitName) {
  return { ids: `${split}-ids.bin`, lengths: `${split}-lengths.bin`, labels: `${split}-labels.bin` };
}

/** Size in bytes and SHA-256 (lowercase hex) of one file, as listed in the manifest. */
export interface FileEntry {
  bytes: number;
  sha256: string;
}

/** The content of `manifest.json`. */
export interface ImdbManifest {
  format: typeof IMDB_FORMAT;
  version: number;
  /** Where the data came from, e.g. "imdb.npz (Keras)" or "imdb_tfjs_data.zip (TensorFlow.js examples)". */
  source: string;
  sourceSha256?: string;
  createdAt: string;
  /** Largest raw rank in the ids. */
  maxRank: number;
  splits: Record<SplitName, { reviews: number; words: number }>;
  /** Every file but the manifest, by name. */
  files: Record<string, FileEntry>;
}

/** One split in memory: ranks of all reviews back to back, review i = ids[offsets[i]..offsets[i+1]). */
export interface RawSplit {
  ids: Int32Array;
  offsets: Uint32Array;
  labels: Uint8Array;
}

/**
 * Both splits as raw reviews (word ranks, review offsets, labels), the input of the `loadData`
 * transformation.
 */
export interface RawImdb {
  train: RawSplit;
  test: RawSplit;
}

/** Encodes non-negative integers as unsigned LEB128 varints. */
export function encodeVarints(values: ArrayLike<number>): Uint8Array {
  let size = 0;
  for (let i = 0; i < values.length; i++) {
    let v = values[i];
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`cannot store id ${v}`);
    do {
      size++;
      v = Math.floor(v / 128);
    } while (v > 0);
  }
  const out = new Uint8Array(size);
  let p = 0;
  for (let i = 0; i < values.length; i++) {
    let v = values[i];
    while (v >= 128) {
      out[p++] = (v & 127) | 128;
      v = Math.floor(v / 128);
    }
    out[p++] = v;
  }
  return out;
}

/**
 * Decodes exactly `count` varints; throws if the bytes end early or are left over, or a value
 * is above `maxValue` (default: the int32 range of the result).
 */
export function decodeVarints(bytes: Uint8Array, count: number, maxValue = 0x7fffffff): Int32Array {
  // Every varint takes at least one byte: a count above the byte length is a damaged file, and
  // must be refused before allocating (a wrong count can be billions).
  if (!Number.isSafeInteger(count) || count < 0 || count > bytes.length) {
    throw new Error(`ids file has ${bytes.length} bytes, too few for ${count} words`);
  }
  const out = new Int32Array(count);
  let p = 0;
  for (let i = 0; i < count; i++) {
    let v = 0;
    let shift = 0;
    let b: number;
    do {
      if (p >= bytes.length) throw new Error(`ids file ends after ${i} of ${count} words`);
      b = bytes[p++];
      v += (b & 127) * 2 ** shift;
      shift += 7;
      if (shift > 35) throw new Error(`ids file: word ${i} is not a valid varint`);
    } while (b & 128);
    if (v > maxValue) throw new Error(`ids file: word ${i} has rank ${v}, above the manifest's maxRank ${maxValue}`);
    out[i] = v;
  }
  if (p !== bytes.length) throw new Error(`ids file has ${bytes.length - p} bytes after the last word`);
  return out;
}

/** Review lengths -> offsets (length n + 1). */
export function lengthsToOffsets(lengths: Uint32Array): Uint32Array {
  const offsets = new Uint32Array(lengths.length + 1);
  for (let i = 0; i < lengths.length; i++) offsets[i + 1] = offsets[i] + lengths[i];
  return offsets;
}

/** Little-endian uint32 view of bytes (copied when unaligned or on a big-endian machine). */
export function readUint32LE(bytes: Uint8Array): Uint32Array {
  if (bytes.length % 4 !== 0) throw new Error(`lengths file has ${bytes.length} bytes, not a multiple of 4`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = dv.getUint32(i * 4, true);
  return out;
}

/** Packs integers as consecutive little-endian uint32 values (the lengths files). */
export function writeUint32LE(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) dv.setUint32(i * 4, values[i], true);
  return out;
}

/** SHA-256 as lowercase hex, with Web Crypto (browsers, workers and Node 20). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as unknown as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Checks one split's decoded lengths and labels against each other, the ids file and the
 * manifest, before anything large is allocated: a file can pass its hash check and still be
 * wrong inside (a faulty conversion). Returns the problem, or null.
 */
export function splitProblem(
  lengths: Uint32Array,
  labels: Uint8Array,
  idsBytes: number,
  expected: { reviews: number; words: number },
): string | null {
  if (lengths.length !== expected.reviews) return `${lengths.length} review lengths, the manifest says ${expected.reviews} reviews`;
  if (labels.length !== lengths.length) return `${labels.length} labels for ${lengths.length} reviews`;
  let words = 0;
  for (let i = 0; i < lengths.length; i++) words += lengths[i];
  if (words !== expected.words) return `the review lengths add up to ${words} words, the manifest says ${expected.words}`;
  if (words > idsBytes) return `the review lengths add up to ${words} words, more than the ${idsBytes} bytes of the ids file can hold`;
  if (words > 0xffffffff) return `the review lengths add up to ${words} words, over the 32-bit limit`;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) return `label ${i} is ${labels[i]}; labels must be 0 or 1`;
  }
  return null;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** Checks a parsed manifest's shape (format, splits, files). Returns the problem, or null. */
export function manifestProblem(m: unknown): string | null {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'not a JSON object';
  const v = m as Partial<ImdbManifest>;
  if (v.format !== IMDB_FORMAT) return `format ${JSON.stringify(v.format)}, expected "${IMDB_FORMAT}"`;
  if (v.version !== IMDB_FORMAT_VERSION) return `version ${JSON.stringify(v.version)}, this site reads version ${IMDB_FORMAT_VERSION}`;
  if (!isCount(v.maxRank)) return `maxRank ${JSON.stringify(v.maxRank)} is not a count`;
  if (typeof v.splits !== 'object' || v.splits === null) return 'no splits';
  for (const s of SPLITS) {
    const sp = v.splits[s];
    if (!sp || !isCount(sp.reviews) || !isCount(sp.words)) return `split "${s}" needs counts of reviews and words`;
  }
  if (typeof v.files !== 'object' || v.files === null) return 'no file list';
  for (const [name, e] of Object.entries(v.files)) {
    if (!e || !isCount(e.bytes) || typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)) {
      return `file entry "${name}" needs bytes and a SHA-256 (64 hex digits)`;
    }
  }
  return null;
}

/** Checks a parsed word index: an object of word -> positive integer rank. Returns the problem, or null. */
export function wordIndexProblem(index: unknown): string | null {
  if (typeof index !== 'object' || index === null || Array.isArray(index)) {
    return `expected a JSON object of word -> rank, got ${Array.isArray(index) ? 'an array' : index === null ? 'null' : typeof index}`;
  }
  let n = 0;
  for (const [w, r] of Object.entries(index)) {
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 1) return `the rank of ${JSON.stringify(w.slice(0, 40))} is ${JSON.stringify(r)}, not a positive integer`;
    n++;
  }
  return n === 0 ? 'the word index is empty' : null;
}
