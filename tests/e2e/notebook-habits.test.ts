/**
 * Jupyter habits and words for students, in a real page (issue 11, items 8-12):
 * - Run from the "Keras (Python)" tab switches back to the TensorFlow.js tab and says so;
 * - a cell run before the cell that defines its names says which cell defines them, links to
 *   it and offers "Run cells above"; Ctrl+Shift+Enter runs the cells above (keyboard);
 * - Copy buttons on code and outputs work from the keyboard and announce "Copied";
 * - outputs survive a reload, marked as from an earlier run, until the cell runs again;
 *   Clear outputs forgets them;
 * - on a site built without IMDB the stand-in is explained in a plain sentence (no URL, no
 *   HTTP status, no command) and the manifest is never requested (no 404).
 * Each at 1280 px, and the layout checks at 390 px, with axe on the restored outputs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { baseUrl, browser, useBrowser } from './use-browser';
import { cell, openNotebook, outputText, runCell, setCellCode, waitForState } from './notebook-helpers';

useBrowser();
let lesson = '';

beforeAll(async () => {
  lesson = new URL('lessons/lstm/', baseUrl).href;
});

async function axeOnCells(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: resolve(__dirname, '../../node_modules/axe-core/axe.min.js') });
  return page.evaluate(async () => {
    type AxeResult = { violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: unknown): Promise<AxeResult> } }).axe;
    const r = await axe.run({ include: [['rnn-cell'], ['#notebook-bar']] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}x, e.g. ${JSON.stringify(v.nodes[0]?.target)})`);
  });
}

describe('enhancing the cells', () => {
  it('enhances one cell per task, and anything that needs every cell finishes them first', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // The moment the notebook is created (its constructor has just returned): the first cell is
    // enhanced, the rest wait for their tasks; asking for `cells` must enhance all of them at once.
    await page.addInitScript(() => {
      let nb: unknown;
      Object.defineProperty(window, 'rnnNotebook', {
        configurable: true,
        get: () => nb,
        set(value: { cells: { index: number }[] }) {
          nb = value;
          const enhanced = () => document.querySelectorAll('rnn-cell.nb-enhanced').length;
          const before = enhanced();
          const readyBefore = document.documentElement.dataset.notebook ?? null;
          const cells = value.cells;
          (window as unknown as { probe: unknown }).probe = {
            total: document.querySelectorAll('rnn-cell').length,
            before,
            readyBefore,
            afterCells: enhanced(),
            indices: cells.map((c) => c.index),
            readyAfter: document.documentElement.dataset.notebook ?? null,
          };
        },
      });
    });
    await page.goto(lesson);
    await page.waitForSelector('html[data-notebook="ready"]');
    const p = (await page.evaluate(() => (window as unknown as { probe: unknown }).probe)) as {
      total: number;
      before: number;
      readyBefore: string | null;
      afterCells: number;
      indices: number[];
      readyAfter: string | null;
    };
    expect(p.total).toBeGreaterThan(2);
    expect(p.before).toBe(1);
    expect(p.readyBefore).toBeNull();
    expect(p.afterCells).toBe(p.total);
    expect(p.indices).toEqual(Array.from({ length: p.total }, (_, i) => i + 1));
    expect(p.readyAfter).toBe('ready');
    // Each cell once: the cells left to the background tasks were not enhanced a second time.
    await page.waitForTimeout(200);
    expect(await page.locator('rnn-cell .cell-actions .nb-run').count()).toBe(p.total);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('Run from the Keras (Python) tab', () => {
  it('switches to the TensorFlow.js tab, runs the JavaScript and says so', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    await setCellCode(page, 0, '40 + 2');
    const c = cell(page, 0);
    await c.getByRole('tab', { name: 'Keras (Python)' }).click();
    await expect.poll(() => c.locator('.cell-keras').isVisible()).toBe(true);
    expect(await c.locator('.cell-code').isVisible()).toBe(false);
    expect(await c.getByRole('button', { name: 'Run cell 1', exact: true }).getAttribute('title')).toMatch(/TensorFlow\.js version/);
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    expect(await c.getByRole('tab', { name: 'TensorFlow.js' }).getAttribute('aria-selected')).toBe('true');
    expect(await c.locator('.cell-code').isVisible()).toBe(true);
    expect(await c.locator('.cell-keras').isVisible()).toBe(false);
    const out = await outputText(page, 0);
    expect(out).toMatch(/Ran the TensorFlow\.js code of this cell/);
    expect(out).toContain('42');
    // Run again from the JS tab: no note.
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    expect(await outputText(page, 0)).not.toMatch(/Ran the TensorFlow\.js code/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('Shift+Enter in the Python listing and Ctrl+Enter on the tab run the cell too, as the Run button does', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    await setCellCode(page, 0, '40 + 2');
    const c = cell(page, 0);
    const kerasTab = c.getByRole('tab', { name: 'Keras (Python)' });
    await kerasTab.click();
    await c.locator('.cell-keras pre').click();
    await page.keyboard.press('Shift+Enter');
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    expect(await outputText(page, 0)).toMatch(/Ran the TensorFlow\.js code of this cell[\s\S]*42/);
    expect(await c.getByRole('tab', { name: 'TensorFlow.js' }).getAttribute('aria-selected')).toBe('true');
    // Shift+Enter moves on, as everywhere else: the focus is in the next cell.
    expect(await page.evaluate(() => document.activeElement?.closest('rnn-cell') === document.querySelectorAll('rnn-cell')[1])).toBe(true);
    // Ctrl+Enter on the Keras tab runs in place; the keys do not also select the tab.
    await setCellCode(page, 0, '6 * 7 + 100');
    await kerasTab.click();
    await kerasTab.focus();
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => outputText(page, 0)).toContain('142');
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    expect(await c.getByRole('tab', { name: 'TensorFlow.js' }).getAttribute('aria-selected')).toBe('true');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('cells run out of order', () => {
  it('names the defining cell, links to it, and runs the cells above on request', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    await setCellCode(page, 0, 'const answerBase = 41;');
    await setCellCode(page, 1, 'answerBase + 1');
    await runCell(page, 1);
    expect(await waitForState(page, 1, ['done', 'error'])).toBe('error');
    const hint = cell(page, 1).locator('.nb-hint');
    await hint.waitFor();
    expect(await hint.innerText()).toMatch(/answerBase is defined in cell 1\./);
    // The link takes the reader (and the focus) to the defining cell.
    await hint.getByRole('link', { name: 'cell 1' }).click();
    expect(await page.evaluate(() => !!document.activeElement?.closest('rnn-cell') && document.activeElement!.closest('rnn-cell') === document.querySelectorAll('rnn-cell')[0])).toBe(true);
    // Keyboard: Tab to the button, Enter.
    const button = hint.getByRole('button', { name: 'Run cells above, then this one' });
    await button.focus();
    await page.keyboard.press('Enter');
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    expect(await waitForState(page, 1, ['done', 'error'])).toBe('done');
    expect(await outputText(page, 1)).toContain('42');
    expect(await cell(page, 1).locator('.nb-hint').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('Ctrl+Shift+Enter in a cell runs every cell above it (and not the cell itself)', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    await setCellCode(page, 0, 'const one = 1;');
    await setCellCode(page, 1, 'const two = one + 1; two');
    await setCellCode(page, 2, 'two + 1');
    await cell(page, 2).locator('.cm-content').click();
    await page.keyboard.press('Control+Shift+Enter');
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    expect(await waitForState(page, 1, ['done', 'error'])).toBe('done');
    expect(await outputText(page, 1)).toContain('2');
    expect(await cell(page, 2).getAttribute('data-state')).toBeNull();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('says where a name is defined when that cell is below', async () => {
    const { page } = await openNotebook(browser, lesson);
    await setCellCode(page, 0, 'laterName * 2');
    await setCellCode(page, 2, 'const laterName = 5;');
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('error');
    const hint = cell(page, 0).locator('.nb-hint');
    await hint.waitFor();
    expect(await hint.innerText()).toMatch(/laterName is defined in cell 3, below this one\. Run that cell first\./);
    expect(await hint.getByRole('button').count()).toBe(0);
    await page.context().close();
  });
});

describe('copy buttons', () => {
  it('copy code and outputs from the keyboard and announce "Copied"', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseUrl).origin });
    await setCellCode(page, 0, "console.log('hello from cell one'); 6 * 7");
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    const c = cell(page, 0);
    await c.getByRole('button', { name: 'Copy code of cell 1' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => c.locator('.nb-copy-status').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("console.log('hello from cell one'); 6 * 7");

    await c.getByRole('button', { name: 'Copy output of cell 1' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/hello from cell one[\s\S]*42/);

    // The Keras tab has its own Copy button, copying the Python.
    await c.getByRole('tab', { name: 'Keras (Python)' }).click();
    await c.getByRole('button', { name: 'Copy Keras code of cell 1' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/imdb\.load_data/);

    // A model summary copies as lines: the caption, then the header row, then one row per layer.
    await setCellCode(page, 1, 'const m = tf.sequential();\nm.add(tf.layers.dense({ units: 1, inputShape: [3] }));\nm.summary();');
    await runCell(page, 1);
    expect(await waitForState(page, 1, ['done', 'error'])).toBe('done');
    await cell(page, 1).getByRole('button', { name: 'Copy output of cell 2' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/^Model: "[^"]+"\nLayer \(type\)\tOutput Shape\tParam #\n/m);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('outputs survive a reload', () => {
  for (const width of [1280, 390]) {
    it(`keeps the last outputs, marked as from an earlier run, until the cell runs again (${width} px)`, async () => {
      const { page, errors } = await openNotebook(browser, lesson, { width });
      // A value wider than the cell: its box scrolls, so it must stay reachable by keyboard.
      await setCellCode(page, 0, "console.log('kept line'); ({ answer: 42, wide: 'w'.repeat(400) })");
      await runCell(page, 0);
      expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
      await page.reload();
      await page.waitForSelector('html[data-notebook="ready"]');
      const c = cell(page, 0);
      expect(await c.evaluate((el) => el.classList.contains('nb-output-earlier'))).toBe(true);
      const out = await outputText(page, 0);
      expect(out).toMatch(/From an earlier run/);
      expect(out).toContain('kept line');
      expect(out).toContain('answer: 42');
      expect(await c.locator('.cell-prompt').textContent()).toBe('In [ ]:');
      // Storage drops tab stops; the restored box that scrolls gets its own back.
      await c.scrollIntoViewIfNeeded();
      await expect.poll(() => c.locator('.nb-earlier pre[tabindex="0"][role="group"]').count()).toBe(1);
      // Still readable: axe finds nothing in the restored (dimmed) outputs; the page does not scroll sideways.
      expect(await axeOnCells(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

      // Running again replaces them with live outputs.
      await runCell(page, 0);
      expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
      expect(await outputText(page, 0)).not.toMatch(/From an earlier run/);
      expect(await c.evaluate((el) => el.classList.contains('nb-output-earlier'))).toBe(false);

      // Clear outputs forgets the kept copy.
      await page.getByRole('button', { name: 'Clear outputs' }).click();
      await page.reload();
      await page.waitForSelector('html[data-notebook="ready"]');
      expect(await outputText(page, 0)).toBe('');
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});

describe('the IMDB stand-in, on a site built without the data', () => {
  it('explains the stand-in in a plain sentence and never requests the missing manifest', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    const requested: { url: string; status: number }[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/data/')) requested.push({ url: r.url(), status: r.status() });
    });
    await setCellCode(page, 0, "const [[few]] = await imdb.loadData({ limit: 20, fallback: 'toy' });\n({ data: imdb.source(), reviews: few.length })");
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    const out = await outputText(page, 0);
    expect(out).toMatch(/The IMDB movie reviews are not available on this site, so this run uses a made-up stand-in/);
    expect(out).toContain("data: 'toy'");
    expect(out).not.toMatch(/https?:|HTTP|404|npm run|manifest/);
    expect(requested.map((r) => r.url.split('/data/')[1])).toEqual(['imdb-available.json']);
    expect(requested.every((r) => r.status === 200)).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
