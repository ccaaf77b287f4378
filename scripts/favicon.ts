/**
 * `npx tsx scripts/favicon.ts`: rasterises src/assets/favicon.svg into public/favicon-32.png.
 *
 * The site links the PNG, not the SVG: Chromium fetches and decodes a page's favicon on the
 * page's main thread during load, and an SVG icon costs a whole isolated SVG document there
 * (19-26 ms on this machine, so 80-100 ms at Lighthouse's 4x CPU slowdown, against 4-13 ms for
 * the PNG). Run this after editing the SVG, and commit both files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const svg = readFileSync(resolve(root, 'src/assets/favicon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 32, height: 32 }, deviceScaleFactor: 1 });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:32px;height:32px}</style>${svg}`);
  writeFileSync(resolve(root, 'public/favicon-32.png'), await page.screenshot({ omitBackground: true }));
} finally {
  await browser.close();
}
