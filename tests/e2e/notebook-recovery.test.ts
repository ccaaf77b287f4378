/**
 * Recovery, in a real browser (issue 10, items 4-8):
 * 4. a data download whose response never arrives: Stop is clean, and after the server is
 *    fixed a new run loads; with a stall timeout the run fails with a clear error, and a
 *    retry works (a local loopback server stands in for the site's data folder);
 * 5. an error raised deep inside tfjs still names the cell's line;
 * 6. saved edits: a full localStorage and a second tab on the same lesson are said;
 * 7. data files that pass their hash check but are wrong inside give a clear error naming the
 *    file, and `fallback: 'toy'` catches it;
 * 8. smaller: bad `display.table` arguments are an error in the cell; the "did not stop"
 *    warning gives way to the next clean stop; a cache entry a cell overwrote is refetched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Page } from 'playwright-core';
import { baseUrl, browser, useBrowser } from './use-browser';
import { lessonWithCells, openNotebook, outputText, runCell, setCellCode, waitForState } from './notebook-helpers';
import { makeImdbSite } from '../fixtures/data/imdb-site';

useBrowser();
let lesson = '';
let data: Server;
let dataUrl = '';
/** File names whose requests are held open, never answered. */
const stalled = new Set<string>();
const held: ServerResponse[] = [];
const sites = {
  good: makeImdbSite(),
  bad: makeImdbSite({ overrides: { 'test-labels.bin': Uint8Array.from([1, 7]) } }),
};

beforeAll(async () => {
  lesson = await lessonWithCells(baseUrl, 4);
  data = createServer((req, res) => {
    // `${dataUrl}<site>/` is the base: the loader asks for `<site>/data/imdb/<file>`.
    const parts = (req.url ?? '').split('?')[0]!.split('/');
    const site = parts[1];
    const name = parts.at(-1);
    const cors = { 'access-control-allow-origin': '*' };
    if (stalled.has(name!)) {
      held.push(res); // the response never arrives
      return;
    }
    const body = sites[site as keyof typeof sites]?.get(name!);
    if (!body) return void res.writeHead(404, cors).end('not found');
    res.writeHead(200, { ...cors, 'content-type': 'application/octet-stream' }).end(Buffer.from(body));
  });
  await new Promise<void>((r) => data.listen(0, '127.0.0.1', r)); // loopback only
  const addr = data.address();
  dataUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
});
afterAll(async () => {
  for (const r of held) r.destroy();
  await new Promise<void>((r) => (data ? data.close(() => r()) : r()));
});

async function run(page: Page, i: number, code: string, timeout = 60_000): Promise<string> {
  await setCellCode(page, i, code);
  await runCell(page, i);
  return waitForState(page, i, ['done', 'error', 'stopped'], timeout);
}
const notice = (page: Page) => page.locator('#notebook-bar .nb-notice').innerText();
const stop = (page: Page) => page.locator('#notebook-bar').getByRole('button', { name: 'Stop', exact: true }).click();

describe('stalled downloads', () => {
  it('Stop ends a load whose response never arrives, and after the fix a new run loads; a stall times out and a retry works', async () => {
    const { page } = await openNotebook(browser, lesson);
    expect(await run(page, 0, `const keepMe = 5;\nrnn.configureData({ baseUrl: "${dataUrl}good/", stallTimeoutMs: 5000 });`)).toBe('done');
    const load = 'const [[xs]] = await imdb.loadData();\nxs.length';
    stalled.add('manifest.json');
    await setCellCode(page, 1, load);
    await runCell(page, 1);
    await waitForState(page, 1, ['running']);
    await page.waitForTimeout(1000);
    const t0 = Date.now();
    await stop(page);
    expect(await waitForState(page, 1, ['stopped', 'done', 'error'], 10_000)).toBe('stopped');
    expect(Date.now() - t0).toBeLessThan(1_800);
    expect(await outputText(page, 1)).not.toMatch(/restarted/);
    stalled.delete('manifest.json'); // the server is fixed
    const t1 = Date.now();
    expect(await run(page, 1, load, 20_000)).toBe('done');
    expect(Date.now() - t1).toBeLessThan(5_000);
    expect(await outputText(page, 1)).toMatch(/3$/);

    // A file whose response never arrives: the stall timeout (5 s here) ends the run clearly.
    expect(await run(page, 0, `rnn.configureData({ baseUrl: "${dataUrl}good/", stallTimeoutMs: 2000, useCache: false });`)).toBe('done');
    stalled.add('test-ids.bin');
    const t2 = Date.now();
    expect(await run(page, 1, load, 30_000)).toBe('error');
    expect(Date.now() - t2).toBeLessThan(15_000);
    expect(await outputText(page, 1)).toMatch(/Could not fetch the IMDB data: http:\/\/127\.0\.0\.1:\d+\/good\/data\/imdb\/test-ids\.bin \(the download stalled: no data for 2 s\)/);
    stalled.delete('test-ids.bin');
    expect(await run(page, 1, load, 20_000)).toBe('done');
    expect(await outputText(page, 1)).toMatch(/3$/);
    expect(await run(page, 2, 'keepMe')).toBe('done');
    expect((await outputText(page, 2)).trim()).toBe('5');
    await page.context().close();
  });
});

describe('data files wrong inside', () => {
  it('give an error naming the file; fallback: "toy" catches it; a damaged cache copy is refetched', async () => {
    const { page } = await openNotebook(browser, lesson);
    expect(await run(page, 0, `rnn.configureData({ baseUrl: "${dataUrl}bad/" });\nawait imdb.loadData()`)).toBe('error');
    const out = await outputText(page, 0);
    expect(out).toMatch(/DataUnavailableError: An IMDB data file on the site is damaged inside \(re-run the conversion\): http:\/\/127\.0\.0\.1:\d+\/bad\/data\/imdb\/test-labels\.bin \(label 1 is 7; labels must be 0 or 1\)/);
    expect(await run(page, 1, `const [[xt]] = await imdb.loadData({ fallback: "toy", limit: 10 });\nxt.length`)).toBe('done');
    // The reader sees the plain stand-in sentence (the damaged file is for whoever deploys).
    expect(await outputText(page, 1)).toMatch(/not available on this site, so this run uses a made-up stand-in[\s\S]*10$/);

    // A cell overwrites the cached files; the next load says so and fetches them again.
    expect(await run(page, 2, `rnn.configureData({ baseUrl: "${dataUrl}good/" });\nconst [[a]] = await imdb.loadData();\na.length`)).toBe('done');
    const overwrite = [
      'const c = await caches.open("rnn-notebook-data-v1");',
      'for (const k of await c.keys()) await c.put(k, new Response("garbage"));',
      `rnn.configureData({ baseUrl: "${dataUrl}good/" });`,
      'const [[b]] = await imdb.loadData();',
      'b.length',
    ].join('\n');
    expect(await run(page, 3, overwrite)).toBe('done');
    const o3 = await outputText(page, 3);
    expect(o3).toMatch(/The cached copy of train-ids\.bin is damaged \(\d+ bytes instead of \d+\); fetching it again\./);
    expect(o3).toMatch(/3$/);
    await page.context().close();
  });
});

describe('errors inside tfjs', () => {
  it('keep the line of the cell', async () => {
    const { page } = await openNotebook(browser, lesson);
    expect(await run(page, 0, 'const t = tf.tensor([1, 2, 3]);')).toBe('done');
    expect(await run(page, 1, 'const n = 1;\nconst u = t.reshape([2, 2]);')).toBe('error');
    const out = await outputText(page, 1);
    expect(out).toMatch(/Size\(3\) must match the product of shape 2,2/);
    expect(out).toMatch(/\(line 2, column \d+ of this cell\)/);
    await page.context().close();
  });
});

describe('smaller items', () => {
  it('bad display.table arguments are an error in the cell', async () => {
    const { page } = await openNotebook(browser, lesson);
    expect(await run(page, 0, 'display.table({ columns: "abc", rows: 5 })')).toBe('error');
    expect(await outputText(page, 0)).toMatch(/TypeError: display\.table\(\): columns must be an array of column names, got 'abc'/);
    expect(await run(page, 1, 'display.table({ columns: ["a"], rows: [[1], 2] })')).toBe('error');
    expect(await outputText(page, 1)).toMatch(/rows\[1\] must be an array, got 2/);
    await page.context().close();
  });

  it('runaway async recursion ends in one RangeError without flooding the console', async () => {
    const { page } = await openNotebook(browser, lesson);
    const logged: string[] = [];
    page.on('console', (m) => logged.push(m.text()));
    expect(await run(page, 0, 'const keepMe = 9;\nasync function f(n) { return await f(n + 1) }\nawait f(0)')).toBe('error');
    expect(await outputText(page, 0)).toMatch(/RangeError: Maximum call stack size exceeded/);
    await page.waitForTimeout(500);
    expect(logged.length).toBeLessThan(10);
    expect(await run(page, 1, 'keepMe')).toBe('done');
    expect((await outputText(page, 1)).trim()).toBe('9');
    await page.context().close();
  });

  it('the "did not stop" warning gives way to the next clean stop', async () => {
    const { page } = await openNotebook(browser, lesson);
    await setCellCode(page, 0, 'for (;;) {}');
    await runCell(page, 0);
    await waitForState(page, 0, ['running']);
    await page.waitForTimeout(500);
    await stop(page);
    await waitForState(page, 0, ['stopped'], 15_000);
    await page.waitForFunction(() => /did not stop within/.test(document.querySelector('#notebook-bar .nb-notice')?.textContent ?? ''));
    await setCellCode(page, 1, 'await new Promise((r) => setTimeout(r, 30000))');
    await runCell(page, 1);
    await waitForState(page, 1, ['running'], 60_000);
    await page.waitForTimeout(1000);
    await stop(page);
    expect(await waitForState(page, 1, ['stopped'], 10_000)).toBe('stopped');
    expect(await notice(page)).toBe('Stopped. The kernel kept every definition.');
    await page.context().close();
  });
});

describe('saved edits', () => {
  it('warn when localStorage is full', async () => {
    const { page } = await openNotebook(browser, lesson);
    await page.evaluate(() => {
      let size = 1 << 20;
      let i = 0;
      while (size >= 16) {
        try {
          localStorage.setItem(`fill-${i++}`, 'x'.repeat(size));
        } catch {
          size >>= 1;
        }
      }
    });
    await setCellCode(page, 0, '"my precious edit"');
    await page.waitForFunction(() => /could not be saved/.test(document.querySelector('#notebook-bar .nb-notice')?.textContent ?? ''));
    expect(await notice(page)).toMatch(/Your edit of cell "[^"]+" could not be saved: the browser's storage for this site is full or blocked/);
    await page.evaluate(() => localStorage.clear());
    await page.context().close();
  });

  it('warn in both tabs when two tabs edit the same lesson', async () => {
    const { page: a } = await openNotebook(browser, lesson);
    const b = await a.context().newPage();
    await b.goto(lesson);
    await b.waitForSelector('html[data-notebook="ready"]');
    await setCellCode(a, 0, '"from tab A"');
    await b.waitForFunction(() => /open in another tab/.test(document.querySelector('#notebook-bar .nb-notice')?.textContent ?? ''));
    await setCellCode(b, 0, '"from tab B"');
    await a.waitForFunction(() => /open in another tab/.test(document.querySelector('#notebook-bar .nb-notice')?.textContent ?? ''));
    expect(await notice(a)).toMatch(/This lesson is open in another tab, which just saved an edit of cell "[^"]+"/);
    expect(await notice(b)).toMatch(/another tab/);
    await a.context().close();
  });
});
