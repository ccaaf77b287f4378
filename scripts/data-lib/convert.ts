/**
 * Converting a public copy of IMDB into the site's compact files (src/rnn/data/imdb-format.ts).
 *
 * Two inputs are understood:
 * - Keras's `imdb.npz`: a zip of `x_train.npy`, `y_train.npy`, `x_test.npy`, `y_test.npy`;
 *   the x arrays are object arrays whose payload is a pickle of lists of raw ranks, stored in
 *   the original (unshuffled) order;
 * - the TensorFlow.js examples' `imdb_tfjs_data.zip`: `imdb_{train,test}_data.bin` (int32 LE,
 *   each review starts with id 1, words are rank + 3, the single most frequent-rank-max word
 *   replaced by 2) and `imdb_{train,test}_targets.bin` (uint8). These are the output of Keras's
 *   `load_data()` with default options, so already shuffled with seed 113: we undo that
 *   shuffle (the permutation is known, see numpy-random.ts) to store the original order.
 */
import { unzipSync } from 'fflate';
import {
  encodeVarints,
  IMDB_FORMAT,
  IMDB_FORMAT_VERSION,
  MANIFEST_FILE,
  sha256Hex,
  SPLITS,
  splitFiles,
  WORD_INDEX_FILE,
  writeUint32LE,
  type ImdbManifest,
  type RawImdb,
  type RawSplit,
} from '../../src/rnn/data/imdb-format';
import { NumpyRandomState } from '../../src/rnn/data/numpy-random';
import { parseNpy } from './npy';

export class ConvertError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConvertError';
  }
}

export type SourceKind = 'npz' | 'tfjs';

function unzip(bytes: Uint8Array, name: string): Record<string, Uint8Array> {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new ConvertError(`${name} is not a zip archive (it does not start with "PK"); is it a complete download?`);
  }
  try {
    return unzipSync(bytes);
  } catch (err) {
    throw new ConvertError(
      `${name} is a corrupt or truncated zip archive (${(err as Error).message}). ` +
        'Delete it and download it again (npm run data -- --force).',
    );
  }
}

function byBaseName(entries: Record<string, Uint8Array>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [path, data] of Object.entries(entries)) {
    const base = path.split('/').pop()!;
    if (base && !path.startsWith('__MACOSX/')) out.set(base, data);
  }
  return out;
}

function labelsFrom(values: unknown[], what: string): Uint8Array {
  const out = new Uint8Array(values.length);
  values.forEach((v, i) => {
    if (v !== 0 && v !== 1) throw new ConvertError(`${what}: label ${i} is ${String(v)}, expected 0 or 1`);
    out[i] = v;
  });
  return out;
}

function npzToRaw(files: Map<string, Uint8Array>, name: string): RawImdb {
  const read = (key: string) => {
    const f = files.get(`${key}.npy`);
    if (!f) throw new ConvertError(`${name} has no ${key}.npy (found: ${[...files.keys()].join(', ')})`);
    try {
      return parseNpy(f, key);
    } catch (err) {
      throw new ConvertError(`${name}: ${(err as Error).message}`);
    }
  };
  const split = (s: 'train' | 'test'): RawSplit => {
    const x = read(`x_${s}`);
    const y = read(`y_${s}`);
    if (x.descr !== '|O') throw new ConvertError(`${name}: x_${s} should be an object array of lists, has dtype ${x.descr}`);
    if (x.data.length !== y.data.length) {
      throw new ConvertError(`${name}: x_${s} has ${x.data.length} reviews but y_${s} has ${y.data.length} labels`);
    }
    let total = 0;
    x.data.forEach((review, i) => {
      if (!Array.isArray(review)) throw new ConvertError(`${name}: x_${s}[${i}] is not a list of word ids`);
      total += review.length;
    });
    const ids = new Int32Array(total);
    const offsets = new Uint32Array(x.data.length + 1);
    let p = 0;
    x.data.forEach((review, i) => {
      for (const w of review as unknown[]) {
        if (!Number.isInteger(w) || (w as number) < 1) throw new ConvertError(`${name}: x_${s}[${i}] holds ${String(w)}, not a word rank`);
        ids[p++] = w as number;
      }
      offsets[i + 1] = p;
    });
    return { ids, offsets, labels: labelsFrom(y.data, `${name} y_${s}`) };
  };
  return { train: split('train'), test: split('test') };
}

function tfjsSplit(data: Uint8Array, targets: Uint8Array, what: string): RawSplit {
  if (data.length % 4 !== 0) throw new ConvertError(`${what}: data file has ${data.length} bytes, not a multiple of 4 (truncated?)`);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = data.length / 4;
  if (n > 0 && dv.getInt32(0, true) !== 1) throw new ConvertError(`${what}: data does not start with the start id 1`);
  const ids: number[] = [];
  const offsets: number[] = [];
  for (let k = 0; k < n; k++) {
    const v = dv.getInt32(k * 4, true);
    if (v === 1) offsets.push(ids.length);
    else if (v === 2) ids.push(0); // OOV in the source: rank unknown
    else if (v >= 4) ids.push(v - 3);
    else throw new ConvertError(`${what}: unexpected id ${v} at word ${k}`);
  }
  offsets.push(ids.length);
  const reviews = offsets.length - 1;
  if (targets.length !== reviews) throw new ConvertError(`${what}: ${reviews} reviews but ${targets.length} labels`);
  return { ids: Int32Array.from(ids), offsets: Uint32Array.from(offsets), labels: labelsFrom(Array.from(targets), `${what} targets`) };
}

/** Reorders a split: out[perm[i]] = in[i] (undoes `x[perm]`). */
function unshuffle(split: RawSplit, perm: Int32Array): RawSplit {
  const n = perm.length;
  const lengths = new Uint32Array(n);
  const source = new Int32Array(n); // original index -> shuffled index
  for (let i = 0; i < n; i++) source[perm[i]] = i;
  for (let j = 0; j < n; j++) lengths[j] = split.offsets[source[j] + 1] - split.offsets[source[j]];
  const offsets = new Uint32Array(n + 1);
  for (let j = 0; j < n; j++) offsets[j + 1] = offsets[j] + lengths[j];
  const ids = new Int32Array(split.ids.length);
  const labels = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    const i = source[j];
    ids.set(split.ids.subarray(split.offsets[i], split.offsets[i + 1]), offsets[j]);
    labels[j] = split.labels[i];
  }
  return { ids, offsets, labels };
}

function tfjsToRaw(files: Map<string, Uint8Array>, name: string): RawImdb {
  const get = (f: string) => {
    const b = files.get(f);
    if (!b) throw new ConvertError(`${name} has no ${f} (found: ${[...files.keys()].join(', ')})`);
    return b;
  };
  const train = tfjsSplit(get('imdb_train_data.bin'), get('imdb_train_targets.bin'), `${name} train`);
  const test = tfjsSplit(get('imdb_test_data.bin'), get('imdb_test_targets.bin'), `${name} test`);
  const rng = new NumpyRandomState(113);
  const permTrain = rng.permutation(train.labels.length);
  const permTest = rng.permutation(test.labels.length);
  return { train: unshuffle(train, permTrain), test: unshuffle(test, permTest) };
}

/** Reads either archive into raw reviews. */
export function readImdbArchive(bytes: Uint8Array, name: string): { raw: RawImdb; kind: SourceKind } {
  const files = byBaseName(unzip(bytes, name));
  if (files.has('x_train.npy')) return { raw: npzToRaw(files, name), kind: 'npz' };
  if (files.has('imdb_train_data.bin')) return { raw: tfjsToRaw(files, name), kind: 'tfjs' };
  throw new ConvertError(
    `${name} is neither Keras's imdb.npz (x_train.npy…) nor imdb_tfjs_data.zip (imdb_train_data.bin…); ` +
      `it contains: ${[...files.keys()].join(', ') || 'nothing'}`,
  );
}

/** Checks Keras's `imdb_word_index.json`: a JSON object of word -> positive integer rank. */
export function readWordIndex(bytes: Uint8Array, name: string): Record<string, number> {
  let index: unknown;
  try {
    index = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new ConvertError(`${name} is not valid JSON (${(err as Error).message}); truncated download?`);
  }
  if (!index || typeof index !== 'object' || Array.isArray(index)) throw new ConvertError(`${name} is not a JSON object of word -> rank`);
  const entries = Object.entries(index as Record<string, unknown>);
  if (entries.length === 0) throw new ConvertError(`${name} is empty`);
  for (const [w, r] of entries) {
    if (!Number.isInteger(r) || (r as number) < 1) throw new ConvertError(`${name}: "${w}" has rank ${String(r)}, expected a positive integer`);
  }
  return index as Record<string, number>;
}

/** Builds the compact files and their manifest. */
export async function buildCompactFiles(
  raw: RawImdb,
  wordIndex: Record<string, number> | null,
  source: { description: string; sha256?: string },
): Promise<{ manifest: ImdbManifest; files: Map<string, Uint8Array> }> {
  const files = new Map<string, Uint8Array>();
  let maxRank = 0;
  const splits = {} as ImdbManifest['splits'];
  for (const s of SPLITS) {
    const split = raw[s];
    const names = splitFiles(s);
    const n = split.labels.length;
    const lengths = new Uint32Array(n);
    for (let i = 0; i < n; i++) lengths[i] = split.offsets[i + 1] - split.offsets[i];
    for (const r of split.ids) if (r > maxRank) maxRank = r;
    files.set(names.ids, encodeVarints(split.ids));
    files.set(names.lengths, writeUint32LE(lengths));
    files.set(names.labels, split.labels.slice());
    splits[s] = { reviews: n, words: split.ids.length };
  }
  if (wordIndex) files.set(WORD_INDEX_FILE, new TextEncoder().encode(JSON.stringify(wordIndex)));
  const entries: ImdbManifest['files'] = {};
  for (const [name, bytes] of files) entries[name] = { bytes: bytes.length, sha256: await sha256Hex(bytes) };
  const manifest: ImdbManifest = {
    format: IMDB_FORMAT,
    version: IMDB_FORMAT_VERSION,
    source: source.description,
    ...(source.sha256 ? { sourceSha256: source.sha256 } : {}),
    createdAt: new Date().toISOString(),
    maxRank,
    splits,
    files: entries,
  };
  return { manifest, files };
}

export { MANIFEST_FILE };
