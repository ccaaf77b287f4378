import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDataCommand, type CliIO } from '../../scripts/data-lib/cli';
import { readImdbArchive } from '../../scripts/data-lib/convert';
import { parseNpy } from '../../scripts/data-lib/npy';
import { unpickle } from '../../scripts/data-lib/pickle';
import { applyKerasOptions } from '../../src/rnn/data/imdb-pipeline';
import { decodeVarints, readUint32LE, type ImdbManifest } from '../../src/rnn/data/imdb-format';
import { unzipSync } from 'fflate';
import { makeNpz, makeReviews, makeTfjsZip, makeWordIndex, pickleObjectArray } from '../fixtures/data/imdb-fixtures';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rnn-data-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function io(cwd = dir, fetchImpl?: typeof fetch): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, log: (l) => out.push(l), error: (l) => err.push(l), cwd, fetchImpl };
}

async function readOutput(outDir: string) {
  const manifest: ImdbManifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8'));
  const split = async (s: string) => {
    const lengths = readUint32LE(new Uint8Array(await readFile(join(outDir, `${s}-lengths.bin`))));
    const total = lengths.reduce((a, b) => a + b, 0);
    const ids = Array.from(decodeVarints(new Uint8Array(await readFile(join(outDir, `${s}-ids.bin`))), total));
    const reviews: number[][] = [];
    let p = 0;
    for (const len of lengths) {
      reviews.push(ids.slice(p, p + len));
      p += len;
    }
    return { reviews, labels: Array.from(new Uint8Array(await readFile(join(outDir, `${s}-labels.bin`)))) };
  };
  return { manifest, train: await split('train'), test: await split('test') };
}

describe('pickle and .npy reading', () => {
  it('reads NumPy object arrays written by NumPy itself (protocol 4)', async () => {
    const files = unzipSync(new Uint8Array(await readFile(new URL('../fixtures/data/numpy-made.npz', import.meta.url))));
    const x = parseNpy(files['x_train.npy'], 'x_train');
    const y = parseNpy(files['y_train.npy'], 'y_train');
    expect(x.descr).toBe('|O');
    expect(x.data).toHaveLength(23);
    expect(y.descr).toBe('<i8');
    expect((x.data[3] as number[]).at(-1)).toBe(70000);
    const golden = JSON.parse(await readFile(new URL('../fixtures/data/golden.json', import.meta.url), 'utf8'));
    // Keras with start_char None, index_from 0 and num_words 30 keeps raw ranks < 30 (others -> 2).
    const noShift = golden.load_data[3];
    expect(noShift.options).toMatchObject({ start_char: null, index_from: 0 });
  });

  it('reads our protocol-2 fixture pickles, including big ints', () => {
    const lists = [[1, 2, 300], [], [70000, 5], [2 ** 31 + 5], [7]];
    const value = unpickle(pickleObjectArray(lists));
    expect((value as { state: unknown[] }).state[4]).toEqual(lists);
  });

  it('fails clearly on truncated pickles and unknown opcodes', () => {
    const p = pickleObjectArray([[1, 2, 3]]);
    expect(() => unpickle(p.subarray(0, p.length - 10))).toThrow(/truncated|MARK|underflow/);
    expect(() => unpickle(Uint8Array.from([0x80, 2, 0xff]))).toThrow(/unsupported opcode 0xff at byte 2/);
  });
});

describe('converting the upstream archives', () => {
  const fixture = makeReviews(40, 30, 3);

  it('npz and tfjs copies of the same data convert to the same compact files', () => {
    const fromNpz = readImdbArchive(makeNpz(fixture), 'imdb.npz');
    expect(fromNpz.kind).toBe('npz');
    // The tfjs zip holds Keras load_data() defaults (seed 113 shuffle, start 1, +3, max id -> OOV).
    const raw = fromNpz.raw;
    const keras = applyKerasOptions(raw, {}).data;
    const fromTfjs = readImdbArchive(makeTfjsZip(keras[0], keras[1]), 'imdb_tfjs_data.zip');
    expect(fromTfjs.kind).toBe('tfjs');
    expect(Array.from(fromTfjs.raw.train.labels)).toEqual(fixture.yTrain);
    expect(Array.from(fromTfjs.raw.test.offsets)).toEqual(Array.from(raw.test.offsets));
    // Same ids except the single largest rank, which the tfjs copy stored as OOV (rank 0 = unknown).
    const expected = Array.from(raw.train.ids).map((r) => (r === 70000 ? 0 : r));
    expect(Array.from(fromTfjs.raw.train.ids)).toEqual(expected);
    expect(Array.from(fromTfjs.raw.test.ids)).toEqual(Array.from(raw.test.ids));
  });

  it('rejects archives that are neither format', () => {
    expect(() => readImdbArchive(makeNpz(fixture).subarray(0, 0), 'x.npz')).toThrow(/not a zip archive/);
  });
});

describe('npm run data (scripts/data.ts)', () => {
  it('converts a local imdb.npz with its word index, then skips when up to date', async () => {
    const fixture = makeReviews(25, 20, 5);
    await writeFile(join(dir, 'imdb.npz'), makeNpz(fixture));
    await writeFile(join(dir, 'imdb_word_index.json'), JSON.stringify(makeWordIndex(400)));
    const a = io();
    expect(await runDataCommand(['--from', 'imdb.npz', '--out', 'out1'], a)).toBe(0);
    expect(a.out.join('\n')).toMatch(/IMDB ready in .*out1: 25 train \+ 20 test reviews/);
    const { manifest, train, test } = await readOutput(join(dir, 'out1'));
    expect(manifest.format).toBe('rnn-notebook-imdb');
    expect(manifest.splits.train).toEqual({ reviews: 25, words: fixture.xTrain.flat().length });
    expect(train.reviews).toEqual(fixture.xTrain);
    expect(train.labels).toEqual(fixture.yTrain);
    expect(test.reviews).toEqual(fixture.xTest);
    expect(manifest.maxRank).toBe(70000);
    expect(Object.keys(manifest.files).sort()).toEqual(
      ['test-ids.bin', 'test-labels.bin', 'test-lengths.bin', 'train-ids.bin', 'train-labels.bin', 'train-lengths.bin', 'word-index.json'].sort(),
    );
    const again = io();
    expect(await runDataCommand(['--from', 'imdb.npz', '--out', 'out1'], again)).toBe(0);
    expect(again.out.join('\n')).toMatch(/already in .* \(verified\)/);
    expect(await runDataCommand(['--check', '--out', 'out1'], io())).toBe(0);
    // A damaged output is detected by --check and converted again without --force.
    await writeFile(join(dir, 'out1', 'train-labels.bin'), new Uint8Array(25));
    const check = io();
    expect(await runDataCommand(['--check', '--out', 'out1'], check)).toBe(1);
    expect(check.err.join('\n')).toMatch(/train-labels\.bin does not match the manifest/);
    expect(await runDataCommand(['--from', 'imdb.npz', '--out', 'out1'], io())).toBe(0);
    expect((await readOutput(join(dir, 'out1'))).train.labels).toEqual(fixture.yTrain);
  });

  it('converts the tfjs zip (undoing the Keras shuffle)', async () => {
    const fixture = makeReviews(30, 12, 9);
    const raw = readImdbArchive(makeNpz(fixture), 'imdb.npz').raw;
    const keras = applyKerasOptions(raw, {}).data;
    await writeFile(join(dir, 'imdb_tfjs_data.zip'), makeTfjsZip(keras[0], keras[1]));
    const a = io();
    expect(await runDataCommand(['--from', 'imdb_tfjs_data.zip', '--out', 'out2', '--word-index', 'imdb_word_index.json'], a)).toBe(0);
    const { manifest, train } = await readOutput(join(dir, 'out2'));
    expect(manifest.source).toMatch(/TensorFlow\.js/);
    expect(train.reviews).toEqual(fixture.xTrain.map((r) => r.map((w) => (w === 70000 ? 0 : w))));
  });

  it.each([
    ['truncated', (z: Uint8Array) => z.subarray(0, Math.floor(z.length * 0.6)), /corrupt or truncated zip archive/],
    ['not a zip', () => new TextEncoder().encode('<html>404</html>'), /not a zip archive/],
    ['corrupted bytes', (z: Uint8Array) => { const c = z.slice(); for (let i = 60; i < 400; i++) c[i] ^= 0x5a; return c; }, /corrupt|cannot read|not a NumPy|pickle|label|truncated/],
  ])('gives a clear error for a %s archive and writes nothing', async (name, damage, message) => {
    const file = join(dir, `bad-${name.replace(/ /g, '-')}.npz`);
    await writeFile(file, damage(makeNpz(makeReviews(20, 10, 2))));
    const a = io();
    expect(await runDataCommand(['--from', file, '--out', `bad-out-${name.replace(/ /g, '-')}`], a)).toBe(1);
    expect(a.err.join('\n')).toMatch(message);
    await expect(readFile(join(dir, `bad-out-${name.replace(/ /g, '-')}`, 'manifest.json'))).rejects.toThrow();
  });

  it('rejects a damaged word index and unknown options', async () => {
    await writeFile(join(dir, 'wi.json'), '{"the": 1, "and": ');
    const a = io();
    expect(await runDataCommand(['--from', 'imdb.npz', '--word-index', 'wi.json', '--out', 'out3'], a)).toBe(1);
    expect(a.err.join('\n')).toMatch(/wi\.json is not valid JSON/);
    const b = io();
    expect(await runDataCommand(['--frm', 'x'], b)).toBe(1);
    expect(b.err.join('\n')).toMatch(/Unknown option '--frm'/);
    const c = io();
    expect(await runDataCommand(['--from', 'nope.npz', '--out', 'out4'], c)).toBe(1);
    expect(c.err.join('\n')).toMatch(/--from nope\.npz: no such file/);
  });

  describe('downloading (from a local server standing in for the Keras bucket)', () => {
    let server: Server;
    let base: string;
    let hits: string[] = [];
    let npz: Uint8Array;
    beforeAll(async () => {
      npz = makeNpz(makeReviews(15, 15, 4));
      server = createServer((req, res) => {
        hits.push(req.url!);
        if (req.url === '/ds/imdb.npz') res.end(npz);
        else if (req.url === '/ds/imdb_word_index.json') res.end(JSON.stringify(makeWordIndex(300)));
        else if (req.url === '/cut/imdb.npz') {
          res.writeHead(200, { 'content-length': String(npz.length) });
          res.write(npz.subarray(0, 100));
          res.destroy();
        } else {
          res.statusCode = 404;
          res.end('not found');
        }
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const addr = server.address() as { port: number };
      base = `http://127.0.0.1:${addr.port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('downloads once into the cache folder and converts', async () => {
      hits = [];
      const a = io();
      expect(await runDataCommand(['--base-url', `${base}/ds/`, '--out', 'dl-out', '--cache', 'dl-cache'], a)).toBe(0);
      expect(hits).toEqual(['/ds/imdb.npz', '/ds/imdb_word_index.json']);
      expect(new Uint8Array(await readFile(join(dir, 'dl-cache', 'imdb.npz')))).toEqual(npz);
      hits = [];
      expect(await runDataCommand(['--base-url', `${base}/ds/`, '--out', 'dl-out2', '--cache', 'dl-cache'], io())).toBe(0);
      expect(hits).toEqual([]); // served from the download cache
    });

    it('reports HTTP errors and broken-off downloads', async () => {
      const a = io();
      expect(await runDataCommand(['--base-url', `${base}/missing/`, '--out', 'dl-x', '--cache', 'dl-cache-x'], a)).toBe(1);
      expect(a.err.join('\n')).toMatch(/could not download .*missing\/imdb\.npz: HTTP 404/);
      const b = io();
      expect(await runDataCommand(['--base-url', `${base}/cut/`, '--out', 'dl-y', '--cache', 'dl-cache-y'], b)).toBe(1);
      expect(b.err.join('\n')).toMatch(/cut\/imdb\.npz.*(broke off|incomplete|closed)/);
    });

    it('reports an unreachable host with the --from alternative', async () => {
      const failing = (async () => {
        throw new TypeError('fetch failed');
      }) as unknown as typeof fetch;
      const a = io(dir, failing);
      expect(await runDataCommand(['--out', 'dl-z', '--cache', 'dl-cache-z'], a)).toBe(1);
      expect(a.err.join('\n')).toMatch(/could not download https:\/\/storage\.googleapis\.com\/tensorflow\/tf-keras-datasets\/imdb\.npz: fetch failed.*--from/);
    });
  });
});
