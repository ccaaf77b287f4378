/**
 * Site features in a real browser: search (Pagefind), dark mode (OS default, toggle,
 * persistence, no flash), cell tabs (mouse and keyboard), the table of contents, print styles,
 * and the no-JavaScript fallback of cells.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage } from './browser';
import { baseUrl, browser, useBrowser } from './use-browser';
import { axeViolations, discoverLessons } from './site-helpers';
import { renderAllSections } from './sections';

useBrowser();
let lessons: string[] = [];
/** A lesson with at least one cell that has a Keras tab. */
let cellLesson = '';

beforeAll(async () => {
  lessons = await discoverLessons(browser, baseUrl);
  for (const url of lessons) {
    const html = await (await fetch(url)).text();
    if (html.includes('class="cell-keras"')) {
      cellLesson = url;
      break;
    }
  }
});

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);

describe('search', () => {
  it('finds a lesson for "forget gate" from the header search box, and only lesson pages (and the cheat sheet)', async () => {
    const { page, errors } = await openPage(browser, baseUrl, { colorScheme: 'dark' });
    await page.fill('#site-search-q', 'forget gate');
    await page.press('#site-search-q', 'Enter');
    await page.waitForURL(/\/search\/\?q=forget/);
    const results = page.locator('.pagefind-ui__result-link');
    await results.first().waitFor({ timeout: 15_000 });
    const hrefs = await results.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs) expect(h.startsWith(`${baseUrl}lessons/`) || h.startsWith(`${baseUrl}cheatsheet/`), h).toBe(true);
    expect(hrefs.some((h) => h.startsWith(`${baseUrl}lessons/`))).toBe(true);
    expect(await axeViolations(page), 'axe on the search results').toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('says search needs `npm run build` when the Pagefind bundle is missing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route('**/pagefind/**', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto(`${baseUrl}search/`);
    await expect
      .poll(() => page.locator('.search-status').innerText())
      .toContain('Search is available after `npm run build`');
    await context.close();
  });
});

describe('dark mode', () => {
  it('follows the OS by default', async () => {
    const light = await openPage(browser, baseUrl, { colorScheme: 'light' });
    const dark = await openPage(browser, baseUrl, { colorScheme: 'dark' });
    expect(await theme(light.page)).toBe('light');
    expect(await theme(dark.page)).toBe('dark');
    expect(await background(light.page)).not.toBe(await background(dark.page));
    await light.page.context().close();
    await dark.page.context().close();
  });

  it('toggles with the button, persists the choice and applies it before the first paint', async () => {
    const { page, errors } = await openPage(browser, lessons[0] ?? baseUrl, { colorScheme: 'dark' });
    const toggle = page.locator('.site-header .theme-toggle');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const darkBg = await background(page);
    const darkCode = await page.evaluate(() => {
      const pre = document.querySelector('.astro-code');
      return pre ? getComputedStyle(pre).backgroundColor : null;
    });
    // Tokens in the listing's default colour carry no style of their own (shiki-inherit-default.ts):
    // they must still show the theme's default colour, and coloured tokens theirs.
    const tokenColours = () =>
      page.evaluate(() => {
        const pre = document.querySelector('.astro-code');
        const plain = pre?.querySelector('.line > span:not([style])');
        const coloured = pre?.querySelector('.line > span[style*="--shiki-light"]');
        if (!pre || !plain || !coloured) return null;
        return { pre: getComputedStyle(pre).color, plain: getComputedStyle(plain).color, coloured: getComputedStyle(coloured).color };
      });
    const darkTokens = await tokenColours();
    if (darkCode) {
      expect(darkTokens).not.toBeNull();
      expect(darkTokens!.plain).toBe('rgb(230, 237, 243)'); // github-dark-default's foreground
      expect(darkTokens!.coloured).not.toBe(darkTokens!.plain);
    }
    await toggle.click();
    expect(await theme(page)).toBe('light');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await background(page)).not.toBe(darkBg);
    if (darkCode) {
      // Shiki's dual themes follow the switch.
      const lightCode = await page.evaluate(() => getComputedStyle(document.querySelector('.astro-code')!).backgroundColor);
      expect(lightCode).not.toBe(darkCode);
      const lightTokens = (await tokenColours())!;
      expect(lightTokens.plain).toBe('rgb(31, 35, 40)'); // github-light-default's foreground
      expect(lightTokens.pre).toBe(lightTokens.plain);
      expect(lightTokens.coloured).not.toBe(lightTokens.plain);
    }
    expect(await page.evaluate(() => localStorage.getItem('rnn-notebook-theme'))).toBe('light');

    // On the next page load the stored choice wins over the OS, already when the first thing
    // that can paint (the site header, which follows the theme script in <body>) is parsed.
    await page.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.querySelector('.site-header')) {
          (window as unknown as { firstTheme?: string }).firstTheme = document.documentElement.dataset.theme;
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.reload();
    expect(await page.evaluate(() => (window as unknown as { firstTheme?: string }).firstTheme)).toBe('light');
    expect(await theme(page)).toBe('light');
    await toggle.click();
    expect(await theme(page)).toBe('dark');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('cells', () => {
  it('a lesson has a cell with a Keras tab', () => {
    expect(cellLesson, 'some lesson has a ```python keras fence').not.toBe('');
  });

  it('switch between TensorFlow.js and Keras with the mouse and the keyboard', async () => {
    const { page, errors } = await openPage(browser, cellLesson);
    await renderAllSections(page); // reads cells anywhere on the page, as a reader who scrolled there
    const cell = page.locator('rnn-cell:has(.cell-keras)').first();
    const [jsTab, kerasTab] = [cell.locator('[role="tab"]').nth(0), cell.locator('[role="tab"]').nth(1)];
    const [code, keras] = [cell.locator('.cell-code'), cell.locator('.cell-keras')];
    expect(await jsTab.innerText()).toMatch(/^TensorFlow\.js/);
    expect(await kerasTab.innerText()).toBe('Keras (Python)');
    expect(await code.isVisible()).toBe(true);
    expect(await keras.isVisible()).toBe(false);
    expect(await code.getAttribute('aria-labelledby')).toBe(await jsTab.getAttribute('id'));
    expect(await jsTab.getAttribute('aria-controls')).toBe(await code.getAttribute('id'));

    await kerasTab.click();
    expect(await kerasTab.getAttribute('aria-selected')).toBe('true');
    expect(await jsTab.getAttribute('aria-selected')).toBe('false');
    expect(await keras.isVisible()).toBe(true);
    expect(await code.isVisible()).toBe(false);
    expect(await keras.locator('pre.astro-code').innerText()).toMatch(/\S/);

    await kerasTab.focus();
    await page.keyboard.press('ArrowLeft');
    expect(await jsTab.getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/^TensorFlow\.js/);
    expect(await code.isVisible()).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect(await keras.isVisible()).toBe(true);
    await page.keyboard.press('Home');
    expect(await code.isVisible()).toBe(true);
    await page.keyboard.press('End');
    expect(await keras.isVisible()).toBe(true);
    // Roving tabindex: only the selected tab is in the tab order.
    expect(await kerasTab.getAttribute('tabindex')).toBe('0');
    expect(await jsTab.getAttribute('tabindex')).toBe('-1');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('without JavaScript, both the TensorFlow.js and the Keras code are readable', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(cellLesson);
    const cell = page.locator('rnn-cell:has(.cell-keras)').first();
    expect(await cell.locator('.cell-code pre').isVisible()).toBe(true);
    expect(await cell.locator('.cell-keras pre').isVisible()).toBe(true);
    await context.close();
  });
});

describe('lesson chrome', () => {
  it('the table of contents is a sidebar on desktop and a collapsed list on a phone', async () => {
    const desk = await openPage(browser, cellLesson, { width: 1400 });
    expect(await desk.page.locator('.toc-sidebar').isVisible()).toBe(true);
    expect(await desk.page.locator('.toc-inline').isVisible()).toBe(false);
    const first = desk.page.locator('.toc-sidebar a').first();
    const href = (await first.getAttribute('href'))!;
    await first.click();
    await expect.poll(() => desk.page.evaluate(() => decodeURIComponent(location.hash))).toBe(decodeURIComponent(href));
    await desk.page.context().close();

    const phone = await openPage(browser, cellLesson, { width: 375, height: 800 });
    expect(await phone.page.locator('.toc-sidebar').isVisible()).toBe(false);
    const summary = phone.page.locator('.toc-inline summary');
    expect(await summary.isVisible()).toBe(true);
    expect(await phone.page.locator('.toc-inline a').first().isVisible()).toBe(false);
    await summary.click();
    expect(await phone.page.locator('.toc-inline a').first().isVisible()).toBe(true);
    await phone.page.context().close();
  });

  it('has previous/next links that follow the home page order', async () => {
    expect(lessons.length).toBeGreaterThan(1);
    const { page } = await openPage(browser, lessons[1]);
    expect(await page.locator('.prev-next a[rel="prev"]').getAttribute('href')).toBe(new URL(lessons[0]).pathname);
    if (lessons[2]) {
      expect(await page.locator('.prev-next a[rel="next"]').getAttribute('href')).toBe(new URL(lessons[2]).pathname);
    }
    await page.context().close();
  });

  it('renders the notebook bar above the lesson body', async () => {
    const { page } = await openPage(browser, lessons[0]);
    const order = await page.evaluate(() => {
      const bar = document.getElementById('notebook-bar');
      const body = document.querySelector('.lesson-body');
      return bar && body ? bar.compareDocumentPosition(body) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
    });
    expect(order).toBeTruthy();
    expect(await page.locator('#notebook-bar.notebook-bar').count()).toBe(1);
    await page.context().close();
  });

  it('prints as a clean cheat sheet: no chrome or buttons, code and equations kept', async () => {
    const { page } = await openPage(browser, cellLesson, { colorScheme: 'dark' });
    await page.emulateMedia({ media: 'print' });
    const chrome = ['.site-header', '.site-footer', '.toc-sidebar', '.toc-inline', '.sidebar', '.prev-next', '#notebook-bar', '.cell-tabs', '.cell-actions', '.theme-toggle'];
    for (const sel of chrome) {
      const shown = await page.locator(sel).evaluateAll((els) => els.some((e) => e.checkVisibility()));
      expect(shown, `${sel} hidden in print`).toBe(false);
    }
    expect(await page.locator('button:visible').count()).toBe(0);
    expect(await page.locator('h1').isVisible()).toBe(true);
    expect(await page.locator('.katex').first().isVisible()).toBe(true);
    const cell = page.locator('rnn-cell:has(.cell-keras)').first();
    expect(await cell.locator('.cell-code pre').isVisible()).toBe(true);
    expect(await cell.locator('.cell-keras pre').isVisible()).toBe(true);
    // Empty output areas take no room; an output that is present is printed.
    expect(await page.locator('.cell-output:empty').evaluateAll((els) => els.some((e) => e.checkVisibility()))).toBe(false);
    await cell.locator('.cell-output').evaluate((e) => {
      e.textContent = 'Epoch 1/1 — accuracy 0.84';
    });
    expect(await cell.locator('.cell-output').isVisible()).toBe(true);
    // Printed in the light palette even when the screen is dark.
    expect(await background(page)).toBe('rgb(255, 255, 255)');
    await page.context().close();
  });
});
