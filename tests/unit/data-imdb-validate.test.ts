/**
 * The IMDB loader checks the content of its files, not only their hashes (a faulty conversion
 * writes wrong files with right hashes), and no download can hang it: a stalled response
 * times out, `abortDownloads()` (Stop) ends one at once, and the next call fetches again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { configureData, imdb } from '../../src/rnn/data/index';
import { DataUnavailableError } from '../../src/rnn/data/errors';
import { abortDownloads } from '../../src/rnn/data/fetch-cached';
import { makeImdbSite, type SiteOptions } from '../fixtures/data/imdb-site';

let n = 0;
const warnings: string[] = [];

/** Serves `files` from an in-memory fetch under a fresh base URL; `stall(name)` makes a request never answer. */
function serve(files: Map<string, Uint8Array>, stall: (name: string) => boolean = () => false, extra: Parameters<typeof configureData>[0] = {}) {
  const base = `http://test-${++n}.invalid/`;
  const requests: string[] = [];
  configureData({
    baseUrl: base,
    useCache: false,
    warn: (m) => warnings.push(m),
    fetch: ((url: string, init?: RequestInit) => {
      const name = String(url).split('/').pop()!.split('?')[0]!;
      requests.push(name);
      if (stall(name)) {
        return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
      }
      const body = files.get(name);
      return Promise.resolve(body ? new Response(body.slice()) : new Response('not found', { status: 404 }));
    }) as typeof fetch,
    ...extra,
  });
  return requests;
}

const load = (opts: SiteOptions) => {
  serve(makeImdbSite(opts));
  return imdb.loadData();
};

afterEach(() => {
  configureData({ stallTimeoutMs: 30_000 });
});

describe('IMDB content validation', () => {
  it('loads the well-formed fixture', async () => {
    serve(makeImdbSite());
    const [[x, y], [xt, yt]] = await imdb.loadData();
    expect(x.length).toBe(3);
    expect(xt.length).toBe(2);
    expect([...y, ...yt].every((l) => l === 0 || l === 1)).toBe(true);
    expect(await imdb.decode([1, 3 + 3, 3 + 5])).toBe('[START] film good');
  });

  it('refuses lengths that add up to more words than the ids file holds, at once and without allocating', async () => {
    const lengths = new Uint8Array(12);
    new DataView(lengths.buffer).setUint32(0, 0xffffffff, true);
    new DataView(lengths.buffer).setUint32(4, 0xffffffff, true);
    const t0 = performance.now();
    const err = await load({ overrides: { 'train-lengths.bin': lengths } }).catch((e) => e);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(err).toBeInstanceOf(DataUnavailableError);
    expect(err.message).toMatch(/damaged inside.*train-lengths\.bin \(the review lengths add up to 8589934590 words, the manifest says 9\)/);
  });

  it('refuses lengths that disagree with the ids file even when the manifest agrees', async () => {
    const lengths = new Uint8Array(12);
    new DataView(lengths.buffer).setUint32(0, 1e6, true);
    const err = await load({
      overrides: { 'train-lengths.bin': lengths },
      manifest: (m) => (m.splits.train.words = 1e6),
    }).catch((e) => e);
    expect(err.message).toMatch(/train-lengths\.bin \(the review lengths add up to 1000000 words, more than the 9 bytes of the ids file can hold\)/);
  });

  it('refuses labels other than 0 and 1', async () => {
    const err = await load({ overrides: { 'test-labels.bin': Uint8Array.from([1, 7]) } }).catch((e) => e);
    expect(err).toBeInstanceOf(DataUnavailableError);
    expect(err.message).toMatch(/test-labels\.bin \(label 1 is 7; labels must be 0 or 1\)/);
  });

  it('refuses ranks above the manifest maxRank', async () => {
    const err = await load({ manifest: (m) => (m.maxRank = 5) }).catch((e) => e);
    expect(err.message).toMatch(/train-ids\.bin \(ids file: word 5 has rank 6, above the manifest's maxRank 5\)/);
  });

  it("falls back to the toy task on damaged files with fallback: 'toy'", async () => {
    serve(makeImdbSite({ overrides: { 'train-labels.bin': Uint8Array.from([0, 1, 7]) } }));
    const [[x]] = await imdb.loadData({ fallback: 'toy', limit: 20 });
    expect(x.length).toBe(20);
    // The reader gets the plain stand-in sentence (the file's problem is for whoever deploys).
    expect(warnings.at(-1)).toMatch(/not available on this site, so this run uses a made-up stand-in/);
    expect(imdb.source()).toBe('toy');
  });

  it('names the file when the word index is not a JSON object, or not JSON', async () => {
    serve(makeImdbSite({ overrides: { 'word-index.json': '["the","a","film"]' } }));
    await imdb.loadData();
    let err = await imdb.decode([4, 5]).catch((e) => e);
    expect(err).toBeInstanceOf(DataUnavailableError);
    expect(err.message).toMatch(/word index is damaged inside: .*word-index\.json \(expected a JSON object of word -> rank, got an array\)/);
    serve(makeImdbSite({ overrides: { 'word-index.json': '{"the": 1,' } }));
    await imdb.loadData();
    err = await imdb.getWordIndex().catch((e) => e);
    expect(err.message).toMatch(/word index is not valid JSON: .*word-index\.json \(/);
  });

  it('names the manifest when it is not valid JSON or has the wrong shape', async () => {
    const files = makeImdbSite();
    files.set('manifest.json', new TextEncoder().encode('{"format": '));
    serve(files);
    let err = await imdb.loadData().catch((e) => e);
    expect(err.message).toMatch(/manifest\.json \(the server did not return the JSON manifest: /);
    serve(makeImdbSite({ manifest: (m) => (m.splits.test.reviews = -1) }));
    err = await imdb.loadData().catch((e) => e);
    expect(err.message).toMatch(/manifest is not in the expected format: .*manifest\.json \(split "test" needs counts of reviews and words\)/);
  });
});

describe('stalled downloads', () => {
  it('time out with a clear error, and a retry fetches again', async () => {
    let stalled = true;
    const files = makeImdbSite();
    const requests = serve(files, (name) => stalled && name === 'train-ids.bin', { stallTimeoutMs: 300 });
    const t0 = performance.now();
    const err = await imdb.loadData().catch((e) => e);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(err).toBeInstanceOf(DataUnavailableError);
    expect(err.message).toMatch(/train-ids\.bin \(the download stalled: no data for 0\.3 s\)/);
    stalled = false;
    const [[x]] = await imdb.loadData();
    expect(x.length).toBe(3);
    expect(requests.filter((r) => r === 'train-ids.bin').length).toBe(2);
  });

  it('abortDownloads() (Stop) ends a stalled download at once; the next call fetches again', async () => {
    let stalled = true;
    serve(makeImdbSite(), (name) => stalled && name === 'manifest.json');
    const pending = imdb.loadData().catch((e) => e);
    await new Promise((r) => setTimeout(r, 50));
    abortDownloads('stopped by the reader');
    const err = await pending;
    expect(err.message).toMatch(/manifest\.json \(the download was aborted \(stopped by the reader\)\)/);
    stalled = false;
    const [[x]] = await imdb.loadData();
    expect(x.length).toBe(3);
  });

  it('refuses a stallTimeoutMs that is not a positive number', () => {
    expect(() => configureData({ stallTimeoutMs: 0 })).toThrow(/stallTimeoutMs must be a positive number/);
  });
});
