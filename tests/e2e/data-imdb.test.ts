/**
 * The IMDB loader in a real page, with data converted by the real `npm run data` code from an
 * archive in Keras's exact `imdb.npz` format (made by the test; nothing is downloaded):
 * the cell shows a loading progress bar, gets the reviews Keras-style, decodes a review back
 * to words, and a second visit reads the files from the browser's cache (only the manifest
 * goes to the network). The files are put into the served site for this test only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { baseUrl, browser, outDir, useBrowser } from './use-browser';
import { openNotebook, outputText, runCell, setCellCode, waitForState } from './notebook-helpers';
import { makeNpz, makeReviews, makeWordIndex } from '../fixtures/data/imdb-fixtures';
import { runDataCommand } from '../../scripts/data-lib/cli';

const dataDir = join(outDir, 'data');
useBrowser();
let tmp = '';
const marker = join(dataDir, 'imdb-available.json');
let markerBefore = '';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'imdb-e2e-'));
  writeFileSync(join(tmp, 'imdb.npz'), makeNpz(makeReviews(300, 200, 7)));
  writeFileSync(join(tmp, 'imdb_word_index.json'), JSON.stringify(makeWordIndex(400)));
  const logs: string[] = [];
  const code = await runDataCommand(['--from', join(tmp, 'imdb.npz'), '--out', join(dataDir, 'imdb')], {
    cwd: resolve(__dirname, '../..'),
    inputCwd: tmp,
    log: (l) => logs.push(l),
    error: (l) => logs.push(l),
  });
  if (code !== 0) throw new Error(`npm run data failed:\n${logs.join('\n')}`);
  // As if built after `npm run data`: the build's availability marker says the data is there.
  markerBefore = readFileSync(marker, 'utf8');
  expect(JSON.parse(markerBefore)).toEqual({ imdb: false });
  writeFileSync(marker, JSON.stringify({ imdb: true }));
});

afterAll(async () => {
  rmSync(join(dataDir, 'imdb'), { recursive: true, force: true });
  if (markerBefore) writeFileSync(marker, markerBefore);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const CODE = [
  'const [[trainIds, trainLabels], [testIds, testLabels]] = await imdb.loadData({ numWords: 100 });',
  'const words = await imdb.decode(trainIds[0]);',
  '({ train: trainIds.length, test: testIds.length, start: trainIds[0][0], maxId: Math.max(...trainIds.flat()), labels: [...new Set(trainLabels)].sort(), words: words.split(" ").length })',
].join('\n');

describe('IMDB data served by the site', () => {
  it('loads with a progress bar, Keras conventions and decoding, then comes from the cache on a second visit', async () => {
    const lesson = new URL('lessons/lstm/', baseUrl).href;
    const { page, errors } = await openNotebook(browser, lesson);
    const fetched: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/data/imdb/')) fetched.push(r.url().split('/data/imdb/')[1]!);
    });
    await setCellCode(page, 0, CODE);
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    const out = await outputText(page, 0);
    expect(out).not.toContain('not available');
    expect(out).toMatch(/IMDB reviews: [\d.]+ KB \/ [\d.]+ KB — done/);
    expect(out).toMatch(/train: 300/);
    expect(out).toMatch(/test: 200/);
    expect(out).toMatch(/start: 1\b/); // Keras's start_char
    expect(out).toMatch(/maxId: 99\b/); // ids >= numWords became OOV (2); the largest kept is 99
    expect(out).toMatch(/labels: \[0, 1\]/);
    // The loading progress bar was shown and finished.
    const bars = page.locator('rnn-cell').nth(0).locator('.cell-output progress');
    expect(await bars.count()).toBeGreaterThan(0);
    for (const bar of await bars.all()) {
      const [value, max] = await bar.evaluate((p: HTMLProgressElement) => [p.value, p.max]);
      expect(value).toBe(max);
    }
    expect(fetched).toContain('manifest.json');
    expect(fetched.some((f) => f.startsWith('train-ids'))).toBe(true);

    // Second visit: same cell, new page (and kernel); the big files come from the Cache API.
    fetched.length = 0;
    await page.reload();
    await page.waitForSelector('html[data-notebook="ready"]');
    await setCellCode(page, 0, CODE);
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    expect(await outputText(page, 0)).toMatch(/train: 300/);
    expect(fetched.filter((f) => f !== 'manifest.json')).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
