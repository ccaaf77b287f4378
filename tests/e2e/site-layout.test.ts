/**
 * Layout and weight of a lesson in a real browser (issue 11, items 1-7): cells wider than prose
 * (100 columns of code at 1280 px), wide boxes that scroll with a visible cue on a phone, print
 * that wraps code and progress lines, the lesson list and a sticky toolbar at every width, no
 * layout shift from the toolbar, the bytes of the first Run, CodeMirror only on Edit, and the
 * editor and theme toggle doing no per-keystroke / per-click storage or layout work.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Locator, Page, Response } from 'playwright-core';
import { openPage } from './browser';
import { baseUrl, browser, useBrowser } from './use-browser';
import { cell, openNotebook, outputText, runCell, setCellCode, tinyFitCode, waitForState } from './notebook-helpers';
import { axeViolations, contrast, EXPECTED_LESSONS, horizontalOverflow, LESSONS_WITH_CELLS } from './site-helpers';
import { renderAllSections } from './sections';

useBrowser();
const lessonUrl = (slug: string) => new URL(`lessons/${slug}/`, baseUrl).href;
/** The lesson these tests use as a sample page with cells (any lesson with two cells would do). */
const LSTM = () => lessonUrl('lstm');
/** The titles every lesson list must show, in course order (content/lessons/, see site-helpers). */
const TITLES = EXPECTED_LESSONS.map((l) => l.title);
/** The sample lesson's own title, as its lists mark it current. */
const LSTM_TITLE = () => EXPECTED_LESSONS.find((l) => l.slug === 'lstm')!.title;

/** Width in px of `n` characters of the cell listings' monospace font. */
function columnsWidth(page: Page, n: number): Promise<number> {
  return page.evaluate((n) => {
    const code = document.querySelector('rnn-cell .cell-code pre code')!;
    const probe = document.createElement('span');
    probe.textContent = 'x'.repeat(n);
    code.append(probe);
    const w = probe.getBoundingClientRect().width;
    probe.remove();
    return w;
  }, n);
}

/** Fits a tiny model (progress lines, history table) and shows its summary, in cells 1 and 2. */
async function trainTiny(page: Page): Promise<void> {
  await setCellCode(page, 0, tinyFitCode(5)); // the course's five epochs
  await runCell(page, 0);
  expect(await waitForState(page, 0, ['done', 'error'], 120_000)).toBe('done');
  await setCellCode(page, 1, 'net');
  await runCell(page, 1);
  expect(await waitForState(page, 1, ['done', 'error'])).toBe('done');
}

describe('width: cells get the width a notebook needs', () => {
  it('at 1280 px every lesson with cells shows 100 columns of code in a cell without scrolling, wider than the prose', async () => {
    expect(LESSONS_WITH_CELLS.length).toBeGreaterThan(0);
    for (const { slug } of LESSONS_WITH_CELLS) {
      const { page, errors } = await openPage(browser, lessonUrl(slug), { width: 1280 });
      const m = await page.evaluate(() => {
        const listings = [...document.querySelectorAll<HTMLElement>('rnn-cell .cell-code pre')];
        const pre = listings[0]!;
        const cs = getComputedStyle(pre);
        const inner = pre.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        const cut = listings
          .filter((p) => Math.max(...(p.textContent ?? '').split('\n').map((l) => l.length)) <= 100)
          .filter((p) => p.scrollWidth > p.clientWidth + 1)
          .map((p) => p.closest('rnn-cell')?.getAttribute('data-cell-id'));
        const para = document.querySelector<HTMLElement>('.lesson-body > p, .lesson-section > p')!;
        return { inner, cut, prose: para.getBoundingClientRect().width, cell: pre.closest('rnn-cell')!.getBoundingClientRect().width };
      });
      expect(m.inner, `${slug}: code box width`).toBeGreaterThanOrEqual(await columnsWidth(page, 100));
      expect(m.cut, `${slug}: listings of <= 100 columns that scroll`).toEqual([]);
      expect(m.cell, `${slug}: cells break out of the prose measure`).toBeGreaterThan(m.prose + 100);
      expect(m.prose, `${slug}: prose keeps its measure`).toBeLessThanOrEqual(44 * 16 + 1);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('at 1280 px no output line is hidden: progress lines wrap and the summary and history fit', async () => {
    const { page, errors } = await openNotebook(browser, LSTM(), { width: 1280 });
    await trainTiny(page);
    const hidden = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('rnn-cell .cell-output pre, rnn-cell .cell-output .nb-scroll')]
        .filter((b) => b.scrollWidth > b.clientWidth + 1)
        .map((b) => b.className),
    );
    expect(hidden).toEqual([]);
    // The course's five epochs fit in the training log without scrolling it.
    const log = await cell(page, 0).locator('.nb-progress-log').evaluate((b) => ({ text: b.textContent ?? '', scrolls: b.scrollHeight > b.clientHeight + 1 }));
    expect(log.text).toMatch(/Epoch 1\/5[\s\S]*Epoch 5\/5/);
    expect(log.scrolls).toBe(false);
    expect(await page.locator('rnn-cell .nb-progress').count()).toBeGreaterThan(0);
    expect(await cell(page, 0).locator('.cell-output').innerText()).toMatch(/val_loss/);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('phone (390 px): wide boxes scroll with a visible cue, the page never does', () => {
  /** Overflowing boxes without the scroll cue (a shadow drawn in the box's background). */
  const boxesWithoutCue = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.katex-display, .table-scroll, pre, .nb-scroll, .figure-body')]
        .filter((b) => b.scrollWidth > b.clientWidth + 1 && getComputedStyle(b).overflowX !== 'visible')
        .filter((b) => {
          const cs = getComputedStyle(b);
          return !(cs.backgroundImage.includes('radial-gradient') && cs.backgroundAttachment.includes('local'));
        })
        .map((b) => `${b.tagName}.${b.className}`),
    );

  for (const { slug } of EXPECTED_LESSONS) {
    it(`${slug}: no sideways page scroll, every overflowing box has a cue and is keyboard-reachable`, async () => {
      const { page, errors } = await openPage(browser, lessonUrl(slug), { width: 390, height: 844 });
      expect(await horizontalOverflow(page), slug).toBeLessThanOrEqual(0);
      expect(await boxesWithoutCue(page), slug).toEqual([]);
      expect(await axeViolations(page), `${slug} at 390 px`).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('the summary, history table and progress lines of a run scroll with a cue or wrap', async () => {
    const { page, errors } = await openNotebook(browser, LSTM(), { width: 390, height: 844 });
    await trainTiny(page);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await boxesWithoutCue(page)).toEqual([]);
    // Progress lines reflow: none is wider than its box.
    const cutProgress = await page.$$eval('.nb-progress', (ps) => ps.filter((p) => p.scrollWidth > p.clientWidth + 1).length);
    expect(cutProgress).toBe(0);
    // The summary's last column is reachable by scrolling its box (keyboard-focusable when it overflows).
    const summary = cell(page, 1).locator('.nb-scroll').first();
    const reach = await summary.evaluate((box) => {
      box.scrollLeft = box.scrollWidth;
      const last = box.querySelector('thead th:last-child')!.getBoundingClientRect();
      const b = box.getBoundingClientRect();
      return { overflows: box.scrollWidth > box.clientWidth, inside: last.right <= b.right + 1, focusable: box.tabIndex >= 0 };
    });
    expect(reach.inside).toBe(true);
    if (reach.overflows) expect(reach.focusable).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('print', () => {
  it('wraps code and progress lines at the paper edge: nothing is cut', async () => {
    const { page, errors } = await openNotebook(browser, LSTM(), { width: 1280 });
    await trainTiny(page);
    await page.setViewportSize({ width: 680, height: 900 }); // A4 minus the @page margins, in CSS px
    await page.emulateMedia({ media: 'print' });
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('pre, .nb-scroll, .nb-progress-log')]
        .filter((b) => b.offsetParent !== null && (b.scrollWidth > b.clientWidth + 1 || b.scrollHeight > b.clientHeight + 1))
        .map((b) => `${b.tagName}.${b.className}`),
    );
    expect(cut).toEqual([]);
    expect(await page.locator('#notebook-bar').isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('navigation', () => {
  for (const width of [1280, 390]) {
    it(`the lesson list opens from "Lesson n of ${EXPECTED_LESSONS.length}" at ${width} px, by keyboard, and lists every lesson in order`, async () => {
      const { page, errors } = await openPage(browser, LSTM(), { width });
      const summary = page.locator('.lessons-inline summary');
      expect(await summary.isVisible()).toBe(true);
      expect(await page.locator('.sidebar').isVisible()).toBe(false);
      await summary.focus();
      await page.keyboard.press('Enter');
      expect((await summary.textContent())?.trim()).toMatch(new RegExp(`^Lesson ${EXPECTED_LESSONS.findIndex((l) => l.slug === 'lstm') + 1} of ${EXPECTED_LESSONS.length}\\b`));
      const links = page.locator('.lessons-inline nav a');
      expect((await links.allInnerTexts()).map((t) => t.trim())).toEqual(TITLES);
      expect(await links.first().isVisible()).toBe(true);
      expect((await page.locator('.lessons-inline a[aria-current="page"]').innerText()).trim()).toBe(LSTM_TITLE());
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('.lessons-inline') !== null)).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    });

    it(`the toolbar (Run all, Stop) stays in view from the last cell at ${width} px, without shifting the page`, async () => {
      const { page, errors } = await openPage(browser, lessonUrl('rnn-vs-lstm-vs-gru'), { width, height: width > 800 ? 900 : 844 });
      await page.evaluate(() => {
        (window as unknown as { __cls: number }).__cls = 0;
        new PerformanceObserver((l) => {
          for (const e of l.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
            if (!e.hadRecentInput) (window as unknown as { __cls: number }).__cls += e.value;
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await page.waitForSelector('#notebook-bar .nb-run-all');
      // The bar fills exactly the box the server HTML reserved for it.
      const bar = await page.evaluate(() => {
        const b = document.getElementById('notebook-bar')!;
        return { height: b.getBoundingClientRect().height, reserved: parseFloat(getComputedStyle(b).minHeight) };
      });
      expect(Math.abs(bar.height - bar.reserved)).toBeLessThanOrEqual(1);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(await page.evaluate(() => (window as unknown as { __cls: number }).__cls)).toBeLessThan(0.02);

      await page.locator('rnn-cell').last().scrollIntoViewIfNeeded();
      for (const name of ['Run all', 'Stop']) {
        const visible = await page.evaluate((name) => {
          const btn = [...document.querySelectorAll<HTMLButtonElement>('#notebook-bar button')].find((b) => b.textContent?.trim() === name)!;
          const r = btn.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return r.top >= 0 && r.bottom <= innerHeight && (hit === btn || btn.contains(hit));
        }, name);
        expect(visible, `${name} visible and not covered`).toBe(true);
      }
      // Focus moved into the last cell scrolls it below the sticky header and toolbar.
      await page.locator('rnn-cell').last().locator('.nb-run').focus();
      const clear = await page.evaluate(() => {
        const bar = document.getElementById('notebook-bar')!.getBoundingClientRect();
        const btn = (document.activeElement as HTMLElement).getBoundingClientRect();
        return btn.top >= bar.bottom - 1 || btn.bottom <= bar.top;
      });
      expect(clear).toBe(true);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  for (const width of [1280, 390]) {
    it(`from the end of a lesson, the header's Lessons button lists every lesson at ${width} px; Escape closes it`, async () => {
      const { page, errors } = await openPage(browser, LSTM(), { width });
      await page.locator('.prev-next').scrollIntoViewIfNeeded();
      const button = page.locator('.site-header').getByRole('button', { name: 'Lessons', exact: true });
      const menu = page.locator('#site-lessons');
      expect(await menu.isVisible()).toBe(false);
      // The sticky header keeps it on screen, wherever the reader is.
      const box = (await button.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(100);
      await button.focus();
      await page.keyboard.press('Enter');
      expect(await menu.isVisible()).toBe(true);
      const links = menu.getByRole('link');
      expect((await links.allInnerTexts()).map((t) => t.trim())).toEqual(TITLES);
      expect((await menu.locator('a[aria-current="page"]').innerText()).trim()).toBe(LSTM_TITLE());
      // Every link is inside the window (the list is under the header, not off screen).
      for (const b of await links.evaluateAll((as) => as.map((a) => a.getBoundingClientRect().toJSON() as DOMRect))) {
        expect(b.top).toBeGreaterThanOrEqual(0);
        expect(b.bottom).toBeLessThanOrEqual(900);
        expect(b.right).toBeLessThanOrEqual(width);
      }
      expect(await axeViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      expect(await menu.isVisible()).toBe(false);
      // A click on another lesson goes there.
      const other = EXPECTED_LESSONS.find((l) => l.slug !== 'lstm')!;
      await button.click();
      await menu.getByRole('link', { name: other.title, exact: true }).click();
      await page.waitForURL(lessonUrl(other.slug));
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('at 1440 px the sidebar lists the lessons and the disclosure is not shown', async () => {
    const { page } = await openPage(browser, LSTM(), { width: 1440 });
    expect((await page.locator('.sidebar .lesson-list a').allInnerTexts()).map((t) => t.trim())).toEqual(TITLES);
    expect(await page.locator('.sidebar').isVisible()).toBe(true);
    expect(await page.locator('.lessons-inline').isVisible()).toBe(false);
    // The sidebar is the list here: the header's button is not shown on lessons this wide.
    expect(await page.locator('.site-lessons-button').isVisible()).toBe(false);
    await page.context().close();
  });
});

describe('weight', () => {
  it('the first Run downloads at most 350 KB gzip, and CodeMirror loads only on Edit', async () => {
    const { page, errors } = await openNotebook(browser, LSTM(), { width: 1280 });
    const urls: string[] = [];
    const responses: Response[] = [];
    const track = (r: Response) => {
      urls.push(r.url());
      responses.push(r);
    };
    page.on('response', track);
    // Worker requests are reported to the page's context.
    page.context().on('response', track);
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error'], 120_000)).toBe('done');
    page.off('response', track);
    page.context().off('response', track);
    const unique = new Map<string, Response>();
    for (const r of responses) unique.set(r.url(), r);
    let gzip = 0;
    const rows: string[] = [];
    for (const [url, r] of unique) {
      const body = await r.body().catch(() => Buffer.alloc(0));
      const z = gzipSync(body, { level: 6 }).length;
      // KaTeX's fonts belong to reading the page, not to running it: sections off screen are not
      // laid out (content-visibility), so a font loads when its equation first comes into view,
      // which the Run's output can cause. They are listed, not counted.
      const pageFont = /\/KaTeX_[\w-]+\.[\w-]+\.woff2$/.test(url);
      if (!pageFont) gzip += z;
      rows.push(`${(z / 1024).toFixed(1).padStart(7)} KB  ${url.replace(baseUrl, '')}${pageFont ? '  (page font, not counted)' : ''}`);
    }
    console.log(`First Run of the LSTM lesson: ${(gzip / 1024).toFixed(1)} KB gzip\n${rows.join('\n')}`);
    expect(unique.size).toBeGreaterThan(0);
    expect(gzip).toBeLessThanOrEqual(350 * 1024);
    expect([...unique.keys()].filter((u) => /editor|codemirror/i.test(u))).toEqual([]);
    expect([...unique.keys()].filter((u) => /webgl|converter|tfjs-data/i.test(u))).toEqual([]);
    // sucrase (TypeScript in cells) loads only for a cell that is not plain JavaScript.
    expect([...unique.keys()].filter((u) => /typescript|sucrase/i.test(u))).toEqual([]);

    // Edit loads CodeMirror.
    const editorChunk = page.waitForResponse((r) => /\/editor[.-][^/]*\.js/.test(r.url()));
    await cell(page, 0).getByRole('button', { name: 'Edit cell 1', exact: true }).click();
    await editorChunk;
    await cell(page, 0).locator('.cm-content').waitFor();

    // A TypeScript cell loads sucrase then, and runs.
    const tsChunk = page.context().waitForEvent('response', (r) => /\/typescript[.-][^/]*\.js/.test(r.url()));
    await setCellCode(page, 1, 'const answer: number = 6 * 7;\nanswer');
    await runCell(page, 1);
    expect(await waitForState(page, 1, ['done', 'error'], 60_000)).toBe('done');
    expect((await outputText(page, 1)).trim()).toBe('42');
    await tsChunk;
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('tf.data and tf.loadGraphModel, not shipped, fail with an error that names them', async () => {
    const { page } = await openNotebook(browser, LSTM(), { width: 1280 });
    await setCellCode(page, 0, 'tf.data.array([1, 2])');
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error'], 120_000)).toBe('error');
    expect(await cell(page, 0).locator('.cell-output').innerText()).toMatch(/tf\.data\.array is not part of this site's TensorFlow\.js/);
    await page.context().close();
  });
});

describe('responsiveness: no storage or layout work per keystroke or per toggle', () => {
  it('typing in the editor writes the edit to storage once (debounced), toggling the theme writes once', async () => {
    const { page, errors } = await openNotebook(browser, LSTM(), { width: 1280 });
    await page.evaluate(() => {
      const w = window as unknown as { __writes: string[] };
      w.__writes = [];
      const set = Storage.prototype.setItem;
      Storage.prototype.setItem = function (k: string, v: string) {
        w.__writes.push(k);
        return set.call(this, k, v);
      };
      (window as unknown as { __events: { name: string; duration: number }[] }).__events = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) (window as unknown as { __events: { name: string; duration: number }[] }).__events.push({ name: e.name, duration: e.duration });
      }).observe({ type: 'event', durationThreshold: 16, buffered: false } as PerformanceObserverInit);
    });
    await cell(page, 1).getByRole('button', { name: 'Edit cell 2', exact: true }).click();
    await cell(page, 1).locator('.cm-content').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' // a comment typed key by key', { delay: 20 });
    await page.waitForTimeout(600);
    const writes = await page.evaluate(() => (window as unknown as { __writes: string[] }).__writes.filter((k) => k.includes(':edit:')));
    // 30 keystrokes: a write after each pause of 250 ms, not one per key (a loaded machine may pause).
    expect(writes.length).toBeGreaterThanOrEqual(1);
    expect(writes.length).toBeLessThanOrEqual(3);
    await page.locator('.site-header .theme-toggle').click();
    const themeWrites = await page.evaluate(() => (window as unknown as { __writes: string[] }).__writes.filter((k) => k === 'rnn-notebook-theme'));
    expect(themeWrites.length).toBe(1);
    const slow = await page.evaluate(() => (window as unknown as { __events: { name: string; duration: number }[] }).__events);
    // Reported, not asserted: timings on a shared machine are noise (figures: PERFORMANCE.md).
    console.log(`event entries over 16 ms while typing 30 keys and toggling the theme: ${JSON.stringify(slow)}`);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('sections off screen skip rendering (content-visibility), links and find still reach them', () => {
  /** Where the heading `id` is, relative to the viewport, after the page settles. */
  const headingTop = (page: Page, id: string) =>
    page.evaluate(async (id) => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return document.getElementById(id)!.getBoundingClientRect().top;
    }, id);

  it('an anchor link to a heading far below scrolls to it, from the table of contents and from the URL', async () => {
    const { page, errors } = await openPage(browser, LSTM(), { width: 1440, height: 900 });
    const sections = await page.$$eval('.lesson-body > .lesson-section', (ss) =>
      ss.map((s) => getComputedStyle(s).contentVisibility),
    );
    expect(sections.length, 'one section per h2 or h3').toBeGreaterThan(3);
    expect(new Set(sections)).toEqual(new Set(['auto']));
    // The last h2 of the lesson, thousands of px below, in a section that has not been rendered.
    const id = await page.$$eval('.lesson-body h2[id]', (hs) => hs[hs.length - 1]!.id);
    const far = await page.evaluate((id) => document.getElementById(id)!.getBoundingClientRect().top, id);
    expect(far).toBeGreaterThan(5000);
    await page.locator(`.toc-sidebar a[href="#${id}"]`).click();
    await expect.poll(() => headingTop(page, id)).toBeGreaterThanOrEqual(0);
    expect(await headingTop(page, id)).toBeLessThan(300);
    expect(await page.evaluate(() => location.hash)).toBe(`#${id}`);

    const direct = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await direct.goto(`${LSTM()}#${id}`, { waitUntil: 'load' });
    await expect.poll(() => headingTop(direct, id)).toBeGreaterThanOrEqual(0);
    expect(await headingTop(direct, id)).toBeLessThan(300);
    await direct.context().close();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('find-in-page reaches text in a section that was never rendered', async () => {
    const { page, errors } = await openPage(browser, LSTM(), { width: 1280, height: 900 });
    // A phrase from the lesson's last section (its text, as the reader sees it).
    const phrase = await page.$$eval('.lesson-body > .lesson-section', (ss) => {
      const p = ss[ss.length - 1]!.querySelector('p, li')!;
      return (p.textContent ?? '').trim().split(/\s+/).slice(0, 4).join(' ');
    });
    expect(phrase.length).toBeGreaterThan(8);
    const found = await page.evaluate((phrase) => {
      const ok = (window as unknown as { find(s: string): boolean }).find(phrase);
      const range = getSelection()!.getRangeAt(0).getBoundingClientRect();
      return { ok, top: range.top, bottom: range.bottom };
    }, phrase);
    expect(found.ok, phrase).toBe(true);
    expect(found.top).toBeGreaterThanOrEqual(0);
    expect(found.bottom).toBeLessThanOrEqual(900);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

/*
 * Scroll cues as a reader sees them (issue: text outputs, the training log, the history table,
 * the gate heatmaps and the cheat sheet's equations). The box's content is made invisible and
 * the box is photographed: at an edge with hidden content the background is shaded, at an edge
 * without it, it is exactly the colour behind the box (no band of another colour).
 */
type Rgb = [number, number, number];
type Edge = 'left' | 'right' | 'top' | 'bottom';
const rgbOf = (css: string): Rgb => (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number) as Rgb;
const colourDiff = (a: Rgb, b: Rgb) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

/** At each edge of the box (2 px inside, halfway along; the top 2 px below `topInset`): how far its colour is from the colour behind the box. */
async function edgeShading(page: Page, box: Locator, topInset = 0): Promise<Record<Edge, number>> {
  const geo = await box.evaluate((b) => {
    // The content keeps its layout but draws nothing: only the box's own background shows.
    for (const el of b.querySelectorAll<HTMLElement | SVGElement>('*')) {
      for (const p of ['color', 'border-color', 'fill', 'stroke', 'outline-color', 'text-decoration-color']) el.style.setProperty(p, 'transparent', 'important');
      if (!el.matches('th, th *')) el.style.setProperty('background-color', 'transparent', 'important');
    }
    let behind = 'rgb(255, 255, 255)';
    for (let e = b.parentElement; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c !== 'rgba(0, 0, 0, 0)') { behind = c; break; }
    }
    const cs = getComputedStyle(b);
    const r = b.getBoundingClientRect();
    return {
      w: r.width, h: r.height, behind,
      bl: parseFloat(cs.borderLeftWidth), br: parseFloat(cs.borderRightWidth),
      bt: parseFloat(cs.borderTopWidth), bb: parseFloat(cs.borderBottomWidth),
    };
  });
  const png = (await box.screenshot({ animations: 'disabled' })).toString('base64');
  const points: Record<Edge, [number, number]> = {
    left: [geo.bl + 2, geo.h / 2],
    right: [geo.w - geo.br - 3, geo.h / 2],
    top: [geo.w / 2, geo.bt + topInset + 2],
    bottom: [geo.w / 2, geo.h - geo.bb - 3],
  };
  const colours = await page.evaluate(
    async ([png, points]) => {
      const img = new Image();
      img.src = `data:image/png;base64,${png}`;
      await img.decode();
      const c = document.createElement('canvas');
      [c.width, c.height] = [img.naturalWidth, img.naturalHeight];
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      return Object.fromEntries(
        Object.entries(points).map(([k, [x, y]]) => [k, [...g.getImageData(Math.floor(x), Math.floor(y), 1, 1).data.slice(0, 3)]]),
      );
    },
    [png, points] as const,
  );
  const bg = rgbOf(geo.behind);
  return Object.fromEntries(Object.entries(colours).map(([k, v]) => [k, colourDiff(v as Rgb, bg)])) as Record<Edge, number>;
}

/** Edges shaded (a cue) and edges plain (exactly the colour behind), from `edgeShading`. */
function cueEdges(s: Record<Edge, number>): { shaded: Edge[]; plain: Edge[] } {
  const edges = Object.keys(s) as Edge[];
  return { shaded: edges.filter((e) => s[e] >= 6), plain: edges.filter((e) => s[e] <= 1) };
}

const setTheme = (page: Page, theme: 'light' | 'dark') => page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);

describe('scroll cues: a shadow where content is hidden, drawn in the colour behind the box', () => {
  it('a text output wider than a phone shows the cue at its hidden side, light and dark', async () => {
    const { page, errors } = await openNotebook(browser, LSTM(), { width: 390, height: 844 });
    // A long line (like the lesson's "ids: [1, 6, 38, …" output) and blank lines below it.
    await setCellCode(page, 0, "'ids: ' + JSON.stringify(Array.from({ length: 60 }, (_, i) => i * 7)) + '\\n\\n\\n\\nend'");
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    const pre = cell(page, 0).locator('.cell-output pre.nb-text');
    expect(await pre.evaluate((p) => p.scrollWidth > p.clientWidth + 100)).toBe(true);
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await pre.evaluate((p) => (p.scrollLeft = 0));
      const start = cueEdges(await edgeShading(page, pre));
      expect(start.shaded, `${theme}, scrolled to the start`).toContain('right');
      expect(start.plain, `${theme}, scrolled to the start`).toEqual(expect.arrayContaining(['left', 'top', 'bottom']));
      await pre.evaluate((p) => (p.scrollLeft = p.scrollWidth));
      const end = cueEdges(await edgeShading(page, pre));
      expect(end.shaded, `${theme}, scrolled to the end`).toContain('left');
      expect(end.plain, `${theme}, scrolled to the end`).toEqual(expect.arrayContaining(['right', 'top', 'bottom']));
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the training log shows a cue above its newest lines, the history table below and under its header', async () => {
    const { page, errors } = await openNotebook(browser, LSTM(), { width: 1280 });
    await setCellCode(page, 0, tinyFitCode(14));
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error'], 120_000)).toBe('done');
    const log = cell(page, 0).locator('.nb-progress-log');
    const hist = cell(page, 0).locator('.nb-history-scroll');
    expect(await log.evaluate((b) => b.scrollHeight > b.clientHeight + 50)).toBe(true);
    expect(await hist.evaluate((b) => b.scrollHeight > b.clientHeight + 50)).toBe(true);
    const header = await hist.locator('thead').evaluate((t) => t.getBoundingClientRect().height);
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      // The log starts at its newest line ("Epoch 14/14"): the oldest are hidden above.
      await log.evaluate((b) => (b.scrollTop = 0));
      const newest = cueEdges(await edgeShading(page, log));
      expect(newest.shaded, `${theme}: log at its newest line`).toEqual(['top']);
      expect(newest.plain, `${theme}: log at its newest line`).toContain('bottom');
      await log.evaluate((b) => (b.scrollTop = -b.scrollHeight));
      const oldest = cueEdges(await edgeShading(page, log));
      expect(oldest.shaded, `${theme}: log scrolled to "Epoch 1/14"`).toEqual(['bottom']);
      expect(oldest.plain, `${theme}: log scrolled to "Epoch 1/14"`).toContain('top');

      await hist.evaluate((b) => (b.scrollTop = 0));
      const top = cueEdges(await edgeShading(page, hist, header));
      expect(top.shaded, `${theme}: history at its first row`).toEqual(['bottom']);
      expect(top.plain, `${theme}: history at its first row`).toEqual(expect.arrayContaining(['top', 'left', 'right']));
      await hist.evaluate((b) => (b.scrollTop = 60));
      const middle = cueEdges(await edgeShading(page, hist, header));
      expect(middle.shaded, `${theme}: history scrolled a little`).toEqual(expect.arrayContaining(['top', 'bottom']));
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the gate heatmaps, which scroll both ways on a phone, show the cue on the sides with hidden content', async () => {
    const { page, errors } = await openNotebook(browser, LSTM(), { width: 390, height: 844 });
    await setCellCode(
      page,
      0,
      [
        'const m = tf.sequential();',
        'm.add(rnn.embedding({ inputDim: 50, outputDim: 4, inputLength: 60 }));',
        'm.add(rnn.lstm({ units: 12 }));',
        "m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));",
        'const gx = tf.tensor2d([Array.from({ length: 60 }, (_, i) => (i * 3) % 50)]);',
        "display.gates(rnn.inspect.gates(m.layers[1], gx, { model: m }), { tokens: Array.from({ length: 60 }, (_, i) => 'w' + i) });",
      ].join('\n'),
    );
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error'])).toBe('done');
    const box = cell(page, 0).locator('.nb-gates-box');
    expect(await box.evaluate((b) => b.scrollWidth > b.clientWidth + 50 && b.scrollHeight > b.clientHeight + 50)).toBe(true);
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await box.evaluate((b) => b.scrollTo(0, 0));
      const start = cueEdges(await edgeShading(page, box));
      expect(start.shaded.sort(), `${theme}, at the top left`).toEqual(['bottom', 'right']);
      expect(start.plain.sort(), `${theme}, at the top left`).toEqual(['left', 'top']);
      await box.evaluate((b) => b.scrollTo(b.scrollWidth, b.scrollHeight));
      const end = cueEdges(await edgeShading(page, box));
      expect(end.shaded.sort(), `${theme}, at the bottom right`).toEqual(['left', 'top']);
      expect(end.plain.sort(), `${theme}, at the bottom right`).toEqual(['bottom', 'right']);
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the cheat sheet's wide equations show the cue in the card's colour, light and dark", async () => {
    const { page, errors } = await openPage(browser, new URL('cheatsheet/', baseUrl).href, { width: 390, height: 844 });
    await page.evaluate(() => document.fonts.ready);
    const wide = page.locator('.cs-eq .katex-display, .cs-eq').filter({ has: page.locator('.katex') });
    const boxes = await wide.evaluateAll((bs) => bs.map((b, i) => [i, b.scrollWidth > b.clientWidth + 1] as const).filter(([, o]) => o).map(([i]) => i));
    expect(boxes.length, 'at 390 px the GRU equation scrolls').toBeGreaterThan(0);
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      for (const i of boxes) {
        const b = wide.nth(i);
        await b.evaluate((e) => (e.scrollLeft = 0));
        const start = cueEdges(await edgeShading(page, b));
        expect(start.shaded, `${theme}: equation ${i} at the start`).toEqual(['right']);
        expect(start.plain.sort(), `${theme}: equation ${i} at the start`).toEqual(['bottom', 'left', 'top']);
        await b.evaluate((e) => (e.scrollLeft = e.scrollWidth));
        const end = cueEdges(await edgeShading(page, b));
        expect(end.shaded, `${theme}: equation ${i} at the end`).toEqual(['left']);
        expect(end.plain.sort(), `${theme}: equation ${i} at the end`).toEqual(['bottom', 'right', 'top']);
      }
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('on every lesson and the cheat sheet, each cue is drawn in the colour behind its box, light and dark', async () => {
    const pages = [...EXPECTED_LESSONS.map(({ slug }) => lessonUrl(slug)), new URL('cheatsheet/', baseUrl).href];
    for (const url of pages) {
      const { page } = await openPage(browser, url, { width: 390, height: 844 });
      await renderAllSections(page);
      for (const theme of ['light', 'dark'] as const) {
        await setTheme(page, theme);
        const wrong = await page.evaluate(() => {
          const opaque = (c: string) => c !== 'rgba(0, 0, 0, 0)' && !/rgba\(.*, 0\)$/.test(c);
          return [...document.querySelectorAll<HTMLElement>('body *')]
            .filter((b) => /radial-gradient/.test(getComputedStyle(b).backgroundImage) && getComputedStyle(b).backgroundAttachment.includes('local'))
            .map((b) => {
              let behind = getComputedStyle(b).backgroundColor;
              for (let e = b.parentElement; e && !opaque(behind); e = e.parentElement) behind = getComputedStyle(e).backgroundColor;
              const band = getComputedStyle(b).backgroundImage.match(/rgba?\([^)]*\)/)![0];
              return { box: `${b.tagName}.${b.className}`, band, behind };
            })
            .filter(({ band, behind }) => band !== behind)
            .map(({ box, band, behind }) => `${box}: cue in ${band} on ${behind}`);
        });
        expect(wrong, `${url} (${theme})`).toEqual([]);
      }
      await page.context().close();
    }
  });
});

describe('the toolbar shows the whole kernel status', () => {
  for (const width of [1280, 1100, 1000, 800, 390, 360]) {
    it(`at ${width} px every status item is shown whole or not at all, in a bar of the reserved height`, async () => {
      const { page, errors } = await openPage(browser, LSTM(), { width, height: 844 });
      await page.waitForSelector('#notebook-bar .nb-run-all');
      const check = () =>
        page.evaluate(() => {
          const k = document.querySelector<HTMLElement>('#notebook-bar .nb-kernel')!.getBoundingClientRect();
          const inside = (r: DOMRect) => r.left >= k.left - 0.5 && r.right <= k.right + 0.5 && r.top >= k.top - 0.5 && r.bottom <= k.bottom + 0.5;
          const outside = (r: DOMRect) => r.left >= k.right || r.top >= k.bottom || r.width === 0;
          const text = (el: Element) => {
            const range = document.createRange();
            range.selectNodeContents(el);
            return [...range.getClientRects()].filter((r) => r.width > 0);
          };
          const state = document.querySelector('#notebook-bar .nb-kernel-state')!;
          const items = [...document.querySelectorAll('#notebook-bar .nb-kernel-item')].filter((i) => getComputedStyle(i).display !== 'none');
          const bar = document.getElementById('notebook-bar')!;
          return {
            stateWhole: text(state).every(inside),
            cut: items.filter((i) => { const rs = text(i); return !rs.every(inside) && !rs.every(outside); }).map((i) => i.textContent),
            barHeight: Math.abs(bar.getBoundingClientRect().height - parseFloat(getComputedStyle(bar).minHeight)),
          };
        });
      expect(await page.locator('#notebook-bar .nb-kernel-state').innerText()).toBe('not started');
      for (const text of ['not started', 'starting', 'idle', 'busy (11 queued)', 'busy (123 queued)']) {
        // The texts Toolbar.setStatus writes (src/ui/toolbar.ts).
        await page.locator('#notebook-bar .nb-kernel-state').evaluate((s, t) => (s.textContent = t), text);
        const m = await check();
        expect(m.stateWhole, `"${text}" shown whole`).toBe(true);
        expect(m.cut, `"${text}": items cut at the edge`).toEqual([]);
        expect(m.barHeight, `"${text}": bar height`).toBeLessThanOrEqual(1);
      }
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});

describe('header search', () => {
  it('the placeholder has 4.5:1 contrast on the search field, light and dark', async () => {
    const { page } = await openPage(browser, LSTM(), { width: 1280 });
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      const c = await page.locator('#site-search-q').evaluate((i) => {
        const ph = getComputedStyle(i, '::placeholder');
        return { fg: ph.color, opacity: ph.opacity, bg: getComputedStyle(i).backgroundColor };
      });
      expect(c.opacity).toBe('1');
      expect(contrast(c.fg, c.bg), `${theme}: ${c.fg} on ${c.bg}`).toBeGreaterThanOrEqual(4.5);
    }
    await page.context().close();
  });
});
