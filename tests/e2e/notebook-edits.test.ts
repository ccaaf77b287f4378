/**
 * Edits and the keyboard: edits survive a reload, Reset restores the authored code, a stored
 * edit of an older version of a cell is offered ("Restore my edit") instead of silently
 * winning, and Run / Stop / Shift+Enter / Escape work without a mouse.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, browser, useBrowser } from './use-browser';
import { cell, lessonWithCells, openNotebook, outputText, setCellCode, waitForState } from './notebook-helpers';

useBrowser();
let lesson = '';

beforeAll(async () => {
  lesson = await lessonWithCells(baseUrl, 3);
});

const authored = (page: Page, i: number) => cell(page, i).evaluate((el) => (el as HTMLElement).dataset.source ?? '');
/** The editor's text with its line breaks. */
const editorText = (page: Page, i: number) =>
  cell(page, i).locator('.cm-content .cm-line').evaluateAll((lines) => lines.map((l) => l.textContent).join('\n'));

describe('edits', () => {
  it('survive a reload, and Reset restores the authored code', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    const original = await authored(page, 0);
    await setCellCode(page, 0, '// my edit\n1 + 1');
    expect(await cell(page, 0).locator('.nb-edited').isVisible()).toBe(true);
    await page.reload();
    await cell(page, 0).locator('.cm-content').waitFor();
    expect(await editorText(page, 0)).toBe('// my edit\n1 + 1');
    // The other cells were not touched and still show their Shiki listing.
    expect(await cell(page, 1).locator('.cm-content').count()).toBe(0);

    await cell(page, 0).getByRole('button', { name: 'Reset cell 1', exact: true }).click();
    expect(await editorText(page, 0)).toBe(original.replace(/\n$/, ''));
    expect(await cell(page, 0).getByRole('button', { name: 'Reset cell 1', exact: true }).isDisabled()).toBe(true);
    await page.reload();
    await page.waitForSelector('html[data-notebook="ready"]');
    expect(await cell(page, 0).locator('.cm-content').count()).toBe(0);
    expect((await cell(page, 0).locator('.cell-code pre').innerText()).trim()).toBe(original.trim());
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('an edit of an older version of the cell does not silently win: the reader can restore it', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    const id = await cell(page, 1).getAttribute('data-cell-id');
    const original = await authored(page, 1);
    // An edit saved while the cell had different authored code (another source hash).
    await page.evaluate(
      ([id]) =>
        localStorage.setItem(
          `rnn-notebook:edit:${location.pathname}#${id}`,
          JSON.stringify({ hash: 'older-version', code: 'const mine = "from last week";\nmine', savedAt: Date.now() - 864e5 }),
        ),
      [id],
    );
    await page.reload();
    await page.waitForSelector('html[data-notebook="ready"]');
    const notice = cell(page, 1).locator('.nb-stale');
    expect(await notice.innerText()).toMatch(/changed since you edited it/);
    // The authored code is what the cell shows and runs.
    expect((await cell(page, 1).locator('.cell-code pre').innerText()).trim()).toBe(original.trim());
    await cell(page, 1).getByRole('button', { name: 'Restore my edit' }).click();
    await cell(page, 1).locator('.cm-content').waitFor();
    expect(await editorText(page, 1)).toBe('const mine = "from last week";\nmine');
    expect(await notice.count()).toBe(0);
    await page.reload();
    await cell(page, 1).locator('.cm-content').waitFor();
    expect(await editorText(page, 1)).toBe('const mine = "from last week";\nmine');
    expect(await cell(page, 1).locator('.nb-stale').count()).toBe(0);
    await cell(page, 1).getByRole('button', { name: 'Reset cell 2', exact: true }).click();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('keyboard', () => {
  it('edits, runs (Enter, Ctrl+Enter, Shift+Enter), stops (Space) and leaves the editor (Escape, Tab) without a mouse', async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    const focusedIn = () =>
      page.evaluate(() => {
        const a = document.activeElement;
        const c = a?.closest('rnn-cell');
        return {
          cell: c ? [...document.querySelectorAll('rnn-cell')].indexOf(c) : -1,
          editor: !!a?.closest('.cm-editor'),
          text: a?.textContent?.trim() ?? '',
          tag: a?.tagName ?? '',
        };
      });

    // Focus the first cell's code listing, Enter opens the editor there.
    await cell(page, 0).locator('.cell-code pre').focus();
    await page.keyboard.press('Enter');
    await cell(page, 0).locator('.cm-content').waitFor();
    await page.waitForFunction(() => !!document.activeElement?.closest('rnn-cell .cm-editor'));
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText('await new Promise((r) => setTimeout(r, 60000));');
    // Tab leaves the editor (it is not trapped), Shift+Tab comes back.
    await page.keyboard.press('Tab');
    expect((await focusedIn()).editor).toBe(false);
    await page.keyboard.press('Shift+Tab');
    expect((await focusedIn()).editor).toBe(true);

    // Ctrl+Enter runs in place; Escape leaves the editor for the Run button; Tab reaches Stop.
    await page.keyboard.press('Control+Enter');
    await waitForState(page, 0, ['running']);
    await page.keyboard.press('Escape');
    expect(await focusedIn()).toMatchObject({ cell: 0, editor: false, text: 'Run cell 1', tag: 'BUTTON' });
    await page.keyboard.press('Tab');
    expect(await focusedIn()).toMatchObject({ cell: 0, text: 'Stop cell 1', tag: 'BUTTON' });
    await page.keyboard.press('Space');
    expect(await waitForState(page, 0, ['stopped', 'done', 'error'], 10_000)).toBe('stopped');

    // Stop is disabled once the cell has stopped: focus moved to Run instead of being lost.
    expect(await focusedIn()).toMatchObject({ cell: 0, text: 'Run cell 1', tag: 'BUTTON' });
    // Tab past the disabled Stop to Reset (the code is edited), then the code's Copy button,
    // then into the editor.
    await page.keyboard.press('Tab');
    expect((await focusedIn()).text).toBe('Reset cell 1');
    await page.keyboard.press('Tab');
    expect(await focusedIn()).toMatchObject({ cell: 0, text: 'Copy code of cell 1', tag: 'BUTTON' });
    await page.keyboard.press('Tab');
    expect((await focusedIn()).editor).toBe(true);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText('6 * 7');
    await page.keyboard.press('Shift+Enter');
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    expect((await outputText(page, 0)).trim()).toBe('42');
    expect((await focusedIn()).cell).toBe(1);

    // On the next cell's listing: Shift+Tab passes its Copy button and reaches Edit; Enter edits.
    await page.keyboard.press('Shift+Tab');
    expect((await focusedIn()).text).toBe('Copy code of cell 2');
    await page.keyboard.press('Shift+Tab');
    expect((await focusedIn()).text).toBe('Edit cell 2');
    await page.keyboard.press('Enter');
    await cell(page, 1).locator('.cm-content').waitFor();
    await page.waitForFunction(() => !!document.activeElement?.closest('rnn-cell .cm-editor'));
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText('"typed " + (1 + 1)');
    await page.keyboard.press('Escape');
    expect((await focusedIn()).text).toBe('Run cell 2');
    await page.keyboard.press('Enter');
    expect(await waitForState(page, 1, ['done', 'error'])).toBe('done');
    expect((await outputText(page, 1)).trim()).toBe('typed 2');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
