/**
 * `npm run interactions -- --dir DIST [--base /]`: how long the LSTM lesson takes to answer a
 * keystroke in a cell's editor and a click on the theme toggle, in Chromium at 1280 px, from
 * Event Timing entries (the browser's own measure of input-to-next-paint, in 8 ms steps; only
 * interactions over 16 ms are reported, the rest count as "within a frame").
 *
 * Prints, per kind, how many interactions took more than one frame (16 ms), their median and
 * the worst, and the machine's load: figures from a loaded machine are upper bounds.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { findChromium } from '../tests/e2e/browser';
import { startStaticServer } from '../tests/e2e/static-server';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dirArg = option('--dir');
if (!dirArg) {
  console.error('npm run interactions: --dir DIST is required (a built site, e.g. dist-lighthouse)');
  process.exit(1);
}
const dir = resolve(dirArg);
const base = option('--base') ?? '/';
const KEYS = ' // typed key by key, abcdefghij';
const TOGGLES = 8;

const server = await startStaticServer(dir, base);
const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${server.url}lessons/lstm/`);
  await page.waitForSelector('rnn-cell.nb-enhanced .cell-actions button');
  await page.evaluate(() => {
    const w = window as unknown as { __ev: { id: number; name: string; d: number }[] };
    w.__ev = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries() as (PerformanceEntry & { interactionId: number })[]) {
        if (e.interactionId) w.__ev.push({ id: e.interactionId, name: e.name, d: e.duration });
      }
    }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
  });
  const take = () =>
    page.evaluate(() => {
      const w = window as unknown as { __ev: { id: number; name: string; d: number }[] };
      const per = new Map<number, number>();
      for (const e of w.__ev) per.set(e.id, Math.max(per.get(e.id) ?? 0, e.d));
      w.__ev = [];
      return [...per.values()];
    });
  await page.waitForTimeout(500);
  for (let i = 0; i < TOGGLES; i++) {
    await page.locator('.site-header .theme-toggle').click();
    await page.waitForTimeout(250);
  }
  const theme = await take();
  const c = page.locator('rnn-cell').nth(1);
  await c.getByRole('button', { name: 'Edit cell 2', exact: true }).click();
  await c.locator('.cm-content').click();
  await page.keyboard.press('End');
  await page.waitForTimeout(500);
  await take();
  await page.keyboard.type(KEYS, { delay: 80 });
  await page.waitForTimeout(500);
  const typing = await take();
  const report = (label: string, n: number, slow: number[]) => {
    const s = [...slow].sort((a, b) => a - b);
    const all = [...new Array(n - s.length).fill(16), ...s];
    console.log(
      `${label.padEnd(14)} ${n} interactions, ${s.length} over 16 ms; median ${all[Math.floor(all.length / 2)]! <= 16 ? '<= 16' : all[Math.floor(all.length / 2)]} ms, worst ${s.length ? s[s.length - 1] : '<= 16'} ms`,
    );
  };
  console.log(`LSTM lesson, Chromium, 1280 px, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  report('theme toggle', TOGGLES, theme);
  report('typing', KEYS.length, typing);
} finally {
  await browser.close();
  await server.close();
}
