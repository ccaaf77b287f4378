/**
 * The real page, the way a reader trains the course model: builds the site, serves it with
 * IMDB data in the site's format, opens the LSTM lesson in headless Chromium, edits its data
 * cell to the course setting (`REVIEWS = 25000, EPOCHS = 1` by default), runs the data,
 * model and training cells, and reports the training cell's wall time (one epoch plus
 * validation) and its Keras-style progress line.
 *
 * No network: the data are the e2e tests' IMDB-format fixtures (tests/fixtures/data:
 * synthetic reviews in Keras's `imdb.npz` layout, 25,000 train + 25,000 test), converted by
 * the real `npm run data` code into the built site. Speed does not depend on the words: the
 * model always sees 25,000 x 100 ids.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launch } from '../tests/e2e/browser';
import { openNotebook, outputText, runCell, setCellCode, waitForState } from '../tests/e2e/notebook-helpers';
import { startStaticServer } from '../tests/e2e/static-server';
import { makeNpz, makeReviews, makeWordIndex } from '../tests/fixtures/data/imdb-fixtures';
import { runDataCommand } from '../scripts/data-lib/cli';
import { AVAILABILITY_FILE } from '../src/rnn/data/imdb-format';

const BASE = '/rnn-notebook/';

/** Builds the site into `outDir` (inside the project: see tests/e2e/global-setup.ts). */
function buildSite(root: string, outDir: string): void {
  const env: NodeJS.ProcessEnv = { ...process.env, BASE_PATH: BASE };
  for (const k of Object.keys(env)) if (/^(BASE_URL|DEV|PROD|SSR|MODE|NODE_ENV|VITEST.*)$/.test(k)) delete env[k];
  execFileSync('npx', ['astro', 'build', '--outDir', outDir], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

export interface PageBenchResult {
  /** Wall seconds from clicking Run on the training cell to its `done` state. */
  trainSeconds: number;
  /** The training cell's last progress line (e.g. `782/782 ... 3s 4ms/step`). */
  progress: string;
  reviews: number;
  epochs: number;
  data: string;
}

/**
 * Runs the lesson. `dist`: an existing build to reuse (else one is made in
 * `<root>/dist-bench-page`, kept for the next run unless `rebuild`).
 */
export async function runPageBench(root: string, opts: { dist?: string; rebuild?: boolean; reviews?: number; epochs?: number }): Promise<PageBenchResult> {
  const reviews = opts.reviews ?? 25000;
  const epochs = opts.epochs ?? 1;
  const outDir = resolve(root, opts.dist ?? 'dist-bench-page');
  if (opts.rebuild || !existsSync(join(outDir, 'index.html'))) buildSite(root, outDir);
  const dataDir = join(outDir, 'data', 'imdb');
  const tmp = mkdtempSync(join(tmpdir(), 'rnn-bench-imdb-'));
  try {
    writeFileSync(join(tmp, 'imdb.npz'), makeNpz(makeReviews(25000, 25000, 7)));
    writeFileSync(join(tmp, 'imdb_word_index.json'), JSON.stringify(makeWordIndex(400)));
    const logs: string[] = [];
    const code = await runDataCommand(['--from', join(tmp, 'imdb.npz'), '--out', dataDir], {
      cwd: root,
      inputCwd: tmp,
      log: (l) => logs.push(l),
      error: (l) => logs.push(l),
    });
    if (code !== 0) throw new Error(`npm run data failed:\n${logs.join('\n')}`);
    // The build wrote "no data" into the availability marker (the data came after it); the
    // loader reads the marker first, so say the data is there now.
    writeFileSync(join(outDir, AVAILABILITY_FILE), JSON.stringify({ imdb: true }));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const server = await startStaticServer(outDir, BASE);
  const browser = await launch();
  try {
    const { page } = await openNotebook(browser, new URL('lessons/lstm/', server.url).href);
    const ids = await page.$$eval('rnn-cell', (cells) => cells.map((c) => (c as HTMLElement).dataset.cellId ?? ''));
    const at = (id: string) => {
      const i = ids.indexOf(id);
      if (i < 0) throw new Error(`the LSTM lesson has no cell '${id}' (cells: ${ids.join(', ')})`);
      return i;
    };
    const iData = at('lstm-data');
    const source = await page.$eval(`rnn-cell[data-cell-id="lstm-data"]`, (c) => (c as HTMLElement).dataset.source ?? '');
    if (!/REVIEWS = \d+, EPOCHS = \d+/.test(source)) throw new Error(`the data cell no longer sets 'REVIEWS = …, EPOCHS = …':\n${source}`);
    await setCellCode(page, iData, source.replace(/REVIEWS = \d+, EPOCHS = \d+/, `REVIEWS = ${reviews}, EPOCHS = ${epochs}`));
    for (const id of ['lstm-data', 'lstm-build']) {
      await runCell(page, at(id));
      const state = await waitForState(page, at(id), ['done', 'error'], 600_000);
      if (state !== 'done') throw new Error(`cell ${id}: ${state}\n${await outputText(page, at(id))}`);
    }
    const dataOut = await outputText(page, iData);
    const iTrain = at('lstm-train');
    const t0 = Date.now();
    await runCell(page, iTrain);
    const state = await waitForState(page, iTrain, ['done', 'error'], 1_800_000);
    const trainSeconds = (Date.now() - t0) / 1000;
    const out = await outputText(page, iTrain);
    if (state !== 'done') throw new Error(`training cell: ${state}\n${out}`);
    const progress = out.split('\n').filter((l) => /\d+\/\d+/.test(l)).pop()?.trim() ?? '';
    const data = /toy/i.test(dataOut) ? 'toy fallback (IMDB files missing)' : 'IMDB-format fixtures (tests/fixtures/data), 25,000 + 25,000 reviews';
    return { trainSeconds, progress, reviews, epochs, data };
  } finally {
    await browser.close();
    await server.close();
  }
}
