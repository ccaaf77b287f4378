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
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launch } from '../tests/e2e/browser';
import { openNotebook, outputText, runCell, setCellCode, waitForState } from '../tests/e2e/notebook-helpers';
import { startStaticServer } from '../tests/e2e/static-server';
import { makeNpz, makeReviews, makeWordIndex } from '../tests/fixtures/data/imdb-fixtures';
import { runDataCommand } from '../scripts/data-lib/cli';
import { AVAILABILITY_FILE } from '../src/rnn/data/imdb-format';
import { inclusiveTimes, pageProfiler, pageTracer, summarize, threadCpuDelta, threadCpuMs, treeCpuMs, workerProfiler, type CpuProfile } from './profile';

const BASE = '/rnn-notebook/';

/**
 * Builds the site into `outDir` (inside the project: see tests/e2e/global-setup.ts).
 * `readable`: not minified (bench/astro.readable.config.mjs), so CPU profiles name functions.
 */
function buildSite(root: string, outDir: string, readable: boolean): void {
  const env: NodeJS.ProcessEnv = { ...process.env, BASE_PATH: BASE };
  for (const k of Object.keys(env)) if (/^(BASE_URL|DEV|PROD|SSR|MODE|NODE_ENV|VITEST.*)$/.test(k)) delete env[k];
  const config = readable ? ['--config', 'bench/astro.readable.config.mjs'] : [];
  execFileSync('npx', ['astro', 'build', ...config, '--outDir', outDir], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** What the site is built from: a build older than any of these is stale. */
const SOURCES = ['src', 'content', 'public', 'astro.config.mjs', 'package-lock.json'];

/** Newest modification time (ms) of a file or of any file below a folder; 0 when missing. */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/**
 * Whether `outDir` has to be (re)built: no build yet, or a source file changed after it was
 * made. (A build kept from before an edit once made this bench time old training code.)
 */
export function buildIsStale(root: string, outDir: string): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(root, s)) > built);
}

/**
 * Functions whose inclusive time the profile summary prints (tfjs-layers' fit loop and its
 * parts, the fit instrumentation's callback and the kernel's messages).
 */
const WORKER_PHASES = [
  'fit',
  'fitLoop',
  'testLoop',
  'sliceArraysByIndices',
  'onBatchBegin',
  'onBatchEnd',
  'onEpochEnd',
  'resolveScalarsInLogs',
  'disposeTensorsInLogs',
  'kerasLogs',
  'progress',
  'postMessage',
  'macrotask',
  'handle',
];

/** The data cells' size line; the lessons' comments also name `REVIEWS = 2000, EPOCHS = 2`, without `const`. */
const SIZE_LINE = /const REVIEWS = \d+, EPOCHS = \d+/;

/** A data cell's source set to train on `reviews` reviews for `epochs` epochs; null if it has no size line. */
export function withSize(source: string, reviews: number, epochs: number): string | null {
  return SIZE_LINE.test(source) ? source.replace(SIZE_LINE, `const REVIEWS = ${reviews}, EPOCHS = ${epochs}`) : null;
}

export interface PageBenchResult {
  /** Wall seconds from clicking Run on the training cell to its `done` state. */
  trainSeconds: number;
  /** The training cell's last progress line (e.g. `782/782 ... 3s 4ms/step`). */
  progress: string;
  reviews: number;
  epochs: number;
  data: string;
  /** Wall seconds of the cells run before training (data: includes loading tfjs; build), by cell id. */
  setupSeconds: Record<string, number>;
  /** CPU seconds of the whole Chromium process tree from Run to done (all threads, all processes). */
  chromiumCpuSeconds?: number;
  /** The threads that spent that CPU time (Linux), largest first. */
  threads?: string;
  /** With `profile`: printable summaries and where the .cpuprofile files are. */
  profile?: string[];
}

/**
 * Runs the lesson. `dist`: an existing build to reuse as it is (else one is made in
 * `<root>/dist-bench-page`, kept for the next run and remade when `rebuild` or when a source
 * file is newer than it).
 */
export async function runPageBench(root: string, opts: { dist?: string; rebuild?: boolean; reviews?: number; epochs?: number; profile?: boolean; reducedMotion?: boolean }): Promise<PageBenchResult> {
  const reviews = opts.reviews ?? 25000;
  const epochs = opts.epochs ?? 1;
  const outDir = resolve(root, opts.dist ?? (opts.profile ? 'dist-bench-page-readable' : 'dist-bench-page'));
  const reuse = opts.dist !== undefined && existsSync(join(outDir, 'index.html'));
  if (opts.rebuild || (!reuse && buildIsStale(root, outDir))) buildSite(root, outDir, !!opts.profile);
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
    const { page } = await openNotebook(browser, new URL('lessons/lstm/', server.url).href, { sections: 'on-screen' });
    if (opts.reducedMotion) await page.emulateMedia({ reducedMotion: 'reduce' });
    const ids = await page.$$eval('rnn-cell', (cells) => cells.map((c) => (c as HTMLElement).dataset.cellId ?? ''));
    const at = (id: string) => {
      const i = ids.indexOf(id);
      if (i < 0) throw new Error(`the LSTM lesson has no cell '${id}' (cells: ${ids.join(', ')})`);
      return i;
    };
    const iData = at('lstm-data');
    const source = await page.$eval(`rnn-cell[data-cell-id="lstm-data"]`, (c) => (c as HTMLElement).dataset.source ?? '');
    const sized = withSize(source, reviews, epochs);
    if (sized === null) throw new Error(`the data cell no longer sets 'REVIEWS = …, EPOCHS = …':\n${source}`);
    await setCellCode(page, iData, sized);
    const setupSeconds: Record<string, number> = {};
    for (const id of ['lstm-data', 'lstm-build']) {
      const t = Date.now();
      await runCell(page, at(id));
      const state = await waitForState(page, at(id), ['done', 'error'], 600_000);
      if (state !== 'done') throw new Error(`cell ${id}: ${state}\n${await outputText(page, at(id))}`);
      setupSeconds[id] = (Date.now() - t) / 1000;
    }
    const dataOut = await outputText(page, iData);
    const iTrain = at('lstm-train');
    // Chromium is a child of this process: its CPU time is our process tree's minus ours.
    const chromiumCpuMs = () => {
      const own = process.cpuUsage();
      return treeCpuMs(process.pid) - (own.user + own.system) / 1000;
    };
    let profilers: {
      worker: Awaited<ReturnType<typeof workerProfiler>>;
      main: Awaited<ReturnType<typeof pageProfiler>>;
      trace: Awaited<ReturnType<typeof pageTracer>>;
    } | null = null;
    if (opts.profile) {
      const worker = await workerProfiler(await browser.newBrowserCDPSession(), 'worker');
      const main = await pageProfiler(await page.context().newCDPSession(page));
      const trace = await pageTracer(await page.context().newCDPSession(page));
      await worker.start();
      await main.start();
      await trace.start();
      profilers = { worker, main, trace };
    }
    const threads0 = threadCpuMs(process.pid);
    const cpu0 = chromiumCpuMs();
    const t0 = Date.now();
    // Waiting by polling (waitForState: Playwright's waitForFunction polls every animation
    // frame) keeps the page's main thread rendering 60 frames a second, which a reader's page
    // does not do and which takes a core from the kernel worker on a 2-core machine: wait for
    // the state attribute with a MutationObserver instead.
    // (A string, not a function: tsx would wrap named functions in a helper the page lacks.)
    const settled = page.evaluate(`new Promise((resolve) => {
      const el = document.querySelectorAll('rnn-cell')[${iTrain}];
      const obs = new MutationObserver(() => {
        const s = el.dataset.state || '';
        if (s === 'done' || s === 'error') { obs.disconnect(); resolve(s); }
      });
      obs.observe(el, { attributes: true, attributeFilter: ['data-state'] });
    })`) as Promise<string>;
    await runCell(page, iTrain);
    const state = await settled;
    const trainSeconds = (Date.now() - t0) / 1000;
    const chromiumCpuSeconds = process.platform === 'linux' ? (chromiumCpuMs() - cpu0) / 1000 : undefined;
    const threads = process.platform === 'linux' ? threadCpuDelta(threads0, threadCpuMs(process.pid)) : undefined;
    const summaries: string[] = [];
    if (profilers) {
      summaries.push(`# page main thread, trace events (total ms/count): ${await profilers.trace.stop()}`);
      const dir = mkdtempSync(join(tmpdir(), 'rnn-bench-page-profiles-'));
      for (const [name, prof] of [
        ['page-worker', await profilers.worker.stop()],
        ['page-main', await profilers.main.stop()],
      ] as [string, CpuProfile][]) {
        const file = join(dir, `${name}.cpuprofile`);
        writeFileSync(file, JSON.stringify(prof));
        summaries.push(summarize(`${name} (${file})`, prof, 25));
        const incl = inclusiveTimes(prof, name === 'page-worker' ? WORKER_PHASES : []);
        const sampled = (prof.endTime - prof.startTime) / 1000;
        summaries.push(
          `# ${name} inclusive: busy ${(sampled - incl.get('(idle)')!).toFixed(0)} ms of ${sampled.toFixed(0)} ms; ` +
            [...incl.entries()].filter(([k]) => k !== '(idle)').map(([k, ms]) => `${k} ${ms.toFixed(0)}`).join(', '),
        );
      }
    }
    const out = await outputText(page, iTrain);
    if (state !== 'done') throw new Error(`training cell: ${state}\n${out}`);
    const progress = out.split('\n').filter((l) => /\d+\/\d+/.test(l)).pop()?.trim() ?? '';
    const data = /toy/i.test(dataOut) ? 'toy fallback (IMDB files missing)' : 'IMDB-format fixtures (tests/fixtures/data), 25,000 + 25,000 reviews';
    return { trainSeconds, setupSeconds, progress, reviews, epochs, data, chromiumCpuSeconds, threads, profile: summaries.length ? summaries : undefined };
  } finally {
    await browser.close();
    await server.close();
  }
}
