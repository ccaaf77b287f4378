/**
 * `configureData`: how the data layer reaches the site and reports to the page. The kernel
 * calls it once, in the worker, before any cell runs.
 */
import { ValueError } from '../errors';
import { checkArgCount, checkOptions, rule } from './validate';

/** Download progress callback: bytes `loaded` of `total` for `label`; `done` on its last call. */
export type ProgressFn = (label: string, loaded: number, total: number, done: boolean) => void;

/** What `configureData` accepts; every field is optional and only the given ones change. */
export interface DataConfig {
  /**
   * The site's base URL (where `public/` is served, Astro's `BASE_URL`, e.g. `/rnn-notebook/`
   * or `https://host/rnn-notebook/`). IMDB is read from `${baseUrl}data/imdb/`. A relative
   * value is resolved against the worker's location. Default: `/`.
   */
  baseUrl?: string;
  /** Download progress (bytes); `done` is true on the last call for a label. */
  onProgress?: ProgressFn;
  /** Notices for the reader (e.g. "using the toy stand-in"); the kernel shows them on stderr. */
  warn?: (message: string) => void;
  /** A fetch implementation (tests); default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Use the Cache API when it exists (default true). */
  useCache?: boolean;
  /**
   * A download that receives nothing (no response, or no bytes) for this long is abandoned with
   * a `DataUnavailableError` saying it stalled, and a later call tries again (default 30,000 ms).
   */
  stallTimeoutMs?: number;
}

interface ResolvedConfig {
  baseUrl: string;
  onProgress: ProgressFn;
  warn: (message: string) => void;
  fetch: typeof fetch;
  useCache: boolean;
  stallTimeoutMs: number;
}

const state: ResolvedConfig = {
  baseUrl: '/',
  onProgress: () => {},
  warn: (message) => console.warn(message),
  fetch: (...args) => globalThis.fetch(...args),
  useCache: true,
  stallTimeoutMs: 30_000,
};

/** Listeners told when the configuration changes (the IMDB loader drops its memory cache). */
const listeners: Array<() => void> = [];

/** Registers `fn` to be called after every `configureData` call. */
export function onConfigChange(fn: () => void): void {
  listeners.push(fn);
}

/** Sets where data comes from and where progress and notices go. Later calls override earlier ones. */
export function configureData(config: DataConfig = {}): void {
  checkArgCount('configureData', arguments.length, 'config');
  checkOptions('configureData', config, {
    baseUrl: rule.string(),
    onProgress: rule.function(),
    warn: rule.function(),
    fetch: rule.function(),
    useCache: rule.boolean(),
    stallTimeoutMs: null,
  });
  if (config.baseUrl !== undefined) state.baseUrl = config.baseUrl;
  if (config.onProgress) state.onProgress = config.onProgress;
  if (config.warn) state.warn = config.warn;
  if (config.fetch) state.fetch = config.fetch;
  if (config.useCache !== undefined) state.useCache = config.useCache;
  if (config.stallTimeoutMs !== undefined) {
    if (!(config.stallTimeoutMs > 0)) throw new ValueError(`configureData: stallTimeoutMs must be a positive number of milliseconds, got ${config.stallTimeoutMs}`);
    state.stallTimeoutMs = config.stallTimeoutMs;
  }
  for (const fn of listeners) fn();
}

/** The current configuration, with defaults filled in. */
export function dataConfig(): Readonly<ResolvedConfig> {
  return state;
}

/** Resolves a path under the site base into an absolute URL string when possible. */
export function siteUrl(path: string): string {
  let base = state.baseUrl || '/';
  if (!base.endsWith('/')) base += '/';
  const joined = base + path.replace(/^\//, '');
  const loc = (globalThis as { location?: { href: string } }).location;
  try {
    return new URL(joined, loc?.href).href;
  } catch {
    return joined;
  }
}
