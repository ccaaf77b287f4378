/**
 * `npm run lighthouse`: Lighthouse 12 mobile performance of every page of the built site,
 * served the way a real host serves it (gzip), median of 3 runs per page.
 *
 *   npm run lighthouse                      build into dist-lighthouse/, then measure every page
 *   npm run lighthouse -- --no-build        reuse dist-lighthouse/ (or --dir DIR)
 *   npm run lighthouse -- --runs 5 --only lstm,gru
 *   npm run lighthouse -- --no-build --dir dist-e2e --base /rnn-notebook/   (a build made under a sub-path)
 *   npm run lighthouse -- --keep /tmp/lh-reports   also write each run's full Lighthouse JSON report there
 *   npm run lighthouse -- --render-document   run Chromium with its own default features (see below)
 *
 * The site is served on 127.0.0.1 under the site's base path with `Content-Encoding: gzip` for
 * text assets (HTML, JS, CSS, JSON, SVG, wasm). Lighthouse runs with its default mobile settings
 * (simulated slow 4G, 4x CPU slowdown) against Chromium (CHROME_PATH, default /usr/bin/chromium).
 * Simulated throttling scales what the machine really does, so a loaded machine gives lower
 * scores: record `uptime` next to any figure (the script prints it).
 *
 * Held first paint. Lighthouse launches Chromium through chrome-launcher, which disables
 * Chromium's `RenderDocument` feature (a workaround for tooling bugs; Chromium enables it by
 * default, Puppeteer and Playwright no longer disable it). With it disabled, the browser stops
 * drawing the page's early frames and, about 0.2 s into the load, sends it one frame request a
 * second (Lighthouse issue #17148: viz throttling an "unresponsive" frame sink). A page that
 * commits its first frame early paints at once (~0.3 s) or at ~1.25 s; one that has committed
 * nothing by the ~1.2 s request paints at ~2.25 s (PERFORMANCE.md, "The first frame in time").
 * The observed paint feeds Lighthouse's Speed Index (1.4x the observed one), so the same page
 * scores 97 or 89 depending on the slot; #17148 reports the same on PageSpeed Insights. Each
 * run's observed first paint and load are printed (`held` counts runs that painted more than
 * 0.5 s after load); `--render-document` keeps chrome-launcher's other flags but leaves
 * RenderDocument on, as in the browser a reader runs. Report which setting a figure comes from.
 */
import { Launcher } from 'chrome-launcher';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cliOptions } from './cli-options';

const root = resolve(import.meta.dirname, '..');
const { flag, value: option } = cliOptions('lighthouse', {
  '--no-build': '',
  '--dir': 'DIR',
  '--base': '/path/',
  '--runs': 'N',
  '--only': 'a,b',
  '--keep': 'DIR',
  '--render-document': '',
});
const dir = resolve(root, option('--dir') ?? 'dist-lighthouse');
const runs = Number(option('--runs') ?? 3);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('npm run lighthouse: --runs takes a positive integer');
  process.exit(1);
}
const only = option('--only')?.split(',').filter(Boolean);
const keep = option('--keep') ? resolve(option('--keep')!) : undefined;
if (keep) mkdirSync(keep, { recursive: true });
const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const renderDocument = flag('--render-document');
/**
 * Chromium's flags for Lighthouse, worked out once before anything is built or served:
 * headless, and with --render-document chrome-launcher's own `--disable-features` list again
 * without RenderDocument (a later `--disable-features` replaces the earlier one, so the rest of
 * the list has to be repeated).
 */
const chromeFlags = (() => {
  const flags = ['--headless=new', '--no-sandbox', '--disable-gpu'];
  if (renderDocument) {
    const disabled = Launcher.defaultFlags().find((f) => f.startsWith('--disable-features='));
    if (!disabled?.includes('RenderDocument')) {
      // chrome-launcher changed: its flags no longer disable RenderDocument, nothing to undo.
      console.error('npm run lighthouse: chrome-launcher no longer disables RenderDocument; --render-document is not needed');
      process.exit(1);
    }
    const features = disabled.slice('--disable-features='.length).split(',').filter((f) => f !== 'RenderDocument');
    flags.push(`--disable-features=${features.join(',')}`);
  }
  return flags.join(' ');
})();
const base = option('--base') ?? '/';
if (!base.startsWith('/') || !base.endsWith('/')) {
  console.error('npm run lighthouse: --base must start and end with "/" (e.g. /rnn-notebook/)');
  process.exit(1);
}
if (!flag('--no-build') && base !== '/') {
  console.error('npm run lighthouse: --base is for an existing build (with --no-build); builds here use "/"');
  process.exit(1);
}

if (!flag('--no-build')) {
  execFileSync('npx', ['astro', 'build', '--outDir', dir], { cwd: root, stdio: 'inherit' });
}
if (!existsSync(join(dir, 'index.html'))) {
  console.error(`npm run lighthouse: no build in ${dir} (run without --no-build)`);
  process.exit(1);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESS = new Set(['.html', '.js', '.css', '.json', '.svg', '.wasm', '.txt', '.ttf']);
const cache = new Map<string, Buffer>();

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = decodeURIComponent(url.pathname);
  if (!path.startsWith(base)) return void res.writeHead(404).end('not under base');
  let file = normalize(join(dir, path.slice(base.length - 1)));
  if (!file.startsWith(dir)) return void res.writeHead(403).end();
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) return void res.writeHead(404).end('not found');
  const ext = extname(file);
  const headers: Record<string, string> = { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
  let body: Buffer = readFileSync(file);
  if (COMPRESS.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    body = cache.get(file) ?? gzipSync(body, { level: 6 });
    cache.set(file, body);
    headers['content-encoding'] = 'gzip';
    headers.vary = 'accept-encoding';
  }
  res.writeHead(200, headers).end(body);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;
const origin = `http://127.0.0.1:${port}`;

// Lesson pages are the folders with an index.html (lessons/<slug>.ipynb files sit beside them).
const lessonDirs = readdirSync(join(dir, 'lessons')).filter((s) => existsSync(join(dir, 'lessons', s, 'index.html')));
const pages = ['', ...lessonDirs.map((s) => `lessons/${s}/`)].filter(
  (p) => !only || only.some((o) => p === o || p === `lessons/${o}/` || (o === 'home' && p === '')),
);

interface Run {
  score: number;
  fcp: number;
  lcp: number;
  tbt: number;
  cls: number;
  si: number;
  dom: number;
  /** Main-thread time in "Style & Layout" (Lighthouse's mainthread-work-breakdown), ms. */
  style: number;
  /** Main-thread time in "Script Evaluation", ms. */
  script: number;
  /** When the page really painted first / fired load, unthrottled (Lighthouse's observed metrics), ms. */
  observedFcp: number;
  observedLoad: number;
}

/** Milliseconds of one group of Lighthouse's main-thread breakdown (0 when absent). */
function breakdown(audit: { details?: { items?: { group: string; duration: number }[] } } | undefined, group: string): number {
  return audit?.details?.items?.find((i) => i.group === group)?.duration ?? 0;
}

/** One Lighthouse run, as a child process (async: this process serves the pages meanwhile). */
async function lighthouse(url: string): Promise<Run> {
  const out = mkdtempSync(join(tmpdir(), 'lh-'));
  const report = join(out, 'report.json');
  const child = spawn(
    process.execPath,
    [
      resolve(root, 'node_modules/lighthouse/cli/index.js'),
      url,
      '--only-categories=performance',
      '--output=json',
      `--output-path=${report}`,
      '--quiet',
      `--chrome-flags=${chromeFlags}`,
    ],
    { env: { ...process.env, CHROME_PATH: chrome }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise<number | null>((r) => child.on('close', r));
  if (status !== 0 || !existsSync(report)) {
    rmSync(out, { recursive: true, force: true });
    throw new Error(`lighthouse failed on ${url} (exit ${status}): ${stderr.slice(-2000)}`);
  }
  const lhr = JSON.parse(readFileSync(report, 'utf8'));
  if (keep) copyFileSync(report, join(keep, `${new URL(url).pathname.replace(/\W+/g, '_')}${Date.now()}.json`));
  rmSync(out, { recursive: true, force: true });
  const a = lhr.audits;
  const observed = a.metrics?.details?.items?.[0] ?? {};
  return {
    score: Math.round(lhr.categories.performance.score * 100),
    fcp: a['first-contentful-paint'].numericValue,
    lcp: a['largest-contentful-paint'].numericValue,
    tbt: a['total-blocking-time'].numericValue,
    cls: a['cumulative-layout-shift'].numericValue,
    si: a['speed-index'].numericValue,
    dom: a['dom-size']?.numericValue ?? NaN,
    style: breakdown(a['mainthread-work-breakdown'], 'styleLayout'),
    script: breakdown(a['mainthread-work-breakdown'], 'scriptEvaluation'),
    observedFcp: observed.observedFirstContentfulPaint ?? NaN,
    observedLoad: observed.observedLoad ?? NaN,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `Lighthouse 12 mobile, gzip, ${runs} run(s) per page, ` +
    `${renderDocument ? 'RenderDocument on (Chromium default)' : "chrome-launcher's flags (RenderDocument off)"}, ` +
    `load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
);
console.log(
  'page'.padEnd(34) +
    'median  scores        FCP ms  LCP ms  TBT ms  SI ms  CLS    DOM    style+layout ms  script ms  ' + 'observed paint/load ms'.padEnd(Math.max(24, runs * 10 + 2)) + 'held',
);
let failed = false;
try {
  for (const p of pages) {
    const rs: Run[] = [];
    for (let i = 0; i < runs; i++) rs.push(await lighthouse(`${origin}${base}${p}`));
    const m = (k: keyof Run) => median(rs.map((r) => r[k]));
    const score = m('score');
    if (score < 95) failed = true;
    console.log(
      `/${p}`.padEnd(34) +
        `${String(score).padEnd(8)}${rs.map((r) => r.score).join(',').padEnd(14)}` +
        `${m('fcp').toFixed(0).padStart(6)}  ${m('lcp').toFixed(0).padStart(6)}  ${m('tbt').toFixed(0).padStart(6)}  ` +
        `${m('si').toFixed(0).padStart(5)}  ${m('cls').toFixed(3)}  ${String(m('dom')).padEnd(7)}` +
        `${m('style').toFixed(0).padStart(15)}  ${m('script').toFixed(0).padStart(9)}  ` +
        `${rs.map((r) => `${r.observedFcp.toFixed(0)}/${r.observedLoad.toFixed(0)}`).join(',').padEnd(Math.max(24, runs * 10 + 2))}` +
        `${rs.filter((r) => r.observedFcp - r.observedLoad > 500).length}/${rs.length}`,
    );
  }
} finally {
  server.close();
}
console.log(`load after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (failed) console.log('At least one page is below 95.');
