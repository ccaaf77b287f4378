/**
 * "Download as a Jupyter notebook" on every lesson page: the link downloads `<slug>.ipynb`, which
 * is valid nbformat 4 (official schema, ajv) and holds the Keras twins of the page's cells in the
 * page's order (read from the rendered page, not from the MDX).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Ajv from 'ajv-draft-04';
import { openPage } from './browser';
import { baseUrl, browser, useBrowser } from './use-browser';
import { discoverLessons } from './site-helpers';

const schema = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/nbformat/nbformat.v4.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
useBrowser();
let lessons: string[] = [];

beforeAll(async () => {
  lessons = await discoverLessons(browser, baseUrl);
});

describe('lesson as a Jupyter notebook', () => {
  it('every lesson page offers its .ipynb; the download is valid nbformat 4 with the page’s Keras cells in order', async () => {
    expect(lessons.length).toBeGreaterThanOrEqual(6);
    for (const url of lessons) {
      const slug = url.replace(/\/$/, '').split('/').pop()!;
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
});
