/**
 * The notebook in a real browser against the real kernel worker: lazy start (no tfjs before
 * the first Run), shared state between cells, the Keras-like summary, In [n] prompts, the
 * kernel status line, and errors with the cell's own line numbers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, browser, useBrowser } from './use-browser';
import { cell, kernelText, lessonWithCells, openNotebook, outputText, runCell, setCellCode, waitForState } from './notebook-helpers';

useBrowser();
let lesson = '';

beforeAll(async () => {
  lesson = await lessonWithCells(baseUrl, 4);
});

const BUILD = `const model = tf.sequential();
model.add(rnn.embedding({ inputDim: 10000, outputDim: 32, inputLength: 100 }));
model.add(rnn.lstm({ units: 5 }));
model.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
console.log('built', model.layers.length, 'layers');
console.warn('just a warning');
model`;

describe('running cells', () => {
  it('loads no kernel or tfjs before the first Run, then shares state across cells like Jupyter', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    const scripts: string[] = [];
    page.on('request', (r) => scripts.push(r.url()));
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    expect(loaded.filter((u) => /worker|register_all_kernels|tfjs|tensorflow/i.test(u))).toEqual([]);
    expect(await kernelText(page)).toMatch(/Kernel:\s*not started/);
    expect(await cell(page, 0).locator('.cell-prompt').innerText()).toBe('In [ ]:');

    await setCellCode(page, 0, BUILD);
    await setCellCode(page, 1, 'model.layers.map((l) => l.name).join(", ")');
    await runCell(page, 0);
    await runCell(page, 1);
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    expect(await waitForState(page, 1, ['done', 'error'])).toBe('done');
    expect(workers.length).toBe(1);

    // The Keras 3 summary: a real table with caption, columns and the exact totals.
    const table = cell(page, 0).locator('table.nb-summary');
    expect(await table.locator('caption').innerText()).toMatch(/^Model: "sequential(_\d+)?"$/);
    expect(await table.locator('thead th').allInnerTexts()).toEqual(['Layer (type)', 'Output Shape', 'Param #']);
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(rows.map((r) => r[2])).toEqual(['320,000', '760', '6']);
    expect(rows[0]![1]).toBe('(None, 100, 32)');
    expect(await table.locator('tfoot').innerText()).toBe(
      'Total params: 320,766 (1.22 MB)\nTrainable params: 320,766 (1.22 MB)\nNon-trainable params: 0 (0.00 B)',
    );
    const align = await table.locator('tbody td.num').first().evaluate((td) => getComputedStyle(td).textAlign);
    expect(align).toBe('right');

    // console output in order, the warning styled apart.
    const out0 = await outputText(page, 0);
    expect(out0.indexOf('built 3 layers')).toBeGreaterThanOrEqual(0);
    expect(out0.indexOf('built 3 layers')).toBeLessThan(out0.indexOf('Model: "'));
    expect(await cell(page, 0).locator('pre.nb-warn').innerText()).toContain('just a warning');

    // Shared state: cell 2 sees cell 1's model.
    expect(await outputText(page, 1)).toMatch(/embedding.*lstm.*dense/);
    expect(await cell(page, 0).locator('.cell-prompt').innerText()).toBe('In [1]:');
    expect(await cell(page, 1).locator('.cell-prompt').innerText()).toBe('In [2]:');
    expect(await cell(page, 1).locator('.nb-cell-state').innerText()).toBe('Done');

    // Kernel status: idle, a backend, and a tensor count.
    await page.waitForFunction(() => /Kernel:\s*idle/.test(document.querySelector('#notebook-bar .nb-kernel')?.textContent ?? ''));
    const status = await kernelText(page);
    expect(status).toMatch(/Backend:\s*(cpu|wasm|webgl|webgpu)/);
    expect(status).toMatch(/Tensors:\s*\d+/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows syntax and runtime errors with the line and column in the cell, and the kernel stays usable', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    await setCellCode(page, 0, 'const a = 1;\nconst b = a +;\n');
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('error');
    const syntax = await outputText(page, 0);
    expect(syntax).toMatch(/^SyntaxError: /);
    expect(syntax).toMatch(/line 2, column \d+ of this cell/);
    expect(await cell(page, 0).locator('.cm-error-line').getAttribute('data-error-line')).toBe('2');
    expect(await cell(page, 0).locator('.nb-cell-state').innerText()).toBe('Error');

    await setCellCode(page, 1, 'const ok = 40;\n\nconst broken = null;\nbroken.size + ok;');
    await runCell(page, 1);
    expect(await waitForState(page, 1, ['done', 'error'])).toBe('error');
    const runtime = await outputText(page, 1);
    expect(runtime).toMatch(/^TypeError: /);
    expect(runtime).toMatch(/line 4, column \d+ of this cell/);
    expect(await cell(page, 1).locator('.cm-error-line').getAttribute('data-error-line')).toBe('4');

    // Same kernel, still usable, and cell 2's successful declaration survived.
    await setCellCode(page, 2, 'ok + 2');
    await runCell(page, 2);
    expect(await waitForState(page, 2, ['done', 'error'])).toBe('done');
    expect((await outputText(page, 2)).trim()).toBe('42');
    expect(await cell(page, 2).locator('.cell-prompt').innerText()).toBe('In [3]:');

    // Editing the cell clears the error mark.
    await setCellCode(page, 1, 'ok');
    expect(await cell(page, 1).locator('.cm-error-line').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
