/**
 * Every page of the build (home, search, 404 and every lesson linked from the home page):
 * renders with an h1 and no errors, KaTeX succeeded, axe-core finds nothing in light and
 * dark, no horizontal page scroll at 375 px, and every same-origin link and #fragment resolves.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './browser';
import { baseUrl, browser, useBrowser } from './use-browser';
import { axeViolations, discoverLessons, EXPECTED_LESSONS, horizontalOverflow } from './site-helpers';

useBrowser();
let lessons: string[] = [];
/** Links found on the visited pages, and the element ids of each visited page. */
const links = new Map<string, string>(); // absolute href -> page it was found on
const ids = new Map<string, Set<string>>(); // page URL (no hash) -> ids
/** The favicon each visited page links. */
const icons = new Set<string>();

beforeAll(async () => {
  lessons = await discoverLessons(browser, baseUrl);
});

describe('the lessons', () => {
  it('the home page lists every lesson of content/lessons/ (drafts excepted), by title, in course order, and nothing else', async () => {
    expect(EXPECTED_LESSONS.length).toBeGreaterThan(0);
    const { page } = await openPage(browser, baseUrl);
    const listed = await page.$$eval('main .lesson-list a', (as) =>
      as.map((a) => ({ href: (a as HTMLAnchorElement).href, title: a.textContent?.trim() ?? '' })),
    );
    await page.context().close();
    // One assertion over the whole list: a lesson missing, extra, renamed or out of order fails it.
    expect(listed).toEqual(EXPECTED_LESSONS.map(({ slug, title }) => ({ href: `${baseUrl}lessons/${slug}/`, title })));
    expect(lessons).toEqual(EXPECTED_LESSONS.map(({ slug }) => `${baseUrl}lessons/${slug}/`));
  });
});

describe('every page', () => {
  const pages = () => [baseUrl, `${baseUrl}search/`, `${baseUrl}cheatsheet/`, ...lessons];
  /** A test that visits every page gets `ms` per page (at least the default 180 s): a fork may have many lessons. */
  const perPage = (ms: number) => ({ timeout: Math.max(180_000, (EXPECTED_LESSONS.length + 4) * ms) });

  it('renders an h1 without console or page errors, and KaTeX reported no errors', perPage(20_000), async () => {
    expect(lessons.length).toBeGreaterThan(0);
    for (const url of pages()) {
      const { page, errors } = await openPage(browser, url);
      expect(await page.locator('h1').count(), url).toBe(1);
      expect((await page.locator('h1').innerText()).trim().length, url).toBeGreaterThan(0);
      expect(await page.locator('.katex-error').count(), `KaTeX errors on ${url}`).toBe(0);
      // Links, and every <link> (stylesheets, preloaded fonts, the icon).
      for (const href of await page.$$eval('a[href], link[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href))) {
        if (!links.has(href)) links.set(href, url);
      }
      icons.add(await page.$eval('link[rel~="icon"]', (l) => (l as HTMLLinkElement).href));
      ids.set(url, new Set(await page.$$eval('[id]', (els) => els.map((e) => e.id))));
      await page.waitForTimeout(50);
      expect(errors, url).toEqual([]);
      await page.context().close();
    }
  });

  it('pages with maths render them with KaTeX at build time, styled by its stylesheet, and load no math script', perPage(20_000), async () => {
    let withMaths = 0;
    for (const url of pages()) {
      const { page } = await openPage(browser, url);
      const scripts = await page.$$eval('script[src]', (s) => s.map((e) => (e as HTMLScriptElement).src));
      expect(scripts.filter((s) => /katex|mathjax/i.test(s)), url).toEqual([]);
      if (await page.locator('.katex').count()) {
        withMaths++;
        // KaTeX's stylesheet is on the page: each formula is drawn in KaTeX's faces and its
        // MathML copy (for screen readers) is clipped out of sight. Without the stylesheet the
        // formula shows twice, the second time as run-together text.
        const unstyled = await page.$$eval('.katex', (ks) =>
          ks.flatMap((k, i) => {
            const mathml = k.querySelector('.katex-mathml');
            const box = mathml?.getBoundingClientRect();
            const ok = /KaTeX_Main/.test(getComputedStyle(k).fontFamily) && !!mathml && getComputedStyle(mathml).position === 'absolute' && box!.width <= 1 && box!.height <= 1;
            return ok ? [] : [`formula ${i + 1}: ${k.textContent?.slice(0, 40)}`];
          }),
        );
        expect(unstyled, `formulas without KaTeX's stylesheet on ${url}`).toEqual([]);
        // The KaTeX stylesheet and its fonts come from this site, not a CDN.
        await page.evaluate(() => document.fonts.ready);
        const fonts = await page.evaluate(() =>
          performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /KaTeX_.*\.woff2?$/.test(n)),
        );
        expect(fonts.length, `KaTeX fonts loaded on ${url}`).toBeGreaterThan(0);
        for (const f of fonts) expect(f.startsWith(`${baseUrl}_astro/`), f).toBe(true);
      }
      await page.context().close();
    }
    const lessonsWithMaths = EXPECTED_LESSONS.filter((l) => l.maths).length;
    expect(withMaths, 'pages with maths: the lessons whose MDX has maths, and the cheat sheet').toBe(lessonsWithMaths + 1);
  });

  it('has no axe-core violations, in the light and the dark theme', perPage(40_000), async () => {
    for (const url of [...pages(), `${baseUrl}no-such-page/`]) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const { page } = await openPage(browser, url, { colorScheme });
        expect(await axeViolations(page), `${url} (${colorScheme})`).toEqual([]);
        await page.context().close();
      }
    }
  });

  it('has no horizontal page scroll on a 375 px phone, and boxes that scroll are keyboard-reachable', perPage(30_000), async () => {
    for (const url of pages()) {
      const { page } = await openPage(browser, url, { width: 375, height: 800 });
      expect(await horizontalOverflow(page), url).toBeLessThanOrEqual(0);
      // Wide equations, tables and code scroll inside their own box (axe: scrollable-region-focusable).
      expect(await axeViolations(page), `${url} at 375 px`).toEqual([]);
      await page.context().close();
    }
  });

  it('links one favicon, a PNG: an SVG icon costs the page a whole SVG document on its main thread during load', async () => {
    expect([...icons]).toEqual([`${baseUrl}favicon-32.png`]);
    const res = await fetch([...icons][0]!);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]); // PNG signature
    expect(new DataView(bytes.buffer).getUint32(16)).toBe(32); // IHDR width
  });

  it('the first frame waits only on the stylesheets: no font preload and no script before them in <head>', async () => {
    // Chromium holds the first frame for a font preload met in <head> and, until it has run, a
    // classic script delays the requests for the stylesheets after it. Under Lighthouse's
    // browser flags a late first frame is shown a whole second later (PERFORMANCE.md).
    const fontPreloads = (html: string) => html.match(/<link[^>]*rel="preload"[^>]*as="font"/g) ?? [];
    for (const url of pages()) {
      const html = await (await fetch(url)).text();
      const head = html.slice(0, html.indexOf('<body'));
      const body = html.slice(html.indexOf('<body'));
      expect(fontPreloads(head), url).toEqual([]);
      const lastSheet = head.lastIndexOf('rel="stylesheet"');
      expect(lastSheet, url).toBeGreaterThan(0);
      const scripts = [...head.matchAll(/<script\b([^>]*)>/g)];
      expect(scripts.filter((m) => m.index! < lastSheet && !/type="(module|application\/ld\+json)"/.test(m[1]!)).length, url).toBe(0);
      // The theme is still set before anything visible: its script comes before the header.
      expect(body.indexOf('rnn-notebook-theme'), url).toBeGreaterThan(0);
      expect(body.indexOf('rnn-notebook-theme'), url).toBeLessThan(body.indexOf('<header'));
      if (url.includes('/lessons/')) {
        // KaTeX's two main faces are still fetched from the start of <body>.
        expect(fontPreloads(body).length, url).toBe(2);
      }
    }
  });

  it('every same-origin link returns 200 and every #fragment exists on its page', async () => {
    expect(links.size).toBeGreaterThan(0);
    const origin = new URL(baseUrl).origin;
    const checked = new Map<string, number>();
    for (const [href, from] of links) {
      const url = new URL(href);
      if (url.origin !== origin) continue;
      const target = url.href.replace(/#.*$/, '');
      if (!checked.has(target)) checked.set(target, (await fetch(target)).status);
      expect(checked.get(target), `${href} (linked from ${from})`).toBe(200);
      if (url.hash.length > 1) {
        if (!ids.has(target)) {
          const { page } = await openPage(browser, target);
          ids.set(target, new Set(await page.$$eval('[id]', (els) => els.map((e) => e.id))));
          await page.context().close();
        }
        const id = decodeURIComponent(url.hash.slice(1));
        expect(ids.get(target)?.has(id), `#${id} exists on ${target} (linked from ${from})`).toBe(true);
      }
    }
  });

  it('serves the 404 page for unknown paths, with links back under the base path', async () => {
    const res = await fetch(`${baseUrl}no-such-page/`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('Page not found');
    expect(html).toContain(`href="${new URL(baseUrl).pathname}"`);
  });
});
