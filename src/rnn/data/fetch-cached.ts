/**
 * Fetching the IMDB files: progress reporting while bytes arrive, SHA-256 verification against
 * the manifest, and the browser Cache API (`rnn-notebook-data-v1`) so a second visit reads
 * from disk instead of the network. Works in a Web Worker and in Node (where `caches` does
 * not exist and is simply skipped).
 *
 * No download can hang the loader: a fetch that receives nothing for `stallTimeoutMs`
 * (config.ts) is aborted, and `abortDownloads()` (the kernel calls it on Stop) aborts every
 * download in flight. Either way the callers' pending promises reject, so the next call
 * fetches again instead of waiting on a dead request. A cached copy that fails verification
 * (damaged, or overwritten by a cell) is reported, deleted and fetched again.
 */
import { dataConfig } from './config';
import { DataUnavailableError } from './errors';
import { sha256Hex, type FileEntry } from './imdb-format';

/** Name of the Cache API cache holding the data files (exported for tests). */
export const CACHE_NAME = 'rnn-notebook-data-v1';

function cacheStorage(): CacheStorage | null {
  if (!dataConfig().useCache) return null;
  const c = (globalThis as { caches?: CacheStorage }).caches;
  return c && typeof c.open === 'function' ? c : null;
}

async function openCache(): Promise<Cache | null> {
  const storage = cacheStorage();
  if (!storage) return null;
  try {
    return await storage.open(CACHE_NAME);
  } catch {
    return null; // e.g. opaque origins or private modes without storage
  }
}

function fileName(url: string): string {
  return url.replace(/[?#].*$/, '').split('/').pop() || url;
}

/** Adds bytes read from several files into one progress bar. */
export class ProgressTracker {
  private loaded = new Map<string, number>();
  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(key: string, bytes: number): void {
    this.loaded.set(key, bytes);
    let sum = 0;
    for (const v of this.loaded.values()) sum += v;
    dataConfig().onProgress(this.label, Math.min(sum, this.total), this.total, false);
  }

  finish(): void {
    dataConfig().onProgress(this.label, this.total, this.total, true);
  }
}

/** Downloads in flight, so Stop can abort them all. */
const inFlight = new Set<AbortController>();

/**
 * Aborts every data download in flight (the kernel calls this when the reader presses Stop).
 * Their callers get a `DataUnavailableError`; the next load starts afresh.
 */
export function abortDownloads(reason = 'stopped by the reader'): void {
  for (const c of [...inFlight]) c.abort(new Error(reason));
}

/**
 * An AbortController for one download, aborted when `stallTimeoutMs` passes without `alive()`
 * being called (no response yet, or no new bytes).
 */
function watchdog(): { signal: AbortSignal; alive(): void; done(): void; why(): string | null } {
  const ctrl = new AbortController();
  const ms = dataConfig().stallTimeoutMs;
  let stalled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      ctrl.abort(new Error(`no data for ${Math.round(ms / 100) / 10} s`));
    }, ms);
  };
  arm();
  inFlight.add(ctrl);
  return {
    signal: ctrl.signal,
    alive: arm,
    done: () => {
      if (timer !== undefined) clearTimeout(timer);
      inFlight.delete(ctrl);
    },
    why: () => {
      if (!ctrl.signal.aborted) return null;
      if (stalled) return `the download stalled: no data for ${Math.round(ms / 100) / 10} s`;
      const r = ctrl.signal.reason as { message?: string } | undefined;
      return `the download was aborted (${r?.message ?? 'stopped'})`;
    },
  };
}

/** Rejects as soon as `signal` aborts (a stalled body read may otherwise never settle). */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

async function readBody(response: Response, onBytes: (n: number) => void): Promise<Uint8Array> {
  if (!response.body || typeof response.body.getReader !== 'function') {
    const buf = new Uint8Array(await response.arrayBuffer());
    onBytes(buf.length);
    return buf;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    onBytes(size);
  }
  const out = new Uint8Array(size);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

async function verify(bytes: Uint8Array, entry: FileEntry | null): Promise<string | null> {
  if (!entry) return null;
  if (bytes.length !== entry.bytes) return `${bytes.length} bytes instead of ${entry.bytes}`;
  const hash = await sha256Hex(bytes);
  return hash === entry.sha256 ? null : `SHA-256 ${hash.slice(0, 12)}… instead of ${entry.sha256.slice(0, 12)}…`;
}

/**
 * Options of `fetchDataFile`: the manifest entry to verify against, the progress tracker and the
 * network-first policy.
 */
export interface FetchOptions {
  /** Expected size and hash (from the manifest); the file is rejected if it differs. */
  entry?: FileEntry | null;
  /** Where progress goes. */
  tracker?: ProgressTracker;
  /** Ask the network first and fall back to the cache (used for the manifest). */
  networkFirst?: boolean;
}

/**
 * Fetches one data file as bytes. Cached copies are keyed by URL plus the expected hash, so a
 * re-converted data set is never confused with an old one. Throws `DataUnavailableError`.
 */
export async function fetchDataFile(url: string, options: FetchOptions = {}): Promise<Uint8Array> {
  const { entry = null, tracker, networkFirst = false } = options;
  const name = fileName(url);
  const cache = await openCache();
  const key = cacheKey(url, entry);

  const fromCache = async (): Promise<Uint8Array | null> => {
    if (!cache) return null;
    try {
      const hit = await cache.match(key);
      if (!hit) return null;
      const bytes = new Uint8Array(await hit.arrayBuffer());
      const problem = await verify(bytes, entry);
      if (problem === null) {
        tracker?.update(name, bytes.length);
        return bytes;
      }
      dataConfig().warn(`The cached copy of ${name} is damaged (${problem}); fetching it again.`);
      await cache.delete(key);
    } catch {
      /* a broken cache entry is simply fetched again */
    }
    return null;
  };

  if (!networkFirst) {
    const cached = await fromCache();
    if (cached) return cached;
  }

  const dog = watchdog();
  let response: Response;
  let bytes: Uint8Array;
  try {
    try {
      const init: RequestInit = { signal: dog.signal, ...(networkFirst ? { cache: 'no-cache' as RequestCache } : {}) };
      response = await abortable(dataConfig().fetch(url, init), dog.signal);
      dog.alive();
    } catch (err) {
      const cached = networkFirst ? await fromCache() : null;
      if (cached) return cached;
      throw new DataUnavailableError('Could not fetch the IMDB data', url, dog.why() ?? (err as Error)?.message ?? String(err));
    }
    if (!response.ok) {
      const cached = networkFirst ? await fromCache() : null;
      if (cached) return cached;
      const what = response.status === 404 ? 'The IMDB data is not on this site (never downloaded?)' : 'Could not fetch the IMDB data';
      throw new DataUnavailableError(what, url, `HTTP ${response.status}`);
    }
    try {
      bytes = await abortable(
        readBody(response, (n) => {
          dog.alive();
          tracker?.update(name, n);
        }),
        dog.signal,
      );
    } catch (err) {
      throw new DataUnavailableError('The download of the IMDB data broke off', url, dog.why() ?? (err as Error)?.message);
    }
  } finally {
    dog.done();
  }
  const problem = await verify(bytes, entry);
  if (problem) {
    throw new DataUnavailableError('An IMDB data file on the site is corrupt or out of date', url, problem);
  }
  if (cache) {
    try {
      await cache.put(key, new Response(bytes as unknown as BodyInit, { headers: { 'content-type': 'application/octet-stream' } }));
    } catch {
      /* quota exceeded: works, just not cached */
    }
  }
  return bytes;
}

/** Cache key of a file fetched with an expected entry (what `fetchDataFile` stores). */
export function cacheKey(url: string, entry: FileEntry | null): string {
  return entry ? `${url}?sha256=${entry.sha256}` : url;
}

/**
 * Deletes cached files under `prefix` that are not in `keep` (left over from an older
 * conversion). Best effort: caches without `keys()` or failures are ignored.
 */
export async function pruneCache(prefix: string, keep: Set<string>): Promise<void> {
  const cache = await openCache();
  if (!cache || typeof cache.keys !== 'function') return;
  try {
    for (const request of await cache.keys()) {
      if (request.url.startsWith(prefix) && !keep.has(request.url)) await cache.delete(request);
    }
  } catch {
    /* ignore */
  }
}
