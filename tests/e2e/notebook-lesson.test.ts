/**
 * Run all on every real lesson, offline: each lesson's cells run in order to the end and
 * finish "done" (IMDB cells fall back to the synthetic IMDB-shaped data, since the test site
 * has no `public/data`), with Keras-like output: a summary table with Keras's totals, and a
 * history table wherever a cell trained a model. E2E_QUICK_LESSON=<slug> runs one lesson only.
 */
import { describe, expect, it } from 'vitest';
import { baseUrl, browser, useBrowser } from './use-browser';
import { lessonsWithCells, openNotebook } from './notebook-helpers';
import { LESSONS_WITH_CELLS } from './site-helpers';

const only = process.env.E2E_QUICK_LESSON;
const lessons = (await lessonsWithCells(baseUrl)).filter(
  (l) => l.cells > 0 && (!only || l.url.endsWith(`/lessons/${only}/`)),
);
useBrowser();

describe('whole lessons', () => {
  it('finds every lesson of content/lessons/ that has cells, in course order, with as many cells as its MDX (one unless E2E_QUICK_LESSON is set)', () => {
    const expected = LESSONS_WITH_CELLS.filter((l) => !only || l.slug === only);
    expect(expected.length).toBeGreaterThan(0);
    expect(lessons.map((l) => ({ url: l.url, cells: l.cells }))).toEqual(
      expected.map((l) => ({ url: new URL(`lessons/${l.slug}/`, baseUrl).href, cells: l.cells })),
    );
  });

  for (const lesson of lessons) {
    const slug = lesson.url.replace(/\/$/, '').split('/').pop();
    it(`Run all on ${slug} runs every cell in order to the end, with Keras-like output`, { timeout: 420_000 }, async () => {
      const { page, errors } = await openNotebook(browser, lesson.url);
      const n = await page.locator('rnn-cell').count();
      expect(n).toBe(lesson.cells);
      await page.locator('#notebook-bar').getByRole('button', { name: 'Run all', exact: true }).click();
      await page.waitForFunction(
        () => {
          const states = [...document.querySelectorAll<HTMLElement>('rnn-cell')].map((c) => c.dataset.state);
          return states.every((s) => s === 'done') || states.some((s) => s === 'error' || s === 'cancelled' || s === 'stopped');
        },
        null,
        { timeout: 400_000, polling: 500 },
      );
      const report = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('rnn-cell')].map((c) => ({
          id: c.dataset.cellId,
          state: c.dataset.state,
          prompt: c.querySelector('.cell-prompt')?.textContent,
          error: c.querySelector('.nb-error')?.textContent ?? '',
        })),
      );
      expect(report.filter((r) => r.state !== 'done')).toEqual([]);
      // In order: In [1] … In [n].
      expect(report.map((r) => r.prompt)).toEqual(report.map((_, i) => `In [${i + 1}]:`));
      // Every lesson shows Keras-style output: summaries with Keras's totals line, or tables
      // (a training history, a comparison of parameter counts).
      const totals = await page.locator('table.nb-summary tfoot').allInnerTexts();
      for (const t of totals) expect(t).toMatch(/^Total params: [\d,]+ \([\d.]+ [KMG]?B\)/);
      expect(await page.locator('rnn-cell .cell-output table.nb-table').count()).toBeGreaterThan(0);
      // Every cell that trained with fit shows its history table.
      const fits = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('rnn-cell')].filter((c) => /\.fit\(/.test(c.dataset.source ?? '')).length,
      );
      expect(await page.locator('rnn-cell .cell-output table.nb-history-table').count()).toBeGreaterThanOrEqual(fits > 0 ? 1 : 0);
      // The course's own lessons: checks of what their particular cells show.
      // Masking live (bidirectional lesson): with maskZero, 'pre' and 'post' padding give the
      // same prediction; without a mask they do not.
      if (slug === 'bidirectional-rnns') {
        const rows = await page.locator('rnn-cell[data-cell-id="bi-masking"] .cell-output table.nb-table tbody tr').allInnerTexts();
        expect(rows.length).toBe(5);
        const cols = await page.locator('rnn-cell[data-cell-id="bi-masking"] .cell-output table.nb-table thead th').allInnerTexts();
        const at = (name: string) => cols.findIndex((c) => c.trim() === name);
        const cells = rows.map((r) => r.split('\t').map((v) => Number(v)));
        expect(at('mask, pre')).toBeGreaterThan(0);
        for (const r of cells) expect(Math.abs(r[at('mask, pre')] - r[at('mask, post')])).toBeLessThanOrEqual(2e-4);
        expect(cells.some((r) => Math.abs(r[at('no mask, pre')] - r[at('no mask, post')]) > 2e-4)).toBe(true);
      }
      // The regularised stack (dropout, recurrentDropout) trains live with its history table.
      if (slug === 'stacked-rnns') {
        expect(await page.locator('rnn-cell[data-cell-id="stacked-regularised"] .cell-output table.nb-history-table').count()).toBe(1);
      }
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
