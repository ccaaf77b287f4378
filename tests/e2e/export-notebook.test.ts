/**
 * "Download as a Jupyter notebook" on every lesson page with cells: the link downloads
 * `<slug>.ipynb`, which is valid nbformat 4 (official schema, ajv) and holds the Keras twins of
 * the page's cells in the page's order (read from the rendered page, not from the MDX). A lesson
 * without cells has neither the link, nor a notebook toolbar, nor a .ipynb.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Ajv from 'ajv-draft-04';
import { openPage } from './browser';
import { baseUrl, browser, useBrowser } from './use-browser';
import { discoverLessons, EXPECTED_LESSONS, LESSONS_WITH_CELLS, slugOf } from './site-helpers';

const schema = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/nbformat/nbformat.v4.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
useBrowser();
let lessons: string[] = [];

beforeAll(async () => {
  lessons = await discoverLessons(browser, baseUrl);
});

describe('lesson as a Jupyter notebook', () => {
  it('every lesson page with cells offers its .ipynb; the download is valid nbformat 4 with the page’s Keras cells in order', async () => {
    // Every lesson of content/lessons/ with cells is on the home page and checked here.
    const withCells = lessons.filter((url) => LESSONS_WITH_CELLS.some((l) => l.slug === slugOf(url)));
    expect(withCells.map(slugOf)).toEqual(LESSONS_WITH_CELLS.map((l) => l.slug));
    expect(withCells.length).toBeGreaterThan(0);
    for (const url of withCells) {
      const slug = slugOf(url);
      const { page, errors } = await openPage(browser, url);
      const link = page.getByRole('link', { name: 'Download as a Jupyter notebook (.ipynb)' });
      expect(await link.getAttribute('href')).toBe(new URL(`../${slug}.ipynb`, url).pathname);
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toBe(`${slug}.ipynb`);
      const nb = JSON.parse(readFileSync((await download.path())!, 'utf8'));
      expect(validate(nb), `${slug}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(nb.nbformat).toBe(4);

      // The Keras tab of every cell on the page, in page order, is a code cell of the notebook.
      const kerasOnPage = await page.$$eval('rnn-cell', (cells) =>
        cells.map((c) => ({ id: (c as HTMLElement).dataset.cellId, keras: c.querySelector('.cell-keras pre')?.textContent ?? null })),
      );
      const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code');
      expect(code[0].id).toBe('setup');
      expect(code.slice(1).map((c: { id: string }) => c.id)).toEqual(kerasOnPage.map((c) => `${c.id}-keras`));
      code.slice(1).forEach((c: { source: string[] }, i: number) => {
        expect(c.source.join('').trim()).toBe(kerasOnPage[i].keras?.trim());
      });
      // Prose and maths: the page's first heading is in the notebook; display maths kept as $$…$$.
      const markdown = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'markdown').map((c: { source: string[] }) => c.source.join('')).join('\n');
      const h2 = await page.locator('.lesson-body h2').first().innerText();
      expect(markdown).toContain(`## ${h2.trim()}`);
      expect(markdown).toMatch(/\$\$\n[\s\S]+?\n\$\$/);
      expect(markdown).not.toMatch(/```js cell/);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('a lesson without cells has no notebook link, no toolbar and no .ipynb', async () => {
    const without = EXPECTED_LESSONS.filter((l) => l.cells === 0);
    for (const { slug } of without) {
      const url = new URL(`lessons/${slug}/`, baseUrl).href;
      expect(lessons, `${slug} is on the home page`).toContain(url);
      const { page, errors } = await openPage(browser, url);
      expect(await page.locator('rnn-cell').count(), slug).toBe(0);
      expect(await page.getByRole('link', { name: 'Download as a Jupyter notebook (.ipynb)' }).count(), slug).toBe(0);
      expect(await page.locator('#notebook-bar').count(), slug).toBe(0);
      expect(await page.getByRole('region', { name: 'Notebook toolbar' }).count(), slug).toBe(0);
      expect((await fetch(new URL(`../${slug}.ipynb`, url))).status, `${slug}.ipynb`).toBe(404);
      await page.waitForTimeout(50);
      expect(errors, slug).toEqual([]);
      await page.context().close();
    }
  });
});
