/**
 * The build's link check (an Astro integration, `astro:build:done`): reads every built HTML page,
 * collects the ids on each, and checks that every internal link (`<a href>`, `<area href>`) and
 * image (`<img src>`) resolves to a file of the build and, for a `#fragment` on an HTML page, to an
 * id (or `<a name>`) on that page. Links outside the site's base path (`BASE_PATH`, e.g.
 * `/course/`) are broken too: the deployed site has nothing there. External links (`https:`,
 * `mailto:`, `//host/…`) are not checked (the build runs offline).
 *
 * A broken link fails the build with one line per link, naming the lesson file for lesson pages
 * (`/lessons/<slug>/` -> `content/lessons/<file>.mdx`, with the line where the link is written
 * when it is there as is) and the page for the others:
 *
 *   content/lessons/lstm.mdx:12 (page /lessons/lstm/) links to /lessons/lstn/: no such page
 *
 * Register it after `offline()` in astro.config.mjs, so it sees the whole output (search index,
 * sw.js) as it ships.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { buildError, type BuildErrorLocation } from './build-error';
import { LESSONS_DIR, lessonSlug } from './order';
import { closest } from './closest';
import { filesUnder } from './build-files';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** The ids and links of one HTML page. */
export interface PageInfo {
  /** `id` attributes and `<a name>` values (the targets of a fragment in HTML). */
  ids: Set<string>;
  /** `href` / `src` values as written, in document order. */
  links: string[];
}

const LINK_ATTRS: Record<string, string> = { a: 'href', area: 'href', img: 'src' };

/** Parses one page with parse5 (the HTML parser Astro's Markdown pipeline uses). */
export function readPage(html: string): PageInfo {
  const ids = new Set<string>();
  const links: string[] = [];
  const visit = (node: Node): void => {
    if ('tagName' in node) {
      const el = node as Element;
      for (const { name, value } of el.attrs) {
        if (name === 'id' || (name === 'name' && el.tagName === 'a')) ids.add(value);
        if (LINK_ATTRS[el.tagName] === name) links.push(value);
      }
      // <template> content is inert until a script uses it: not a link on the page.
      if (el.tagName === 'template') return;
    }
    if ('childNodes' in node) for (const child of node.childNodes) visit(child);
  };
  visit(parse(html));
  return { ids, links };
}

/** `lessons/lstm/index.html` -> `/lessons/lstm/`; `404.html` -> `/404.html` (relative to the base). */
export function pageUrl(file: string): string {
  if (file === 'index.html') return '/';
  if (file.endsWith('/index.html')) return `/${file.slice(0, -'index.html'.length)}`;
  return `/${file}`;
}

/** The file of the build a site path (relative to the base, decoded) is served from, if any. */
function resolveFile(path: string, files: ReadonlySet<string>): string | undefined {
  const p = path.replace(/^\/+/, '');
  const candidates = p === '' || p.endsWith('/') ? [`${p}index.html`] : [p, `${p}/index.html`, `${p}.html`];
  return candidates.find((c) => files.has(c));
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface LinkCheckOptions {
  /** The site base, e.g. `/` or `/course/`. */
  base: string;
  /** The project root, to name lesson files and find the line of a link (optional in tests). */
  root?: string;
}

export interface LinkProblem {
  /** `content/lessons/lstm.mdx:12 (page /lessons/lstm/) links to /lessons/lstn/: no such page` */
  message: string;
  /** The lesson file (and line) when the page is a lesson's. */
  loc?: BuildErrorLocation;
}

/** One problem per broken link (none when every internal link resolves). */
export function checkLinks(outDir: string, { base, root }: LinkCheckOptions): LinkProblem[] {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  const files = new Set(filesUnder(outDir));
  const pages = new Map<string, PageInfo>();
  for (const file of [...files].filter((f) => f.endsWith('.html')).sort()) {
    pages.set(file, readPage(readFileSync(join(outDir, file), 'utf8')));
  }

  // Lesson pages -> their MDX file (the slug the collection's loader gives each file).
  const lessonFiles = new Map<string, string>();
  if (root) {
    const dir = join(root, LESSONS_DIR);
    let entries: string[] = [];
    try {
      entries = filesUnder(dir);
    } catch {
      entries = [];
    }
    for (const entry of entries.filter((e) => e.endsWith('.mdx'))) {
      lessonFiles.set(lessonSlug(entry), `${LESSONS_DIR}/${entry}`);
    }
  }

  const problems: LinkProblem[] = [];
  for (const [file, { links }] of pages) {
    const url = pageUrl(file);
    const lessonSlugOfPage = /^\/lessons\/(.+)\/$/.exec(url)?.[1];
    const source = lessonSlugOfPage ? lessonFiles.get(lessonSlugOfPage) : undefined;
    let sourceLines: string[] | undefined;
    const seen = new Set<string>();
    for (const raw of links) {
      const href = raw.trim();
      if (href === '' || href === '#' || /^[a-z][a-z\d+.-]*:/i.test(href) || href.startsWith('//')) continue;
      const resolved = new URL(href, `http://site.invalid${prefix}${url.slice(1)}`);
      // How the author wrote it (site-absolute links carry the base in the HTML, not in the MDX).
      const shown = href.startsWith(prefix) ? `/${href.slice(prefix.length)}` : href;
      let reason: string | undefined;
      if (!`${resolved.pathname}/`.startsWith(prefix)) {
        reason = `outside the site, which lives under ${prefix} (write site links as /lessons/…; the build adds the base path)`;
      } else {
        const path = decode(resolved.pathname.slice(prefix.length));
        const target = resolveFile(path, files);
        const fragment = decode(resolved.hash.slice(1));
        if (target === undefined) {
          const slug = /^lessons\/([^/]+)\/?$/.exec(path)?.[1];
          const draft = slug && lessonFiles.has(slug) ? ` (${lessonFiles.get(slug)} exists: is it a draft? drafts are not published)` : '';
          reason = /\.[a-z\d]+$/i.test(path) && !path.endsWith('.html') ? `no such file${draft}` : `no such page${draft}`;
        } else if (fragment && fragment !== 'top' && target.endsWith('.html')) {
          const ids = pages.get(target)?.ids ?? new Set<string>();
          if (!ids.has(fragment)) {
            const where = target === file ? 'this page' : pageUrl(target);
            const guess = closest(fragment, ids);
            reason = `no heading or element with id "${fragment}" on ${where}${guess ? ` (did you mean #${guess}?)` : ''}`;
          }
        }
      }
      if (!reason || seen.has(href)) continue;
      seen.add(href);
      let where = `page ${url}`;
      let loc: BuildErrorLocation | undefined;
      if (source) {
        if (root && sourceLines === undefined) {
          try {
            sourceLines = readFileSync(join(root, source), 'utf8').split(/\r?\n/);
          } catch {
            sourceLines = [];
          }
        }
        const i = sourceLines?.findIndex((l) => l.includes(`(${shown}`) || l.includes(`"${shown}"`)) ?? -1;
        where = `${source}${i >= 0 ? `:${i + 1}` : ''} (page ${url})`;
        loc = { file: source, line: i >= 0 ? i + 1 : undefined };
      }
      problems.push({ message: `${where} links to ${shown}: ${reason}`, loc });
    }
  }
  return problems;
}

/** The integration: add it to `integrations` in astro.config.mjs (after `offline()`). */
export default function linkCheck(): AstroIntegration {
  let base = '/';
  let root = '';
  return {
    name: 'rnn-notebook-link-check',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base;
        root = fileURLToPath(config.root);
      },
      'astro:build:done': ({ dir, logger }) => {
        const problems = checkLinks(fileURLToPath(dir), { base, root });
        if (problems.length > 0) {
          throw buildError(
            `${problems.length === 1 ? 'A link goes' : `${problems.length} links go`} nowhere:\n` +
              problems.map((p) => `  ${p.message}`).join('\n'),
            problems.find((p) => p.loc)?.loc,
            'Link to a lesson as /lessons/<file name without .mdx>/ and to a heading as #its-text-in-lower-case-with-dashes ' +
              '(content/README.md, "Links and images"). Images go in public/ and are linked as /images/name.png.',
          );
        }
        logger.info('links: every internal link and anchor resolves');
      },
    },
  };
}
