/**
 * Run all on a real lesson: every cell of the quick lesson runs in order and ends "done",
 * with Keras-like output (a model summary table). The lesson is the first in course order,
 * or E2E_QUICK_LESSON=<slug>.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch } from './browser';
import { lessonsWithCells, openNotebook } from './notebook-helpers';

const baseUrl = inject('baseUrl');
let browser: Browser;
let lesson = '';

beforeAll(async () => {
  browser = await launch();
  const lessons = await lessonsWithCells(baseUrl);
  const slug = process.env.E2E_QUICK_LESSON;
  lesson = (slug ? lessons.find((l) => l.url.endsWith(`/lessons/${slug}/`)) : lessons.find((l) => l.cells > 0))?.url ?? '';
});
afterAll(async () => {
  await browser?.close();
});

describe('a whole lesson', () => {
  it('Run all runs every cell in order to the end, with a Keras-like summary', { timeout: 300_000 }, async () => {
    expect(lesson).not.toBe('');
    const { page, errors } = await openNotebook(browser, lesson);
    const n = await page.locator('rnn-cell').count();
    await page.locator('#notebook-bar').getByRole('button', { name: 'Run all', exact: true }).click();
    await page.waitForFunction(
      () => {
        const states = [...document.querySelectorAll<HTMLElement>('rnn-cell')].map((c) => c.dataset.state);
        return states.every((s) => s === 'done') || states.some((s) => s === 'error' || s === 'cancelled' || s === 'stopped');
      },
      null,
      { timeout: 280_000, polling: 500 },
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
    expect(report).toHaveLength(n);
    if (n > 0) expect(await page.locator('table.nb-summary tfoot').first().innerText()).toMatch(/^Total params: [\d,]+ \([\d.]+ [KMG]?B\)/);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
