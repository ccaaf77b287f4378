/**
 * The page keeps painting while a model trains: training runs in the worker, and the page
 * applies output updates at most once per animation frame. Frame gaps are measured with
 * requestAnimationFrame inside the page during a fit. This is a behaviour check (a frozen tab
 * shows gaps of seconds), not a speed benchmark, so the bound is generous: the test machine
 * may be shared with other busy processes.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch } from './browser';
import { lessonWithCells, openNotebook, runCell, setCellCode, tinyFitCode, waitForState } from './notebook-helpers';

const baseUrl = inject('baseUrl');
let browser: Browser;
let lesson = '';

beforeAll(async () => {
  browser = await launch();
  lesson = await lessonWithCells(baseUrl, 1);
});
afterAll(async () => {
  await browser?.close();
});

const MAX_GAP_MS = 300;

describe('responsiveness', () => {
  it('keeps painting frames while a model trains in the worker', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    await setCellCode(page, 0, tinyFitCode(1000));
    await runCell(page, 0);
    // Measure once training has started (tfjs loaded, first epoch lines shown).
    await page.waitForFunction(() => document.querySelectorAll('rnn-cell')[0]!.querySelectorAll('.nb-history-table tbody tr').length >= 1, null, {
      timeout: 90_000,
    });
    await page.locator('rnn-cell').first().locator('.cell-output').scrollIntoViewIfNeeded();
    const frames = await page.evaluate(
      (ms) =>
        new Promise<{ gaps: number[]; rows: [number, number] }>((resolve) => {
          const rows = () => document.querySelectorAll('rnn-cell')[0]!.querySelectorAll('.nb-history-table tbody tr').length;
          const startRows = rows();
          const gaps: number[] = [];
          let last = performance.now();
          const start = last;
          const tick = (t: number) => {
            gaps.push(t - last);
            last = t;
            if (t - start < ms) requestAnimationFrame(tick);
            else resolve({ gaps, rows: [startRows, rows()] });
          };
          requestAnimationFrame(tick);
        }),
      4000,
    );
    expect(await waitForState(page, 0, ['running'])).toBe('running'); // still training: the measurement was during fit
    // Training made progress while we measured, and frames kept coming.
    expect(frames.rows[1]).toBeGreaterThan(frames.rows[0]);
    const maxGap = Math.max(...frames.gaps);
    expect(frames.gaps.length).toBeGreaterThan(20);
    expect(maxGap).toBeLessThan(MAX_GAP_MS);

    await page.locator('#notebook-bar').getByRole('button', { name: 'Stop', exact: true }).click();
    expect(await waitForState(page, 0, ['stopped', 'done', 'error'], 10_000)).toBe('stopped');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
