/**
 * `npm run font-lookups -- --dir DIST [--base /] [--only lstm,gru] [--loads 3]`: how much of a
 * lesson's load the browser spends finding fonts, from Chromium's own trace (the `fonts`
 * category), at Lighthouse's phone size (412 x 823) without CPU throttling.
 *
 * Per load it prints the main thread's time in font lookups (top-level events only, so nested
 * ones are not counted twice), how many system font families were matched, how many characters
 * sent the browser searching every installed font for a glyph ("character fallbacks"), how
 * many font instances (a face at one size, weight and style) were set up, and the load's total
 * `Layout` and style (`UpdateLayoutTree`) time, which the lookups are part of. On Linux each
 * of those three is a synchronous call to the browser process, which is why they moved
 * Lighthouse's blocking time (PERFORMANCE.md, "Fonts at load"). Timings are the machine's; the
 * counts are exact for a given build and set of installed fonts (`fc-list`).
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { findChromium } from '../tests/e2e/browser';
import { startStaticServer } from '../tests/e2e/static-server';
import { cliOptions } from './cli-options';

const cli = cliOptions('font-lookups', { '--dir': 'DIST', '--base': '/path/', '--only': 'a,b', '--loads': 'N' });
const dir = resolve(cli.required('--dir', 'a built site, e.g. dist-lighthouse'));
const lessons = (cli.value('--only') ?? 'lstm,gru').split(',');
const loads = Number(cli.value('--loads') ?? 3);

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
}

const server = await startStaticServer(dir, cli.value('--base') ?? '/');
const browser = await chromium.launch({
  executablePath: findChromium(),
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`Chromium ${browser.version()}, 412 x 823, no throttling, load ${load}`);
  for (let n = 0; n < loads; n++) {
    for (const slug of lessons) {
      const context = await browser.newContext({
        viewport: { width: 412, height: 823 },
        deviceScaleFactor: 1.75,
        isMobile: true,
      });
      const page = await context.newPage();
      await browser.startTracing(page, {
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'fonts'],
      });
      await page.goto(`${server.url}lessons/${slug}/`, { waitUntil: 'load' });
      await page.waitForTimeout(1500);
      const events: TraceEvent[] = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
      await context.close();
      const complete = events.filter((e) => e.ph === 'X' && e.dur !== undefined);
      const mainTid = complete.find((e) => e.name === 'ParseHTML')?.tid;
      const main = complete.filter((e) => e.tid === mainTid).sort((a, b) => a.ts - b.ts);
      const fonts = main.filter((e) => /^(FontCache::|WebSandboxSupportLinux::|FontDataManager::)/.test(e.name));
      let fontUs = 0;
      let end = 0;
      for (const e of fonts) {
        if (e.ts < end) continue; // nested in the previous top-level lookup
        fontUs += e.dur!;
        end = e.ts + e.dur!;
      }
      const sum = (name: string) => main.filter((e) => e.name === name).reduce((s, e) => s + e.dur!, 0) / 1000;
      const count = (name: string) => fonts.filter((e) => e.name === name).length;
      console.log(
        `${slug.padEnd(20)} fonts ${(fontUs / 1000).toFixed(1).padStart(6)} ms  ` +
          `${String(count('FontDataManager::onMatchFamilyStyle')).padStart(3)} family matches  ` +
          `${String(count('FontCache::FallbackFontForCharacter')).padStart(3)} character fallbacks  ` +
          `${String(count('WebSandboxSupportLinux::GetWebFontRenderStyleForStrike')).padStart(3)} font instances  ` +
          `layout ${sum('Layout').toFixed(1).padStart(6)} ms  style ${sum('UpdateLayoutTree').toFixed(1).padStart(6)} ms`,
      );
    }
  }
} finally {
  await browser.close();
  await server.close();
}
