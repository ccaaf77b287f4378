/**
 * The page keeps painting while a model trains: training runs in the worker, and the page
 * applies output updates at most once per animation frame (and ~10 times a second). Frame
 * gaps are measured with requestAnimationFrame inside the page during a fit, with the live
 * output on screen. This is a behaviour check, not a speed benchmark: a tab frozen by
 * training on the main thread shows gaps of seconds and a handful of frames, while a busy
 * shared test machine (we measured load averages of 10-15 on 2 cores) alone causes gaps of a
 * few hundred ms even on an idle page. So the default bounds are generous; on a quiet machine
 * tighten them, e.g. E2E_MAX_FRAME_GAP_MS=200.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, browser, useBrowser } from './use-browser';
import { cellState, lessonWithCells, openNotebook, outputText, runCell, setCellCode, tinyFitCode, waitForState } from './notebook-helpers';

useBrowser();
let lesson = '';

beforeAll(async () => {
  lesson = await lessonWithCells(baseUrl, 1);
});

const MAX_GAP_MS = Number(process.env.E2E_MAX_FRAME_GAP_MS ?? 1000);
/** Most frames must come at a steady pace. */
const P90_GAP_MS = Math.min(MAX_GAP_MS, 200);

describe('responsiveness', () => {
  it('keeps painting frames while a model trains in the worker', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    await setCellCode(page, 0, tinyFitCode(100_000));
    await runCell(page, 0);
    // Measure once training has started (tfjs loaded, first epoch lines shown).
    await page.waitForFunction(
      () => {
        const c = document.querySelectorAll<HTMLElement>('rnn-cell')[0]!;
        return c.querySelectorAll('.nb-history-table tbody tr').length >= 1 || c.dataset.state !== 'running';
      },
      null,
      { timeout: 90_000 },
    );
    expect(await cellState(page, 0), await outputText(page, 0)).toBe('running');
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
    expect(await cellState(page, 0)).toBe('running'); // still training: the measurement was during fit
    // Training made progress while we measured, and frames kept coming.
    expect(frames.rows[1]).toBeGreaterThan(frames.rows[0]);
    const sorted = [...frames.gaps].sort((a, b) => a - b);
    const maxGap = sorted.at(-1)!;
    const p90 = sorted[Math.floor(sorted.length * 0.9)]!;
    // 4 s of measurement: at least 30 frames (a frozen tab paints a handful).
    expect(frames.gaps.length).toBeGreaterThan(30);
    expect(p90).toBeLessThan(P90_GAP_MS);
    expect(maxGap).toBeLessThan(MAX_GAP_MS);

    await page.locator('#notebook-bar').getByRole('button', { name: 'Stop', exact: true }).click();
    expect(await waitForState(page, 0, ['stopped', 'done', 'error'], 10_000)).toBe('stopped');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
