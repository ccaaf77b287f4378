/**
 * The cheat sheet: linked from the home page, the three cells' equations (KaTeX) and parameter
 * counts, Keras and tfjs side by side; prints on at most two A4 or Letter pages (Chromium's own
 * print-to-PDF, pages counted in the PDF); no sideways scroll on a 390 px phone; no axe violations.
 */
import { describe, expect, it } from 'vitest';
import { openPage } from './browser';
import { baseUrl, browser, useBrowser } from './use-browser';
import { axeViolations, horizontalOverflow } from './site-helpers';

const url = new URL('cheatsheet/', baseUrl).href;
useBrowser();

/** Pages in a PDF: its page objects (`/Type /Page`, not the `/Pages` tree nodes). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}

describe('cheat sheet', () => {
  it('is linked from the home page and shows the equations, counts and both APIs', async () => {
    const { page, errors } = await openPage(browser, baseUrl);
    await page.getByRole('link', { name: 'RNN cheat sheet' }).click();
    await page.waitForURL(url);
    expect(await page.locator('h1').innerText()).toBe('RNN cheat sheet');
    const cells = page.locator('.cs-cell');
    expect(await cells.count()).toBe(3);
    const tex = await page.$$eval('.cs-eq annotation[encoding="application/x-tex"]', (els) => els.map((e) => e.textContent ?? ''));
    expect(tex).toHaveLength(3);
    expect(tex[0]).toMatch(/h_t\s*=\s*\\tanh/);
    expect(tex[1]).toMatch(/c_t &= f_t \\odot c_\{t-1\} \+ i_t \\odot \\tilde\{c\}_t/);
    expect(tex[2]).toMatch(/h_t &= z_t \\odot h_\{t-1\} \+ \(1 - z_t\) \\odot \\tilde\{h\}_t/);
    const text = await page.locator('main').innerText();
    for (const s of ['190 for SimpleRNN(5)', '760 for LSTM(5)', '585 for GRU(5)', '570 with reset_after=False', "rnn.lstm({ units: 5, returnSequences: true })", 'tf.loadLayersModel', 'return_sequences=True']) {
      expect(text).toContain(s);
    }
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('prints on one or two A4 and Letter pages', async () => {
    const { page } = await openPage(browser, url);
    await page.emulateMedia({ media: 'print' });
    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await page.pdf({ format, printBackground: false, preferCSSPageSize: false });
      const pages = pdfPages(pdf);
      expect(pages, `${format}: ${pages} pages`).toBeGreaterThanOrEqual(1);
      expect(pages, `${format}: ${pages} pages`).toBeLessThanOrEqual(2);
    }
    // The lesson pages, for scale: one is much longer, so the count is not trivially small.
    const { page: lesson } = await openPage(browser, new URL('lessons/lstm/', baseUrl).href);
    expect(pdfPages(await lesson.pdf({ format: 'A4' }))).toBeGreaterThan(2);
    await lesson.context().close();
    await page.context().close();
  });

  it('reads on a 390 px phone without sideways scrolling', async () => {
    const { page } = await openPage(browser, url, { width: 390, height: 844 });
    expect(await horizontalOverflow(page)).toBe(0);
    await page.context().close();
  });
});
