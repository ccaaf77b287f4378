/**
 * The build's precache list (src/site/offline/integration.ts): every file of the output except the
 * IMDB data, source maps, sw.js itself and KaTeX's non-woff2 fonts; pages as their directory URL;
 * a version that changes with any listed file's content and only then.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildManifest, serviceWorkerSource } from '../../src/site/offline/integration';

const dir = mkdtempSync(join(tmpdir(), 'rnn-offline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function put(path: string, text: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

describe('precache manifest', () => {
  put('index.html', 'home');
  put('404.html', 'missing');
  put('lessons/lstm/index.html', 'lstm');
  put('lessons/lstm.ipynb', '{}');
  put('_astro/worker-abc.js', 'worker');
  put('_astro/worker-abc.js.map', 'map');
  put('_astro/KaTeX_Main-Regular.x.woff2', 'w2');
  put('_astro/KaTeX_Main-Regular.x.woff', 'w1');
  put('_astro/KaTeX_Main-Regular.x.ttf', 'ttf');
  put('pagefind/index/en_1.pf_index', 'idx');
  put('data/imdb/x_train.bin', 'big');
  put('data/imdb-available.json', '{"imdb":false}');
  put('_headers', '/*\n  X-Content-Type-Options: nosniff');
  put('_redirects', '/old /new');
  put('sw.js', 'old');

  it('lists the build under the base, pages as directories', () => {
    const m = buildManifest(dir, '/course');
    expect(m.base).toBe('/course/');
    expect(m.files.sort()).toEqual(
      // Not the IMDB data (cached on first use) but its availability flag; not the hosts' own
      // files (_headers, _redirects), which they never serve: one failed fetch fails the install.
      ['', '404.html', '_astro/KaTeX_Main-Regular.x.woff2', '_astro/worker-abc.js', 'data/imdb-available.json', 'lessons/lstm.ipynb', 'lessons/lstm/', 'pagefind/index/en_1.pf_index'].sort(),
    );
    expect(m.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes the version when a listed file changes, not for skipped files', () => {
    const v1 = buildManifest(dir, '/').version;
    put('data/imdb/x_train.bin', 'other');
    put('sw.js', 'other');
    expect(buildManifest(dir, '/').version).toBe(v1);
    put('lessons/lstm/index.html', 'lstm v2');
    expect(buildManifest(dir, '/').version).not.toBe(v1);
  });

  it('puts the manifest in front of the service worker source', () => {
    const m = buildManifest(dir, '/');
    const src = serviceWorkerSource(m);
    expect(src.startsWith(`self.__PRECACHE = ${JSON.stringify(m)};\n`)).toBe(true);
    expect(src).toContain("addEventListener('fetch'");
  });
});
