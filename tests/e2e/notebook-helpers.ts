/**
 * Helpers for the notebook's browser tests. The tests do not depend on what the lessons'
 * cells contain: they open a real lesson page and *edit* its cells through the CodeMirror
 * editor (as a reader would) with the code each test needs, then run them.
 */
import type { Browser, Page } from 'playwright-core';
import { openPage } from './browser';
import { renderAllSections } from './sections';

export interface LessonInfo {
  url: string;
  cells: number;
}

/** Lessons linked from the home page, in course order, with their number of cells. */
export async function lessonsWithCells(baseUrl: string): Promise<LessonInfo[]> {
  const home = await (await fetch(baseUrl)).text();
  const slugs = [...new Set([...home.matchAll(/href="[^"]*?lessons\/([a-z0-9-]+)\/?"/g)].map((m) => m[1]!))];
  const out: LessonInfo[] = [];
  for (const slug of slugs) {
    const url = new URL(`lessons/${slug}/`, baseUrl).href;
    const res = await fetch(url);
    if (!res.ok) continue;
    const html = await res.text();
    out.push({ url, cells: (html.match(/<rnn-cell\b/g) ?? []).length });
  }
  return out;
}

/** A lesson page with at least `min` cells (the one with the most cells). */
export async function lessonWithCells(baseUrl: string, min: number): Promise<string> {
  const all = (await lessonsWithCells(baseUrl)).sort((a, b) => b.cells - a.cells);
  const best = all[0];
  if (!best || best.cells < min) throw new Error(`No lesson with ${min} cells: ${JSON.stringify(all)}`);
  return best.url;
}

/**
 * Opens a lesson and waits until the notebook UI has enhanced its cells. By default every lesson
 * section is rendered (`renderAllSections`): notebook tests read cells anywhere on the page, as a
 * reader who scrolled to them would, and `innerText` reads '' in a section the browser skipped.
 * `sections: 'on-screen'` keeps the page as loaded (the benchmarks, which time what a reader gets).
 */
export async function openNotebook(browser: Browser, url: string, opts: { width?: number; height?: number; sections?: 'all' | 'on-screen' } = {}) {
  const r = await openPage(browser, url, opts);
  await r.page.waitForSelector('html[data-notebook="ready"]');
  if (opts.sections !== 'on-screen') await renderAllSections(r.page);
  return r;
}

export const cell = (page: Page, i: number) => page.locator('rnn-cell').nth(i);

/** Opens the editor of cell `i` by clicking its code, replaces the code by typing it. */
export async function setCellCode(page: Page, i: number, code: string): Promise<void> {
  const c = cell(page, i);
  const editor = c.locator('.cm-content');
  if ((await editor.count()) === 0) {
    await c.getByRole('button', { name: `Edit cell ${i + 1}`, exact: true }).click();
  }
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(code);
  await page.waitForFunction(
    ([i, code]) => document.querySelectorAll('rnn-cell')[i as number]?.querySelector('.cm-content')?.textContent === (code as string).replace(/\n/g, ''),
    [i, code] as const,
  );
}

export async function runCell(page: Page, i: number): Promise<void> {
  await cell(page, i).getByRole('button', { name: `Run cell ${i + 1}`, exact: true }).click();
}

export function cellState(page: Page, i: number): Promise<string | undefined> {
  return page.evaluate((i) => document.querySelectorAll<HTMLElement>('rnn-cell')[i]?.dataset.state, i);
}

/** Waits until cell `i` is in one of `states` (data-state: queued, running, done, error, stopped, cancelled). */
export async function waitForState(page: Page, i: number, states: string[], timeout = 90_000): Promise<string> {
  await page.waitForFunction(
    ([i, states]) => (states as string[]).includes(document.querySelectorAll<HTMLElement>('rnn-cell')[i as number]?.dataset.state ?? ''),
    [i, states] as const,
    { timeout },
  );
  return (await cellState(page, i))!;
}

export function outputText(page: Page, i: number): Promise<string> {
  return cell(page, i).locator('.cell-output').innerText();
}

export function kernelText(page: Page): Promise<string> {
  return page.locator('#notebook-bar .nb-kernel').innerText();
}

/** A tiny LSTM classifier on random sequences, trained for `epochs` (seconds, not minutes). */
export function tinyFitCode(epochs: number): string {
  return [
    'const xs = tf.randomNormal([64, 8, 4]);',
    'const ys = tf.randomUniform([64, 1]).round();',
    'const net = tf.sequential();',
    'net.add(rnn.lstm({ units: 8, inputShape: [8, 4] }));',
    "net.add(rnn.dense({ units: 1, activation: 'sigmoid' }));",
    "net.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy', metrics: ['accuracy'] });",
    `const hist = await net.fit(xs, ys, { epochs: ${epochs}, batchSize: 8, validationSplit: 0.25 });`,
    'hist.epoch.length',
  ].join('\n');
}
