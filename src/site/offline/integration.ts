/**
 * The offline copy, made at build time (an Astro integration, `astro:build:done`):
 *
 * 1. runs Pagefind on the output (`pagefind --site <out>`, reading pagefind.yml): this is the one
 *    place the build makes the search index (`npm run build` is just `astro build`), and it
 *    comes first so the index is part of the build's file list;
 * 2. lists every file of the build, except the IMDB data (`data/`, large and optional: cached on
 *    first use instead; its small availability flag `data/imdb-available.json` is kept, so a
 *    reader offline is told "no real data here" instead of the page trying the manifest), source
 *    maps, KaTeX's .woff/.ttf fallbacks (every browser that has service workers takes .woff2),
 *    and the hosts' configuration files (`_headers`, `_redirects`: Netlify and Cloudflare Pages
 *    read them and never serve them, so fetching them would fail the whole install);
 * 3. writes `sw.js` at the root of the output: `self.__PRECACHE = { version, base, files }` plus
 *    src/site/offline/service-worker.js. The version is a hash of the listed files' paths and
 *    contents, so any change to the site makes a new version (and old caches are dropped), and an
 *    unchanged rebuild keeps the readers' caches.
 *
 * The page side (registration, update notice) is src/ui/offline.ts.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { filesUnder } from '../build-files';

/** What `sw.js` is told about the build. */
export interface PrecacheManifest {
  /** 16 hex digits of SHA-256 over the listed files (path and content). */
  version: string;
  /** The site base, e.g. `/rnn-notebook/` (always with a trailing slash). */
  base: string;
  /** URLs relative to the base: `''` (home), `lessons/lstm/`, `_astro/worker-….js`, `pagefind/…`. */
  files: string[];
}

const SKIP = [/^data\/(?!imdb-available\.json$)/, /\.map$/, /(^|\/)sw\.js$/, /^_astro\/KaTeX_[^/]*\.(woff|ttf)$/, /^_(headers|redirects)$/];

/** Lists the build in `outDir` and hashes it (exported for tests). */
export function buildManifest(outDir: string, base: string): PrecacheManifest {
  const root = base.endsWith('/') ? base : `${base}/`;
  const hash = createHash('sha256');
  const files: string[] = [];
  for (const path of filesUnder(outDir)) {
    if (SKIP.some((re) => re.test(path))) continue;
    hash.update(path).update('\0').update(readFileSync(join(outDir, path))).update('\0');
    files.push(path === 'index.html' ? '' : path.endsWith('/index.html') ? path.slice(0, -'index.html'.length) : path);
  }
  return { version: hash.digest('hex').slice(0, 16), base: root, files };
}

/** The text of `sw.js` for a manifest. */
export function serviceWorkerSource(manifest: PrecacheManifest): string {
  const body = readFileSync(fileURLToPath(new URL('./service-worker.js', import.meta.url)), 'utf8');
  return `self.__PRECACHE = ${JSON.stringify(manifest)};\n${body}`;
}

/** The integration: add it to `integrations` in astro.config.mjs. */
export default function offline(): AstroIntegration {
  let base = '/';
  return {
    name: 'rnn-notebook-offline',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base;
      },
      'astro:build:done': ({ dir, logger }) => {
        const outDir = fileURLToPath(dir);
        execFileSync('npx', ['pagefind', '--site', outDir], { stdio: 'inherit' });
        const manifest = buildManifest(outDir, base);
        writeFileSync(join(outDir, 'sw.js'), serviceWorkerSource(manifest));
        logger.info(`sw.js: ${manifest.files.length} files, version ${manifest.version}`);
      },
    },
  };
}
