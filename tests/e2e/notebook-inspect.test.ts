/**
 * Looking inside the reader's model, in a real browser: the LSTM lesson's gate heatmap cell
 * after a (shortened) training run, and the comparison lesson's vanishing-gradient lab. The
 * rendered values (SVG cells, table, readout, plot table) are checked against what the
 * library returns for the same objects in a later cell, not against fixed numbers.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, browser, useBrowser } from './use-browser';
import { cell, openNotebook, runCell, setCellCode, waitForState } from './notebook-helpers';

useBrowser();

async function cellIndex(page: Page, id: string): Promise<number> {
  const ids = await page.locator('rnn-cell').evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset.cellId));
  const i = ids.indexOf(id);
  if (i < 0) throw new Error(`no cell '${id}' in ${ids.join(', ')}`);
  return i;
}

async function runAndWait(page: Page, i: number, timeout = 120_000): Promise<void> {
  await runCell(page, i);
  const state = await waitForState(page, i, ['done', 'error'], timeout);
  if (state !== 'done') throw new Error(`cell ${i} ended '${state}': ${await cell(page, i).locator('.cell-output').innerText()}`);
}

/** The string result of cell i, parsed as JSON. */
async function jsonResult(page: Page, i: number): Promise<unknown> {
  const text = await cell(page, i).locator('.cell-output .nb-result').innerText();
  return JSON.parse(text);
}

/**
 * Opens the LSTM lesson, shortens its data cell (the tests are about the inspection, not
 * accuracy), runs data, build and train, then the cells `then`.
 */
async function openTrainedLstm(then: string[]): Promise<Awaited<ReturnType<typeof openNotebook>>> {
  const opened = await openNotebook(browser, new URL('lessons/lstm/', baseUrl).href);
  const { page } = opened;
  await setCellCode(
    page,
    await cellIndex(page, 'lstm-data'),
    [
      'const REVIEWS = 300, EPOCHS = 1, NUM_WORDS = 10000, MAXLEN = 100;',
      'const [[trainIds, trainLabels], [testIds, testLabels]] = await imdb.loadData({ numWords: NUM_WORDS, limit: REVIEWS, fallback: "toy" });',
      'const xTrain = padSequences(trainIds, { maxlen: MAXLEN }); const xTest = padSequences(testIds, { maxlen: MAXLEN });',
      'const yTrain = tf.tensor1d(trainLabels); const yTest = tf.tensor1d(testLabels);',
      'xTrain.shape',
    ].join('\n'),
  );
  for (const id of ['lstm-data', 'lstm-build', 'lstm-train', ...then]) await runAndWait(page, await cellIndex(page, id));
  return opened;
}

describe('gate heatmaps in the LSTM lesson', () => {
  it('draws the trained model’s gates word by word, with the running prediction, usable by keyboard, light and dark, on a phone', { timeout: 300_000 }, async () => {
    const { page, errors } = await openTrainedLstm(['lstm-gates']);
    const gatesCell = cell(page, await cellIndex(page, 'lstm-gates'));
    const fig = gatesCell.locator('figure.nb-gates');
    await fig.waitFor();

    // The library's values for the same trace, from a later cell.
    const check = await cellIndex(page, 'own-text-data');
    await setCellCode(
      page,
      check,
      'JSON.stringify({ words: gateWords, f: lstmTrace.values.f[0].slice(-gateWords.length), c: lstmTrace.values.c[0].slice(-gateWords.length), p: running[0].slice(-gateWords.length).map((r) => r[0]), predict: tf.tidy(() => model.predict(gateX).dataSync()[0]) })',
    );
    await runAndWait(page, check);
    const lib = (await jsonResult(page, check)) as { words: string[]; f: number[][]; c: number[][]; p: number[]; predict: number };
    const n = lib.words.length;
    expect(n).toBeGreaterThan(5);
    // The running prediction after the last word is model.predict.
    expect(Math.abs(lib.p[n - 1] - lib.predict)).toBeLessThan(1e-5);

    // SVG: one row per word, 6 blocks x 5 units per row; f is block 1, c block 4.
    const rendered = await fig.locator('svg g[data-step]').evaluateAll((gs) =>
      gs.map((g) => ({
        word: g.querySelector('text')?.textContent,
        values: [...g.querySelectorAll('rect[data-value]')].map((r) => Number(r.getAttribute('data-value'))),
        pred: g.querySelector('text.nb-g-pred')?.textContent,
      })),
    );
    expect(rendered.map((r) => r.word)).toEqual(lib.words);
    for (let t = 0; t < n; t++) {
      expect(rendered[t].values).toHaveLength(30);
      for (let j = 0; j < 5; j++) {
        expect(rendered[t].values[5 + j]).toBeCloseTo(lib.f[t][j], 6);
        expect(rendered[t].values[20 + j]).toBeCloseTo(lib.c[t][j], 6);
      }
      expect(rendered[t].pred).toBe(lib.p[t].toFixed(2));
    }
    // The text alternative: the same words, f values and predictions.
    const rows = await fig.locator('table.nb-gates-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
    expect(rows).toHaveLength(n);
    const head = await fig.locator('table.nb-gates-table thead th').allTextContents();
    const fCol = head.indexOf('forget gate f');
    expect(fCol).toBeGreaterThan(1);
    expect(rows[n - 1][fCol]).toBe(lib.f[n - 1].map((v) => (Math.abs(v) < 0.005 ? '0.00' : v.toFixed(2))).join(', '));
    expect(rows[n - 1].at(-1)).toBe(lib.p[n - 1].toFixed(3));
    // The legend gives each colour scale as a short number: the cell state's measured range to
    // three significant digits, not a float32's sixteen ("c ±1.7389769554138184").
    const legend = await fig.locator('.nb-gates-legend').innerText();
    const cRange = /c ±(\S+?)[,)]/.exec(legend)?.[1];
    expect(cRange, legend).toBeDefined();
    expect(cRange).toMatch(/^\d+(\.\d+)?$/);
    expect(cRange!.replace(/^0\.0*|\./g, '').length).toBeLessThanOrEqual(3);

    // Keyboard: one tab stop; End selects the last word and the live readout says its values.
    const box = fig.locator('.nb-gates-box');
    await box.focus();
    await page.keyboard.press('End');
    const readout = fig.locator('.nb-gates-readout');
    expect(await readout.getAttribute('aria-live')).toBe('polite');
    const said = await readout.innerText();
    expect(said).toContain(`Word ${n} of ${n}, “${lib.words[n - 1]}”`);
    expect(said).toContain(lib.p[n - 1].toFixed(3));
    await page.keyboard.press('ArrowUp');
    expect(await readout.innerText()).toContain(`Word ${n - 1} of ${n}`);
    expect(await box.getAttribute('aria-describedby')).toBe(await readout.getAttribute('id'));
    expect(await fig.locator('svg').getAttribute('role')).toBe('img');

    // Light and dark: the cells take the theme's colours.
    const fill = () => fig.locator('rect.nb-g-pos').first().evaluate((r) => getComputedStyle(r).fill);
    const light = await fill();
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    const dark = await fill();
    expect(dark).not.toBe(light);

    // Bounded: the drawing scrolls inside its box; on a phone the figure stays inside the page.
    const boxHeight = await box.evaluate((b) => b.getBoundingClientRect().height);
    expect(boxHeight).toBeLessThanOrEqual(28 * 16 + 4);
    await page.setViewportSize({ width: 390, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const right = await fig.evaluate((f) => f.getBoundingClientRect().right);
    expect(right).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
  });
});

describe('the vanishing-gradient lab in the comparison lesson', () => {
  it('plots the measured ||dh_T/dx_t|| of the three cells on a log scale, with the same numbers in its tables', { timeout: 300_000 }, async () => {
    const { page, errors } = await openNotebook(browser, new URL('lessons/rnn-vs-lstm-vs-gru/', baseUrl).href);
    const lab = await cellIndex(page, 'compare-gradient-lab');
    await runAndWait(page, lab, 180_000);
    const out = cell(page, lab).locator('.cell-output');
    const canvas = out.locator('figure.nb-plot canvas');
    await canvas.waitFor();
    expect(await canvas.getAttribute('aria-label')).toMatch(/logarithmic y axis/);
    expect(await canvas.getAttribute('aria-label')).toMatch(/SimpleRNN, initial.*LSTM, trained.*GRU, trained/);
    // The library's numbers, from another cell of the same notebook.
    await setCellCode(page, 0, 'JSON.stringify({ T: GRAD_T, series: gradSeries.map((s) => ({ name: s.name, values: s.values })) })');
    await runAndWait(page, 0);
    const lib = (await jsonResult(page, 0)) as { T: number; series: { name: string; values: number[] }[] };
    expect(lib.series.map((s) => s.name)).toEqual(['SimpleRNN, initial', 'SimpleRNN, trained', 'LSTM, initial', 'LSTM, trained', 'GRU, initial', 'GRU, trained']);
    const table = out.locator('table.nb-plot-table');
    expect(await table.locator('thead th').allTextContents()).toEqual(['t', ...lib.series.map((s) => s.name)]);
    const values = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.getAttribute('data-value')))));
    expect(values).toHaveLength(lib.T);
    for (let t = 0; t < lib.T; t++) lib.series.forEach((s, k) => expect(values[t][k]).toBe(s.values[t]));
    for (const s of lib.series) for (const v of s.values) expect(v).toBeGreaterThan(0);
    // The ratio table: first over last, per cell, before and after training.
    const ratios = await out
      .locator('table.nb-table:not(.nb-plot-table):not(.nb-history-table) tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
    expect(ratios.map((r) => r[0])).toEqual(['SimpleRNN', 'LSTM', 'GRU']);
    ratios.forEach((r, k) => {
      for (const [col, s] of [[1, lib.series[2 * k]], [2, lib.series[2 * k + 1]]] as const) {
        const want = s.values[0] / s.values[lib.T - 1];
        expect(Math.abs(Number(r[col]) - want) / want, `${r[0]} column ${col}: ${r[col]} vs ${want}`).toBeLessThan(6e-3);
      }
    });
    expect(errors).toEqual([]);
  });
});

describe('hidden-state paths in the LSTM lesson', () => {
  it('draws each picked review as a path on the first two principal axes, with the library’s numbers in its table', { timeout: 300_000 }, async () => {
    const { page, errors } = await openTrainedLstm(['lstm-trajectory']);
    const i = await cellIndex(page, 'lstm-trajectory');
    const out = cell(page, i).locator('.cell-output');
    const canvas = out.locator('figure.nb-plot canvas');
    await canvas.waitFor();
    expect(await canvas.getAttribute('aria-label')).toMatch(/^Paths: h_t on the first two principal axes \(\d+% of the variance\).*each path ends at its larger dot/);
    // The library's own numbers, recomputed in another cell from the objects the lesson cell made.
    await setCellCode(page, 0, 'JSON.stringify({ picked, labels: picked.map((k) => testLabels[k]), paths: pathStates.map((hs) => pc.project(hs)), share: pc.explainedVarianceRatio })');
    await runAndWait(page, 0);
    const lib = (await jsonResult(page, 0)) as { picked: number[]; labels: number[]; paths: number[][][]; share: number[] };
    expect(lib.labels).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    expect(lib.share[0]).toBeGreaterThanOrEqual(lib.share[1]);
    expect(lib.share[0] + lib.share[1]).toBeLessThanOrEqual(1 + 1e-9);
    expect(await canvas.getAttribute('aria-label')).toContain(`(${(100 * (lib.share[0] + lib.share[1])).toFixed(0)}% of the variance)`);
    // The table lists every point of every path: series, point number, PC 1, PC 2.
    const table = out.locator('table.nb-plot-table.nb-plot-points');
    expect(await table.locator('thead th').allTextContents()).toEqual(['series', 'point', 'PC 1', 'PC 2']);
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.children[0].textContent, Number(tr.children[1].textContent), Number(tr.children[2].getAttribute('data-value')), Number(tr.children[3].getAttribute('data-value'))] as const));
    const want = lib.paths.flatMap((path, b) => path.map((p, k) => [`review ${lib.picked[b]} (${lib.labels[b] === 1 ? 'positive' : 'negative'})`, k + 1, p[0], p[1]]));
    expect(rows).toEqual(want);
    // Each path has one point per real word (at most MAXLEN), and not all of them sit at one point.
    for (const path of lib.paths) {
      expect(path.length).toBeGreaterThan(0);
      expect(path.length).toBeLessThanOrEqual(100);
    }
    const spread = Math.max(...lib.paths.flat().map((p) => Math.hypot(p[0], p[1])));
    expect(spread).toBeGreaterThan(0);
    // On a phone the figure stays inside the page.
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  });
});
