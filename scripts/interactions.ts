/**
 * `npm run interactions -- --dir DIST [--base /]`: how long the LSTM lesson takes to answer a
 * keystroke in a cell's editor and a click on the theme toggle, in Chromium at 1280 px, from
 * Event Timing entries (the browser's own measure of input-to-next-paint, in 8 ms steps; only
 * interactions over 16 ms are reported, the rest count as "within a frame").
 *
 * Prints, per kind, how many interactions took more than one frame (16 ms), their median and
 * the worst, and the machine's load: figures from a loaded machine are upper bounds.
 *
 * Keys are typed twice: at the end of a short line (the editor does not move), and at the end of
 * a line longer than the editor is wide, so that it scrolls sideways at every key (CodeMirror
 * then measures its layout again).
 *
 * Then the floor: the same keystrokes in a bare CodeMirror 6 editor (`basicSetup` and the
 * JavaScript language, straight from node_modules through an import map) alone on an empty
 * page. What a keystroke costs there is what CodeMirror and the browser cost on this machine,
 * whatever the lesson page does; the lesson's figure is to be read against it.
 *
 * And the toggle's floor: a page of plain paragraphs filling the same 1280 x 900 viewport, whose
 * button swaps two CSS custom properties (background and text colour) on <html>, as the site's
 * toggle does. A theme change repaints the whole viewport whatever the page holds; this is what
 * that repaint alone costs here (software raster: no GPU on this machine).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Locator, type Page } from 'playwright-core';
import { findChromium } from '../tests/e2e/browser';
import { startStaticServer } from '../tests/e2e/static-server';
import { cliOptions } from './cli-options';

const cli = cliOptions('interactions', { '--dir': 'DIST', '--base': '/path/' });
const dir = resolve(cli.required('--dir', 'a built site, e.g. dist-lighthouse'));
const base = cli.value('--base') ?? '/';
const KEYS = ' // typed key by key, abcdefghij';
const TOGGLES = 8;

/** The ES-module packages a bare CodeMirror editor with the JavaScript language imports. */
const FLOOR_PACKAGES = [
  'codemirror',
  '@codemirror/autocomplete',
  '@codemirror/commands',
  '@codemirror/lang-javascript',
  '@codemirror/language',
  '@codemirror/lint',
  '@codemirror/search',
  '@codemirror/streamparser',
  '@codemirror/state',
  '@codemirror/view',
  '@lezer/common',
  '@lezer/highlight',
  '@lezer/javascript',
  '@lezer/lr',
  '@marijn/find-cluster-break',
  'crelt',
  'style-mod',
  'w3c-keyname',
];

const server = await startStaticServer(dir, base);
const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${server.url}lessons/lstm/`);
  await page.waitForSelector('html[data-notebook="ready"]');
  await watchInteractions(page);
  await page.waitForTimeout(500);
  const theme = await clickToggle(page, '.site-header .theme-toggle');
  const c = page.locator('rnn-cell').nth(1);
  await c.getByRole('button', { name: 'Edit cell 2', exact: true }).click();
  // Cell 2's line 1 is `const model = tf.sequential();`, its line 3 is 109 columns long.
  const typingShort = await typeAtLineEnd(page, c.locator('.cm-line').nth(0));
  const typingLong = await typeAtLineEnd(page, c.locator('.cm-line').nth(2));
  const report = (label: string, n: number, slow: number[]) => {
    // Event Timing reports durations of 16 ms and more (in 8 ms steps): 16 itself is within a frame.
    const s = slow.filter((d) => d > 16).sort((a, b) => a - b);
    const all = [...new Array(n - s.length).fill(16), ...s];
    console.log(
      `${label.padEnd(44)} ${n} interactions, ${s.length} over 16 ms; median ${all[Math.floor(all.length / 2)]! <= 16 ? '<= 16' : all[Math.floor(all.length / 2)]} ms, worst ${s.length ? s[s.length - 1] : '<= 16'} ms`,
    );
  };
  console.log(`LSTM lesson, Chromium, 1280 px, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  report('theme toggle', TOGGLES, theme);
  report('typing, short line', KEYS.length, typingShort);
  report('typing, long line (scrolls sideways)', KEYS.length, typingLong);

  const floor = await typingFloor();
  report('floor: bare CodeMirror, typing, short line', KEYS.length, floor.short);
  report('floor: bare CodeMirror, typing, long line', KEYS.length, floor.long);
  report('floor: plain page, theme toggle', TOGGLES, await toggleFloor());
} finally {
  await browser.close();
  await server.close();
}


/** Event Timing of KEYS typed at the end of a short and of a long line, in a bare CodeMirror editor. */
async function typingFloor(): Promise<{ short: number[]; long: number[] }> {
  const modules = resolve(import.meta.dirname, '..', 'node_modules');
  const imports: Record<string, string> = {};
  for (const name of FLOOR_PACKAGES) {
    const pkg = JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8'));
    const entry: string = pkg.module ?? pkg.exports?.['.']?.import ?? pkg.exports?.import;
    imports[name] = `/__floor/node_modules/${name}/${entry.replace(/^\.\//, '')}`;
  }
  // As in the lesson's cell 2 at 1280 px: a 900 px wide editor, a short first line, then lines
  // longer than the editor, so that typing at the end of one scrolls the editor sideways.
  const long = Array.from({ length: 11 }, (_, i) => `model.add(rnn.lstm({ units: 5 }));${' '.repeat(55)}// line ${i + 2}: 4*5*(32+5+1) = 760`);
  const doc = ['const model = tf.sequential();', ...long].join('\n');
  const html = `<!doctype html><html lang="en"><head><title>CodeMirror floor</title>
<script type="importmap">${JSON.stringify({ imports })}</script></head><body><div id="ed" style="width:900px;font:14px monospace"></div>
<script type="module">
import { EditorView, basicSetup } from 'codemirror';
import { javascript } from '@codemirror/lang-javascript';
window.view = new EditorView({ parent: document.getElementById('ed'), doc: ${JSON.stringify(doc)}, extensions: [basicSetup, javascript({ typescript: true })] });
</script></body></html>`;
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.route('**/__floor/**', (route) => {
    const path = new URL(route.request().url()).pathname.replace(/^\/__floor\//, '');
    if (path === '' || path === 'index.html') return route.fulfill({ contentType: 'text/html', body: html });
    return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(modules, path.replace(/^node_modules\//, ''))) });
  });
  page.on('pageerror', (e) => console.error('floor page:', String(e)));
  page.on('console', (m) => m.type() === 'error' && console.error('floor page:', m.text()));
  await page.goto(`${server.url}__floor/`);
  await page.waitForSelector('.cm-content');
  await watchInteractions(page);
  const short = await typeAtLineEnd(page, page.locator('.cm-line').nth(0));
  const longLine = await typeAtLineEnd(page, page.locator('.cm-line').nth(2));
  await page.context().close();
  return { short, long: longLine };
}

/** Event Timing of TOGGLES clicks on a button that recolours a page of plain text (see the header). */
async function toggleFloor(): Promise<number[]> {
  const words = 'the forget gate decides what the cell state keeps from one step to the next while the input gate';
  const paragraphs = Array.from({ length: 40 }, (_, i) => `<p>${i + 1}. ${`${words} `.repeat(6)}</p>`).join('');
  const html = `<!doctype html><html lang="en" data-theme="light"><head><title>Toggle floor</title><style>
:root { --bg: #ffffff; --fg: #1f2328; }
:root[data-theme='dark'] { --bg: #0d1117; --fg: #e6edf3; }
body { margin: 0; padding: 1rem 2rem; background: var(--bg); color: var(--fg); font: 17px/1.6 serif; }
</style></head><body><button id="t" type="button">Toggle theme</button>${paragraphs}
<script>document.getElementById('t').addEventListener('click', () => {
  const r = document.documentElement;
  r.dataset.theme = r.dataset.theme === 'dark' ? 'light' : 'dark';
});</script></body></html>`;
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.route('**/__toggle-floor/**', (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(`${server.url}__toggle-floor/`);
  await watchInteractions(page);
  await page.waitForTimeout(500);
  const slow = await clickToggle(page, '#t');
  await page.context().close();
  return slow;
}

/**
 * Clicks `selector` TOGGLES times, 250 ms apart; the Event Timing of those clicks. A plain mouse
 * click at the button's centre: locator.click() would run Playwright's hit-target check inside
 * the page's pointer events (tens of ms of its own script, counted by Event Timing).
 */
async function clickToggle(page: Page, selector: string): Promise<number[]> {
  await takeInteractions(page);
  const box = (await page.locator(selector).boundingBox())!;
  for (let i = 0; i < TOGGLES; i++) {
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(250);
  }
  return takeInteractions(page);
}

/** Types KEYS at the end of `line` (an editor line, focused by a click on it); their Event Timing. */
async function typeAtLineEnd(page: Page, line: Locator): Promise<number[]> {
  await line.click();
  await page.keyboard.press('End');
  await page.waitForTimeout(500);
  await takeInteractions(page); // not the click or End
  await page.keyboard.type(KEYS, { delay: 80 });
  await page.waitForTimeout(500);
  return takeInteractions(page);
}

/** Starts collecting the page's Event Timing entries of 16 ms and more (per interaction). */
async function watchInteractions(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __ev: { id: number; d: number }[] };
    w.__ev = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries() as (PerformanceEntry & { interactionId: number })[]) {
        if (e.interactionId) w.__ev.push({ id: e.interactionId, d: e.duration });
      }
    }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
  });
}

/** The longest entry of each interaction collected since the last call (then starts afresh). */
function takeInteractions(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __ev: { id: number; d: number }[] };
    const per = new Map<number, number>();
    for (const e of w.__ev) per.set(e.id, Math.max(per.get(e.id) ?? 0, e.d));
    w.__ev = [];
    return [...per.values()];
  });
}
