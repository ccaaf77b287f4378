/**
 * Shared helpers for the site's browser tests: the course's lessons as content/lessons/ defines
 * them, discovering the pages of the build from the home page, and running axe-core.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFrontmatter } from '@astrojs/markdown-remark';
import type { Browser, Page } from 'playwright-core';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkMdx from 'remark-mdx';
import remarkMath from 'remark-math';
import { visit } from 'unist-util-visit';
import { lessonCells } from '../../src/site/notebook-export';
import { lessonSlug } from '../../src/site/order';
import { openPage } from './browser';
import { renderAllSections } from './sections';

/** A lesson of the course, read from its MDX file (what the built site must show). */
export interface CourseLesson {
  /** Frontmatter `slug`, else the site's slug of the file name: the URL is `lessons/<slug>/`. */
  slug: string;
  /** Frontmatter `title`: the name in every list and the page's h1. */
  title: string;
  /** Frontmatter `order`. */
  order: number;
  /** How many live cells (`js cell` / `ts cell` fences) the MDX has. */
  cells: number;
  /** Whether the MDX has any `$…$` / `$$…$$` maths (KaTeX on the page). */
  maths: boolean;
  /** Whether it has display maths (`$$…$$`). */
  displayMaths: boolean;
}

const LESSONS_DIR = fileURLToPath(new URL('../../content/lessons', import.meta.url));

/**
 * The lessons of content/lessons/*.mdx that a production build publishes (drafts left out), in
 * course order (frontmatter `order`). The frontmatter is parsed as Astro parses it
 * (`parseFrontmatter` of @astrojs/markdown-remark, js-yaml), so a fork's added, removed or
 * reordered lesson changes what the tests expect, with nothing else to edit.
 */
export function courseLessons(dir: string = LESSONS_DIR): CourseLesson[] {
  const lessons: (CourseLesson & { draft: boolean })[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.mdx'))) {
    const { frontmatter, content } = parseFrontmatter(readFileSync(resolve(dir, file), 'utf8'));
    const { title, order, draft, slug } = frontmatter as { title?: unknown; order?: unknown; draft?: unknown; slug?: unknown };
    if (typeof title !== 'string' || typeof order !== 'number') throw new Error(`${file}: frontmatter without a title or a numeric order`);
    let maths = false;
    let displayMaths = false;
    visit(unified().use(remarkParse).use(remarkMdx).use(remarkMath).parse(content), (node) => {
      if (node.type === 'math') displayMaths = maths = true;
      if (node.type === 'inlineMath') maths = true;
    });
    lessons.push({ slug: typeof slug === 'string' && slug ? slug : lessonSlug(file), title, order, cells: lessonCells(content).length, maths, displayMaths, draft: draft === true });
  }
  return lessons
    .filter((l) => !l.draft)
    .sort((a, b) => a.order - b.order)
    .map(({ draft: _draft, ...l }) => l);
}

/** Every lesson the built site must list, in course order (see `courseLessons`). */
export const EXPECTED_LESSONS: readonly CourseLesson[] = courseLessons();

/** The lessons with live cells: those with a notebook toolbar and a .ipynb download. */
export const LESSONS_WITH_CELLS: readonly CourseLesson[] = EXPECTED_LESSONS.filter((l) => l.cells > 0);

/** Whether the course has the lesson `slug` (for tests about one lesson's own content). */
export const hasLesson = (slug: string): boolean => EXPECTED_LESSONS.some((l) => l.slug === slug);

/** A link's lesson slug: `…/lessons/gru/` -> `gru`. */
export const slugOf = (href: string): string => new URL(href).pathname.replace(/\/$/, '').split('/').pop() ?? '';

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
