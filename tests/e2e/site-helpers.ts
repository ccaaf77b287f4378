/**
 * Shared helpers for the site's browser tests: discovering the pages of the build from the
 * home page, running axe-core, and the lessons that docs/ARCHITECTURE.md promises.
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openPage } from './browser';
import { renderAllSections } from './sections';

export const EXPECTED_LESSONS = [
  { slug: 'simple-rnn', title: 'Recurrent networks and the simple RNN' },
  { slug: 'lstm', title: 'Long short-term memory (LSTM)' },
  { slug: 'gru', title: 'Gated recurrent units (GRU)' },
  { slug: 'rnn-vs-lstm-vs-gru', title: 'RNN vs LSTM vs GRU' },
  { slug: 'stacked-rnns', title: 'Deep (stacked) RNNs' },
  { slug: 'bidirectional-rnns', title: 'Bidirectional RNNs' },
];

/** Absolute URLs of the lessons linked from the home page's lesson list, in page order. */
export async function discoverLessons(browser: Browser, baseUrl: string): Promise<string[]> {
  const { page } = await openPage(browser, baseUrl);
  const hrefs = await page.$$eval('main .lesson-list a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
  await page.context().close();
  return hrefs;
}

/** Runs axe-core on the page (every section rendered) and returns its violations as readable lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  await renderAllSections(page);
  await page.addScriptTag({ path: resolve(__dirname, '../../node_modules/axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await axe.run();
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}x, e.g. ${JSON.stringify(v.nodes[0]?.target)})`);
  });
  return violations;
}

/** How many CSS pixels the page is wider than the viewport (0 = no horizontal page scroll). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The TeX source of every KaTeX formula on the page, from the MathML annotations. */
export function texOf(page: Page): Promise<string[]> {
  return page.$$eval('.katex annotation[encoding="application/x-tex"]', (els) => els.map((e) => e.textContent ?? ''));
}

/** Removes all whitespace, so `\odot h_{t-1}` and `\odot  h_{t-1}` compare equal. */
export const squash = (tex: string) => tex.replace(/\s+/g, '');

/** WCAG contrast ratio of two CSS colours (rgb()/rgba(), alpha composited over `bg`). */
export function contrast(fg: string, bg: string): number {
  const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
  const [br, bgG, bb] = parse(bg);
  const [r, g, b, a = 1] = parse(fg);
  const mix = [r! * a + br! * (1 - a), g! * a + bgG! * (1 - a), b! * a + bb! * (1 - a)];
  const lum = (rgb: number[]) => {
    const [R, G, B] = rgb.map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!;
  };
  const [l1, l2] = [lum(mix), lum([br!, bgG!, bb!])].sort((x, y) => y - x);
  return (l1! + 0.05) / (l2! + 0.05);
}
