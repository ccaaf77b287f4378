/**
 * Run all of an IMDB lesson at the course setting, timed the way a reader waits for it:
 * `npx tsx bench/run-all.ts [lesson slug] [reviews] [epochs]` (defaults lstm, 25000, 5).
 *
 * Uses the build and the IMDB-format fixture data that `npm run bench -- --only=page` leaves
 * in `dist-bench-page/` (run that first), opens the lesson in headless Chromium, sets the data
 * cell to `REVIEWS = <reviews>, EPOCHS = <epochs>`, clicks Run all and prints the time at
 * which each cell finished, then the total (issue 9, goal 5: <= 30 s decides the default).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launch } from '../tests/e2e/browser';
import { cellState, openNotebook, outputText, setCellCode } from '../tests/e2e/notebook-helpers';
import { startStaticServer } from '../tests/e2e/static-server';
import { buildIsStale, withSize } from './page';

const [lesson = 'lstm', reviews = '25000', epochs = '5'] = process.argv.slice(2);
const dist = resolve(import.meta.dirname ?? '.', '..', 'dist-bench-page');
if (!existsSync(join(dist, 'data', 'imdb'))) throw new Error(`${dist} has no IMDB data: run 'npm run bench -- --only=page' first.`);
if (buildIsStale(resolve(dist, '..'), dist)) throw new Error(`${dist} is older than the sources: run 'npm run bench -- --only=page' to rebuild it.`);
const server = await startStaticServer(dist, '/rnn-notebook/');
const browser = await launch();
try {
  const { page } = await openNotebook(browser, new URL(`lessons/${lesson}/`, server.url).href, { sections: 'on-screen' });
  const ids = await page.locator('rnn-cell').evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset.cellId ?? ''));
  // The data cell: the first that sets `REVIEWS = …, EPOCHS = …`.
  const sources = await page.locator('rnn-cell').evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset.source ?? ''));
  const sized = sources.map((s) => withSize(s, Number(reviews), Number(epochs)));
  const iData = sized.findIndex((s) => s !== null);
  if (iData < 0) throw new Error(`no cell of lessons/${lesson}/ sets 'REVIEWS = …, EPOCHS = …'`);
  await setCellCode(page, iData, sized[iData]!);
  const t0 = Date.now();
  await page.locator('#notebook-bar').getByRole('button', { name: 'Run all', exact: true }).click();
  for (let i = 0; i < ids.length; i++) {
    for (;;) {
      const s = await cellState(page, i);
      if (s === 'done' || s === 'error' || s === 'cancelled') {
        console.log(`${ids[i].padEnd(20)} ${s.padEnd(6)} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        break;
      }
      await page.waitForTimeout(50);
    }
  }
  console.log(`Run all, ${lesson} lesson, REVIEWS = ${reviews}, EPOCHS = ${epochs}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const train = ids.indexOf(`${lesson}-train`);
  if (train >= 0) console.log((await outputText(page, train)).split('\n').filter((l) => /^\d+\/\d+ /.test(l)).at(-1));
} finally {
  await browser.close();
  await server.close();
}
