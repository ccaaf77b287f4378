/**
 * The notebook's own outputs and controls, checked after real runs: axe-core finds no
 * violations in the cells and the toolbar (light and dark), a phone-sized page does not
 * scroll sideways (wide outputs scroll in their own box), and `files.pick()` is answered from
 * the file picker in the cell output.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { baseUrl, browser, useBrowser } from './use-browser';
import { cell, lessonWithCells, openNotebook, outputText, runCell, setCellCode, tinyFitCode, waitForState } from './notebook-helpers';

useBrowser();
let lesson = '';

beforeAll(async () => {
  lesson = await lessonWithCells(baseUrl, 3);
});

const SUMMARY = `const m = tf.sequential();
m.add(rnn.embedding({ inputDim: 10000, outputDim: 32, inputLength: 100 }));
m.add(rnn.lstm({ units: 5 }));
m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
m.summary();`;

async function runOutputs(page: Page): Promise<void> {
  await setCellCode(page, 0, SUMMARY);
  await setCellCode(page, 1, tinyFitCode(3));
  await runCell(page, 0);
  await runCell(page, 1);
  expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
  expect(await waitForState(page, 1, ['done', 'error'])).toBe('done');
  await cell(page, 1).locator('canvas[role="img"]').first().waitFor();
}

async function axeOnNotebook(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: resolve(__dirname, '../../node_modules/axe-core/axe.min.js') });
  return page.evaluate(async () => {
    type AxeResult = { violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: unknown): Promise<AxeResult> } }).axe;
    const r = await axe.run({ include: [['rnn-cell'], ['#notebook-bar']] });
    return r.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.length}x, e.g. ${JSON.stringify(v.nodes[0]?.target)} ${(v.nodes[0] as { failureSummary?: string })?.failureSummary ?? ''})`,
    );
  });
}

describe('accessibility and layout of outputs', () => {
  it('has no axe violations in cells and toolbar after a run, light and dark', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    await runOutputs(page);
    expect(await outputText(page, 0)).toContain('Total params: 320,766 (1.22 MB)');
    expect(await axeOnNotebook(page)).toEqual([]);
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    expect(await axeOnNotebook(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('on a phone, wide outputs scroll inside their box and the page does not scroll sideways', async () => {
    const { page, errors } = await openNotebook(browser, lesson, { width: 375, height: 800 });
    await runOutputs(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await cell(page, 0).locator('table.nb-summary').evaluate((t) => {
      const s = t.closest('.nb-scroll') as HTMLElement;
      return { scrolls: s.scrollWidth > s.clientWidth, overflowX: getComputedStyle(s).overflowX };
    });
    expect(box).toEqual({ scrolls: true, overflowX: 'auto' });
    // Toolbar buttons wrap instead of overflowing.
    const bar = await page.locator('#notebook-bar').evaluate((b) => b.scrollWidth <= b.clientWidth + 1);
    expect(bar).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('answers files.pick() from the file picker in the cell output', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    await setCellCode(page, 0, "const f = await files.pick({ accept: '.txt,text/plain', prompt: 'Pick a review file' });\n`${f.name}: ${f.text().toUpperCase()} (${f.bytes.byteLength} bytes)`");
    await runCell(page, 0);
    const input = cell(page, 0).locator('.nb-file-request input[type=file]');
    await input.waitFor({ state: 'attached' });
    expect(await input.getAttribute('accept')).toBe('.txt,text/plain');
    expect(await cell(page, 0).locator('.nb-file-request').innerText()).toContain('Pick a review file');
    await input.setInputFiles({ name: 'review.txt', mimeType: 'text/plain', buffer: Buffer.from('great movie') });
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    expect(await outputText(page, 0)).toContain('review.txt: GREAT MOVIE (11 bytes)');

    // Cancel answers with no file: the cell reports it instead of waiting forever.
    await setCellCode(page, 1, "await files.pick({ accept: '.csv' })");
    await runCell(page, 1);
    await cell(page, 1).getByRole('button', { name: 'Cancel' }).click();
    expect(await waitForState(page, 1, ['done', 'error', 'stopped'], 10_000)).not.toBe('running');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
