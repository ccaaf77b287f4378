/**
 * Search as a reader meets it (issue 11, item 13), on the built site with its Pagefind index:
 * results quote prose, with each formula as the readable text of its TeX ("W has d · u entries")
 * rather than dropped or flattened into text, and never repeat their own title; the
 * header's box keeps the query on the search page; the placeholder is readable (>= 4.5:1) on a
 * phone; Ctrl+K and "/" open instant results in a dialog (not while typing code), Escape
 * closes it and gives focus back. Checked at 1280 and 390 px, with axe on the open dialog.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { openPage } from './browser';
import { baseUrl, browser, useBrowser } from './use-browser';
import { contrast } from './site-helpers';

useBrowser();

async function axe(page: Page, include: string): Promise<string[]> {
  await page.addScriptTag({ path: resolve(__dirname, '../../node_modules/axe-core/axe.min.js') });
  return page.evaluate(async (include) => {
    type AxeResult = { violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] };
    const a = (window as unknown as { axe: { run(ctx: unknown): Promise<AxeResult> } }).axe;
    const r = await a.run({ include: [[include]] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${JSON.stringify(v.nodes[0]?.target)})`);
  }, include);
}

/** Titles, addresses and excerpts of the results shown in `scope`, once they have loaded. */
async function results(page: Page, scope: string) {
  await page.locator(`${scope} .pagefind-ui__result`).first().waitFor({ timeout: 30_000 });
  await page.waitForFunction((s) => !document.querySelector(`${s} .pagefind-ui__result .pagefind-ui__loading`), scope);
  return page.locator(`${scope} .pagefind-ui__result`).evaluateAll((els) =>
    els.map((el) => ({
      title: el.querySelector('.pagefind-ui__result-title')?.textContent?.trim() ?? '',
      url: el.querySelector<HTMLAnchorElement>('.pagefind-ui__result-link')?.href ?? '',
      nested: [...el.querySelectorAll('.pagefind-ui__result-nested .pagefind-ui__result-title')].map((n) => n.textContent?.trim() ?? ''),
      excerpts: [...el.querySelectorAll('.pagefind-ui__result-excerpt')].map((n) => n.textContent ?? ''),
    })),
  );
}

/**
 * KaTeX's two rendered copies (MathML and HTML) of every formula on the pages at `urls`, as
 * their text reads when flattened (what an index of that text would quote), leaving out those
 * that read the same as the formula's readable text (`data-math-text`, e.g. a lone "W").
 */
async function flattenedMaths(page: Page, urls: string[]): Promise<string[]> {
  return page.evaluate(async (urls) => {
    const out = new Set<string>();
    for (const url of new Set(urls.map((u) => u.split('#')[0]!))) {
      const doc = new DOMParser().parseFromString(await (await fetch(url)).text(), 'text/html');
      for (const k of doc.querySelectorAll('.katex')) {
        const readable = (k.getAttribute('data-math-text') ?? '').trim();
        for (const copy of k.querySelectorAll('.katex-mathml, .katex-html')) {
          const flat = (copy.textContent ?? '').replace(/\s+/g, '');
          if (flat.length >= 3 && flat !== readable.replace(/\s+/g, '')) out.add(flat);
        }
      }
    }
    return [...out];
  }, urls);
}

describe('search results', () => {
  it('quote prose without flattened maths, never repeat their own title, and keep the query in the header box', async () => {
    const { page, errors } = await openPage(browser, baseUrl);
    await page.fill('#site-search-q', 'update gate');
    await page.press('#site-search-q', 'Enter');
    await page.waitForURL(/\/search\/\?q=update/);
    const found = await results(page, '.search-page');
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((r) => /GRU/.test(r.title))).toBe(true);
    // Formulas read as their TeX's readable text ("z_t = σ(x_t W_z + …)"): never raw TeX, nor
    // KaTeX's text flattened ("ft,it,ot∈(0,1)1×u", with the zero-width spaces of its layout).
    const flattened = await flattenedMaths(page, found.map((r) => r.url));
    expect(flattened.length).toBeGreaterThan(0);
    for (const r of found) {
      expect(r.nested, `sub-results of "${r.title}"`).not.toContain(r.title);
      for (const text of r.excerpts) {
        expect(text, `excerpt of "${r.title}"`).not.toMatch(/\\[a-zA-Z]+|\u200b/);
        const squeezed = text.replace(/\s+/g, '');
        expect(flattened.filter((f) => squeezed.includes(f)), `excerpt of "${r.title}": ${text}`).toEqual([]);
      }
    }
    // The header box shows the query; refining it on the page updates the box and the address.
    expect(await page.inputValue('#site-search-q')).toBe('update gate');
    await page.fill('.search-page .pagefind-ui__search-input', 'forget gate');
    await expect.poll(() => page.inputValue('#site-search-q')).toBe('forget gate');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('forget gate');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('quote sentences with maths whole: each formula as the readable text of its TeX', async () => {
    // [query, the lesson, what its excerpt must read, the sentence with its formulas dropped]
    const cases: [string, RegExp, RegExp, RegExp][] = [
      // simple-rnn.mdx: "$W$ has $d \cdot u$ entries, $U$ has $u \cdot u$ and $b$ has $u$, so"
      ['entries', /simple RNN/, /W has d · u entries, U has u ·/, /has\s+entries|has\s+and\s+has/],
      // lstm.mdx: "read: expose a squashed copy $\tanh(c_t)$ through the output gate $o_t$"
      ['squashed copy', /LSTM/, /squashed copy tanh\(c_t\) through/, /squashed copy\s+through/],
    ];
    for (const [query, lesson, readable, dropped] of cases) {
      const { page, errors } = await openPage(browser, `${baseUrl}search/?q=${encodeURIComponent(query)}`);
      const found = await results(page, '.search-page');
      const hit = found.find((r) => lesson.test(r.title));
      expect(hit, `"${query}": ${found.map((r) => r.title).join(' | ')}`).toBeDefined();
      const excerpts = hit!.excerpts.join('\n');
      expect(excerpts, `"${query}"`).toMatch(readable);
      expect(excerpts, `"${query}"`).not.toMatch(dropped);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('has a readable placeholder on a phone (>= 4.5:1)', async () => {
    const { page, errors } = await openPage(browser, `${baseUrl}search/`, { width: 390, height: 800 });
    const input = page.locator('.search-page .pagefind-ui__search-input');
    await input.waitFor();
    const [fg, bg] = await input.evaluate((el) => {
      let bgColor = 'rgba(0, 0, 0, 0)';
      for (let n: Element | null = el; n; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (!/rgba\(.*, 0\)$/.test(c) && c !== 'transparent') {
          bgColor = c;
          break;
        }
      }
      const ph = getComputedStyle(el, '::placeholder');
      const op = Number(ph.opacity);
      const col = ph.color.replace(/^rgb\(([^)]+)\)$/, 'rgba($1, 1)');
      const withOpacity = col.replace(/, ([\d.]+)\)$/, (_m, a) => `, ${Number(a) * op})`);
      return [withOpacity, bgColor];
    });
    expect(contrast(fg, bg), `placeholder ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    expect(await axe(page, '.search-page')).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('instant-search dialog', () => {
  for (const width of [1280, 390]) {
    it(`opens with Ctrl+K and "/", shows results as you type, closes with Escape (${width} px)`, async () => {
      const { page, errors } = await openPage(browser, `${baseUrl}lessons/lstm/`, { width });
      const dialog = page.locator('dialog.search-dialog');
      expect(await dialog.isVisible()).toBe(false);
      await page.keyboard.press('Control+k');
      await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
      const input = dialog.locator('.pagefind-ui__search-input');
      await input.waitFor();
      await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.type('forget gate');
      const found = await results(page, 'dialog.search-dialog');
      expect(found.some((r) => /LSTM|Long short-term/.test(r.title))).toBe(true);
      expect(await axe(page, 'dialog.search-dialog')).toEqual([]);
      // Arrow keys: Down from the box to the first result link, Down to the next, Up back to the box.
      const focused = () => page.evaluate(() => (document.activeElement as HTMLAnchorElement | null)?.getAttribute('href') ?? document.activeElement?.tagName);
      const links = await dialog.locator('.pagefind-ui__results a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links.length).toBeGreaterThan(1);
      await page.keyboard.press('ArrowDown');
      expect(await focused()).toBe(links[0]);
      await page.keyboard.press('ArrowDown');
      expect(await focused()).toBe(links[1]);
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      expect(await focused()).toBe('INPUT');
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);

      // "/" opens it too (focus is on the page, not in a text field).
      await page.locator('h1').click();
      await page.keyboard.press('/');
      await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('"/" typed in a code cell stays a slash', async () => {
    const { page } = await openPage(browser, `${baseUrl}lessons/lstm/`);
    await page.waitForSelector('html[data-notebook="ready"]');
    await page.locator('rnn-cell').first().getByRole('button', { name: 'Edit cell 1', exact: true }).click();
    const editor = page.locator('rnn-cell').first().locator('.cm-content');
    await editor.waitFor();
    await editor.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' // a / b');
    expect(await page.locator('dialog.search-dialog').evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
    expect(await editor.textContent()).toContain('// a / b');
    await page.context().close();
  });
});
