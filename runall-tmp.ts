import { launch } from './tests/e2e/browser';
import { openNotebook, setCellCode, cellState, outputText } from './tests/e2e/notebook-helpers';
import { startStaticServer } from './tests/e2e/static-server';
const lesson = process.argv[2] ?? 'lstm';
const srv = await startStaticServer('dist-bench-page', '/rnn-notebook/');
const browser = await launch();
const { page } = await openNotebook(browser, new URL(`lessons/${lesson}/`, srv.url).href);
const ids = await page.locator('rnn-cell').evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset.cellId));
const di = ids.indexOf(`${lesson}-data`);
const code = await page.locator('rnn-cell').nth(di).evaluate((c) => (c as HTMLElement).querySelector('pre, .cm-content')?.textContent ?? '');
await setCellCode(page, di, code.replace('REVIEWS = 2000, EPOCHS = 2', 'REVIEWS = 25000, EPOCHS = 5'));
const t0 = Date.now();
await page.locator('#notebook-bar').getByRole('button', { name: 'Run all', exact: true }).click();
for (let i = 0; i < ids.length; i++) {
  for (;;) { const s = await cellState(page, i); if (s === 'done' || s === 'error') { console.log(ids[i], s, ((Date.now() - t0) / 1000).toFixed(1)); break; } await page.waitForTimeout(100); }
}
console.log('Run all', ((Date.now() - t0) / 1000).toFixed(1), 's');
const ti = ids.indexOf(`${lesson}-train`);
console.log((await outputText(page, ti)).split('\n').filter((l) => l.includes('/782')).slice(-1)[0]);
await browser.close(); await srv.close();
