import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDataCommand } from '../../scripts/data-lib/cli';
import { configureData, datasets, imdb } from '../../src/rnn/data/index';
import { DataUnavailableError } from '../../src/rnn/data/errors';
import { CACHE_NAME } from '../../src/rnn/data/fetch-cached';
import { activeVocabulary } from '../../src/rnn/data/imdb';
import { makeWordIndex } from '../fixtures/data/imdb-fixtures';

const golden = JSON.parse(await readFile(new URL('../fixtures/data/golden.json', import.meta.url), 'utf8'));

/** A minimal in-memory Cache API (what browsers and workers have; Node has none). */
class MemoryCache {
  store = new Map<string, ArrayBuffer>();
  async match(key: string) {
    const b = this.store.get(key);
    return b ? new Response(b.slice(0)) : undefined;
  }
  async put(key: string, response: Response) {
    this.store.set(key, await response.arrayBuffer());
  }
  async delete(key: string | Request) {
    return this.store.delete(typeof key === 'string' ? key : key.url);
  }
  async keys() {
    return [...this.store.keys()].map((k) => new Request(k));
  }
}
const opened: string[] = [];
const memoryCache = new MemoryCache();
const memoryCaches = { open: async (name: string) => (opened.push(name), memoryCache) };

let dir: string;
let server: Server;
let base: string;
let hits: string[] = [];
let tamper: ((path: string, body: Buffer) => Buffer) | null = null;
const warnings: string[] = [];
const progress: Array<[string, number, number, boolean]> = [];

function configure(sub: string, extra: Parameters<typeof configureData>[0] = {}) {
  configureData({
    baseUrl: `${base}/${sub}/`,
    warn: (m) => warnings.push(m),
    onProgress: (...args) => progress.push(args),
    fetch: globalThis.fetch,
    ...extra,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rnn-loader-'));
  await writeFile(join(dir, 'imdb_word_index.json'), JSON.stringify(makeWordIndex(60)));
  const fixture = new URL('../fixtures/data/numpy-made.npz', import.meta.url).pathname;
  const log: string[] = [];
  const code = await runDataCommand(['--from', fixture, '--word-index', 'imdb_word_index.json', '--out', 'site/data/imdb'], {
    log: (l) => log.push(l),
    error: (l) => log.push(l),
    cwd: dir,
  });
  expect(code, log.join('\n')).toBe(0);
  server = createServer(async (req, res) => {
    hits.push(req.url!);
    const path = req.url!.split('?')[0];
    if (!path.startsWith('/site/')) {
      res.statusCode = 404;
      return res.end('<html>Not found</html>');
    }
    try {
      let body: Buffer = await readFile(join(dir, path));
      if (tamper) body = tamper(path, body);
      res.end(body);
    } catch {
      res.statusCode = 404;
      res.end('<html>Not found</html>');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
  delete (globalThis as { caches?: unknown }).caches;
});
beforeEach(() => {
  hits = [];
  tamper = null;
  warnings.length = 0;
  progress.length = 0;
});

describe('imdb.loadData from the converted files', () => {
  it.each(golden.load_data.map((c: { options: object }) => [JSON.stringify(c.options), c]) as [string, any][])('matches Keras load_data %s', async (_, c) => {
    configure('site');
    const o = c.options as Record<string, number | undefined>;
    const [[xTrain, yTrain], [xTest, yTest]] = await imdb.loadData({
      numWords: o.num_words,
      skipTop: o.skip_top,
      maxlen: o.maxlen,
      seed: o.seed,
      startChar: o.start_char,
      oovChar: o.oov_char,
      indexFrom: o.index_from,
    });
    expect(xTrain).toEqual(c.x_train);
    expect(yTrain).toEqual(c.y_train);
    expect(xTest).toEqual(c.x_test);
    expect(yTest).toEqual(c.y_test);
  });

  it('limit takes the first reviews of each split; progress reaches the total', async () => {
    configure('site');
    const full = await imdb.loadData({ numWords: 20 });
    progress.length = 0;
    configure('site'); // forget the in-memory copy: fetch again
    const [[x, y], [xt, yt]] = await imdb.loadData({ numWords: 20, limit: 5 });
    expect(x).toEqual(full[0][0].slice(0, 5));
    expect(y).toEqual(full[0][1].slice(0, 5));
    expect(xt).toEqual(full[1][0].slice(0, 5));
    expect(yt).toHaveLength(5);
    const last = progress.at(-1)!;
    expect(last[0]).toBe('IMDB reviews');
    expect(last[3]).toBe(true);
    expect(last[1]).toBe(last[2]);
    const manifest = JSON.parse(await readFile(join(dir, 'site/data/imdb/manifest.json'), 'utf8'));
    const total = Object.entries(manifest.files as Record<string, { bytes: number }>)
      .filter(([n]) => n !== 'word-index.json')
      .reduce((s, [, e]) => s + e.bytes, 0);
    expect(last[2]).toBe(total);
  });

  it('keeps the data in the Cache API: a second visit fetches only the manifest', async () => {
    (globalThis as { caches?: unknown }).caches = memoryCaches;
    try {
      const stale = `${base}/site/data/imdb/train-ids.bin?sha256=0123`;
      memoryCache.store.set(stale, new ArrayBuffer(8)); // from an older conversion
      configure('site');
      const first = await imdb.loadData({ numWords: 20 });
      expect(hits.filter((h) => h.includes('-ids.bin'))).toHaveLength(2);
      expect(opened).toContain(CACHE_NAME);
      await new Promise((r) => setTimeout(r, 50)); // pruning runs in the background
      expect(memoryCache.store.has(stale)).toBe(false);
      expect([...memoryCache.store.keys()].filter((k) => k.includes('-ids.bin'))).toHaveLength(2);
      hits = [];
      configure('site'); // a new worker: memory is empty, the Cache API is not
      const second = await imdb.loadData({ numWords: 20 });
      expect(second).toEqual(first);
      expect(hits.filter((h) => !h.includes('imdb-available'))).toEqual(['/site/data/imdb/manifest.json']);
      // Offline now: even the manifest comes from the cache.
      configure('site', { fetch: (async () => { throw new TypeError('Failed to fetch'); }) as unknown as typeof fetch });
      expect(await imdb.loadData({ numWords: 20 })).toEqual(first);
    } finally {
      delete (globalThis as { caches?: unknown }).caches;
    }
  });

  it('word index, decode and encode use Keras conventions', async () => {
    configure('site');
    const index = await imdb.getWordIndex();
    expect(index.the).toBe(1);
    expect(index["don't"]).toBe(61);
    await imdb.loadData({ numWords: 20 });
    expect(await imdb.decode([0, 0, 1, 4, 5, 2, 3 + 17, 999])).toBe('[START] the and [OOV] movie ?');
    expect(await imdb.decode([0, 1, 4], { showPadding: true })).toBe('[PAD] [START] the');
    const row = tf.tensor1d([0, 1, 5], 'int32'); // a padded row as a tensor
    expect(await imdb.decode(row)).toBe('[START] and');
    row.dispose();
    // numWords defaults to the last loadData's (20): "movie" is rank 17 -> id 20 -> OOV.
    expect(await imdb.encode("The movie, THE and... don't!")).toEqual([1, 4, 2, 4, 5, 2]);
    expect(await imdb.encode('the movie', { numWords: 10000 })).toEqual([1, 4, 20]);
    expect(await imdb.encode('zzz a', { numWords: null, startChar: null })).toEqual([2, 6]);
  });
});

describe('configureData', () => {
  it("resolves the kernel's relative BASE_URL against the worker's location", async () => {
    const g = globalThis as { location?: { href: string } };
    const had = 'location' in g;
    const saved = g.location;
    g.location = { href: `${base}/site/_astro/worker.abc123.js` };
    try {
      configureData({ baseUrl: '/site/', fetch: globalThis.fetch });
      const [[x]] = await imdb.loadData({ limit: 3 });
      expect(x).toHaveLength(3);
      expect(hits).toContain('/site/data/imdb/manifest.json');
    } finally {
      if (had) g.location = saved;
      else delete g.location;
    }
  });
});

describe('when the IMDB files are not there', () => {
  it('says what is missing, the command, and the offline alternatives', async () => {
    configure('nothing-here');
    const err = await imdb.loadData({ numWords: 10000 }).catch((e) => e);
    expect(err).toBeInstanceOf(DataUnavailableError);
    expect(err.message).toContain(`${base}/nothing-here/data/imdb/manifest.json`);
    expect(err.message).toContain('HTTP 404');
    expect(err.message).toContain('npm run data');
    expect(err.message).toContain("fallback: 'toy'");
    expect(err.missing).toBe(`${base}/nothing-here/data/imdb/manifest.json`);
    await expect(imdb.getWordIndex()).rejects.toThrow(/npm run data/);
  });

  it("fallback: 'toy' returns the toy task in the same shape and warns once", async () => {
    configure('nothing-here');
    const [[x, y], [xt, yt]] = await imdb.loadData({ numWords: 10000, fallback: 'toy', limit: 200 });
    expect(x).toHaveLength(200);
    expect(xt).toHaveLength(200);
    expect(new Set([...y, ...yt])).toEqual(new Set([0, 1]));
    expect(x.every((r) => r[0] === 1 && r.every((w) => w >= 1 && w < 10000))).toBe(true);
    expect(x).toEqual(datasets.toySentiment({ numSamples: 200, vocabSize: 10000, seed: 113 })[0][0]);
    expect(warnings).toHaveLength(1);
    // Written for a student on a hosted site: what happens, in plain words; no URL, status or command.
    expect(warnings[0]).toMatch(/IMDB movie reviews are not available on this site.*stand-in/);
    expect(warnings[0]).not.toMatch(/https?:|HTTP|404|npm run/);
    expect(imdb.source()).toBe('toy');
    await imdb.loadData({ numWords: 10000, fallback: 'toy', limit: 10 });
    expect(warnings).toHaveLength(1);
    expect(activeVocabulary()).toBe('toy');
    // decode/encode now speak the toy vocabulary.
    const words = await imdb.decode(x[0]);
    expect(words.startsWith('[START] ')).toBe(true);
    expect(words).not.toContain('?');
    const ids = await imdb.encode('this movie was great');
    expect(await imdb.decode(ids)).toBe('[START] this movie was great');
  });

  it("reads the build's availability marker first: a site built without IMDB never requests the manifest", async () => {
    await mkdir(join(dir, 'site', 'marked', 'data'), { recursive: true });
    await writeFile(join(dir, 'site', 'marked', 'data', 'imdb-available.json'), JSON.stringify({ imdb: false }));
    configure('site/marked');
    const [[x]] = await imdb.loadData({ numWords: 1000, fallback: 'toy', limit: 20 });
    expect(x).toHaveLength(20);
    expect(hits.map((h) => h.split('?')[0])).toEqual(['/site/marked/data/imdb-available.json']);
    expect(warnings).toHaveLength(1);
    const err = await imdb.loadData({ numWords: 1000 }).catch((e) => e);
    expect(err).toBeInstanceOf(DataUnavailableError);
    expect(err.message).toMatch(/built without it.*npm run data/);
    // A marker saying the data is there (or none at all, as above in 'site') loads the real files.
    await writeFile(join(dir, 'site', 'data', 'imdb-available.json'), JSON.stringify({ imdb: true }));
    configure('site');
    const [[real]] = await imdb.loadData({ limit: 5 });
    expect(real).toHaveLength(5);
    expect(imdb.source()).toBe('imdb');
  });

  it('honours maxlen with the toy fallback', async () => {
    configure('nothing-here');
    const [[x]] = await imdb.loadData({ numWords: 5000, maxlen: 30, fallback: 'toy', limit: 100 });
    expect(x.every((r) => r.length < 30)).toBe(true);
    expect(x.flat().every((w) => w < 5000)).toBe(true);
  });

  it('reports a network failure and a corrupt file clearly', async () => {
    configure('site', { fetch: (async () => { throw new TypeError('Failed to fetch'); }) as unknown as typeof fetch });
    await expect(imdb.loadData()).rejects.toThrow(/Could not fetch the IMDB data: .*manifest\.json \(Failed to fetch\)/);
    configure('site');
    tamper = (path, body) => (path.endsWith('train-ids.bin') ? body.subarray(0, body.length - 3) : body);
    await expect(imdb.loadData()).rejects.toThrow(/train-ids\.bin .*corrupt or out of date|corrupt or out of date.*train-ids\.bin/);
    tamper = (path) => (path.endsWith('manifest.json') ? Buffer.from('<!doctype html><p>SPA fallback') : Buffer.alloc(0));
    configure('site');
    await expect(imdb.loadData()).rejects.toThrow(/did not return the JSON manifest/);
  });
});
