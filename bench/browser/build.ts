/**
 * Bundles the benchmark worker with esbuild into a temporary folder: `fused.js` (tfjs +
 * src/rnn) and `stock.js` (tfjs only), plus an empty page to host them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** `readable`: not minified (function names in CPU profiles). */
export async function buildBrowserBench(readable = false): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'rnn-bench-'));
  for (const [name, withRnn] of [['fused', true], ['stock', false]] as const) {
    await build({
      entryPoints: [join(here, 'worker.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: !readable,
      splitting: false,
      outfile: join(out, `${name}.js`),
      define: { RNN_BUNDLE: String(withRnn) },
      logLevel: 'error',
    });
  }
  writeFileSync(join(out, 'index.html'), '<!doctype html><meta charset="utf-8"><title>rnn bench</title><p>rnn bench</p>\n');
  return out;
}
