/**
 * Offline study: after one visit (the service worker downloads the build's file list), the site
 * works with the network off: reload, another lesson, the search, and a cell that runs the
 * kernel worker, tfjs and the library. Then a new version of the site is deployed (sw.js changes
 * on the server): the open page says so, Reload switches to it and the old cache is deleted.
 * Runs under the e2e sub-path base.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage } from './browser';
import { baseUrl, browser, outDir, useBrowser } from './use-browser';
import { cell, outputText, runCell, setCellCode, waitForState } from './notebook-helpers';

const base = new URL(baseUrl).pathname;
useBrowser();

/** Waits until a service worker controls the page, and returns its cache names. */
async function waitForOfflineCopy(page: Page): Promise<string[]> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 120_000 });
  return page.evaluate(() => caches.keys());
}

const CODE = [
  'const m = tf.sequential();',
  'm.add(rnn.lstm({ units: 3, inputShape: [4, 2] }));',
  "m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));",
  '`offline ok ${m.countParams()} ${m.predict(tf.ones([2, 4, 2])).shape}`',
].join('\n');

describe('offline', () => {
  it('after a first visit: reload, another lesson, search and a running cell work offline; a new deploy is announced', { timeout: 400_000 }, async () => {
    const swPath = join(outDir, 'sw.js');
    const original = readFileSync(swPath, 'utf8');
    const manifest = JSON.parse(/^self\.__PRECACHE = (.*);$/m.exec(original)![1]) as { version: string; base: string; files: string[] };
    expect(manifest.base).toBe(base);
    expect(manifest.files).toContain('lessons/gru/');
    expect(manifest.files.some((f) => /^_astro\/worker-.*\.js$/.test(f))).toBe(true);
    expect(manifest.files.some((f) => f.startsWith('pagefind/index/'))).toBe(true);

    const { page, errors } = await openPage(browser, new URL('lessons/lstm/', baseUrl).href, { serviceWorkers: 'allow' });
    try {
      const keys = await waitForOfflineCopy(page);
      expect(keys).toContain(`rnn-notebook:${base}:${manifest.version}`);

      await page.context().setOffline(true);
      await page.reload();
      expect(await page.locator('h1').innerText()).toBe('Long short-term memory (LSTM)');
      // Another lesson, by a link on the page (previous/next).
      await page.locator('main a[href$="/lessons/gru/"]:visible').first().click();
      await page.waitForURL(/\/lessons\/gru\/$/);
      await page.waitForSelector('html[data-notebook="ready"]');
      // A cell: kernel worker, tfjs, the library and its WebAssembly, all from the cache.
      await setCellCode(page, 0, CODE);
      await runCell(page, 0);
      const state = await waitForState(page, 0, ['done', 'error'], 170_000);
      const out = await outputText(page, 0);
      expect(state, out).toBe('done');
      expect(out).toContain('offline ok 76 2,1');
      // Search.
      await page.goto(new URL('search/?q=forget', baseUrl).href);
      await expect.poll(() => page.locator('.pagefind-ui__result').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      expect(await cell(page, 0).count()).toBe(0);

      // A new version is deployed (another build: sw.js with another version); back online.
      const next = original.replace(`"version":"${manifest.version}"`, '"version":"e2e-next-version"');
      expect(next).not.toBe(original);
      writeFileSync(swPath, next);
      await page.context().setOffline(false);
      await page.goto(new URL('lessons/lstm/', baseUrl).href);
      const notice = page.getByTestId('sw-update');
      await notice.waitFor({ timeout: 120_000 });
      expect(await notice.innerText()).toContain('A new version of RNN Notebook is ready');
      await Promise.all([page.waitForEvent('load'), notice.getByRole('button', { name: 'Reload' }).click()]);
      await expect.poll(() => page.evaluate(() => caches.keys()), { timeout: 60_000 }).toEqual(
        expect.arrayContaining([`rnn-notebook:${base}:e2e-next-version`]),
      );
      const after = await page.evaluate(() => caches.keys());
      expect(after).not.toContain(`rnn-notebook:${base}:${manifest.version}`);
      expect(await page.getByTestId('sw-update').count()).toBe(0);
      expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e))).toEqual([]);
    } finally {
      writeFileSync(swPath, original);
      await page.context().close();
    }
  });

  it('is not downloaded for a reader whose browser saves data (Save-Data); the lesson and its cells work as usual', { timeout: 120_000 }, async () => {
    const { page, errors } = await openPage(browser, 'about:blank', { serviceWorkers: 'allow' });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setDataSaverOverride', { dataSaverEnabled: true });
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(`${baseUrl}lessons/lstm/`, { waitUntil: 'load' });
    expect(await page.evaluate(() => (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData)).toBe(true);
    await page.waitForSelector('html[data-notebook="ready"]');
    await setCellCode(page, 0, '6 * 7');
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    expect(await outputText(page, 0)).toContain('42');
    // Time enough for a registration after load to have started its downloads (it starts at once).
    await page.waitForTimeout(3000);
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
    expect(await page.evaluate(() => caches.keys())).toEqual([]);
    expect(fetched.filter((f) => f.endsWith('/sw.js') || f.includes('/lessons/gru/'))).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
