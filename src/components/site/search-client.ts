/**
 * Pagefind search, in two places: the search page (Search.astro) and the instant-results dialog
 * every page opens with Ctrl+K / Cmd+K or "/" (SearchDialog.astro). Both mount Pagefind's UI,
 * loaded on demand from the built site (`${BASE_URL}pagefind/`).
 *
 * What the UI is given on top of Pagefind's defaults:
 * - results never list the page's own title again as a sub-result (the lesson's `<h1 id="_top">`
 *   would otherwise come back under it);
 * - excerpts lose the space Pagefind leaves before the punctuation after a formula ("has u , so"):
 *   formulas are indexed from an attribute (src/markdown/rehype-math-search-text.ts), which
 *   Pagefind pads with spaces;
 * - a real accessible name for Pagefind's input, and a readable placeholder (search.css);
 * - on the search page, the query stays in the header's box and in the address (`?q=`).
 */

declare global {
  interface Window {
    PagefindUI?: new (options: Record<string, unknown>) => { triggerSearch(term: string): void };
  }
}

/** Pagefind's result data, as far as `processResult` touches it. */
interface PagefindResultData {
  url: string;
  excerpt?: string;
  meta: { title?: string };
  sub_results?: { title: string; url: string; excerpt?: string }[];
}

const MISSING =
  'Search is available after `npm run build` (Pagefind indexes the built site; `astro dev` has no index).';

let bundleLoaded: Promise<void> | null = null;

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

/** Loads Pagefind's UI script and stylesheet once per page. */
function loadBundle(bundle: string): Promise<void> {
  bundleLoaded ??= (async () => {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = `${bundle}pagefind-ui.css`;
    document.head.append(css);
    await loadScript(`${bundle}pagefind-ui.js`);
    if (!window.PagefindUI) throw new Error('PagefindUI missing');
  })();
  bundleLoaded.catch(() => (bundleLoaded = null));
  return bundleLoaded;
}

/** Drops sub-results that only repeat the page's title (the `<h1 id="_top">` anchor). */
export function dropTitleRepeats<T extends PagefindResultData>(result: T): T {
  const title = result.meta?.title?.trim();
  if (Array.isArray(result.sub_results) && title) {
    result.sub_results = result.sub_results.filter((s) => s.title.trim() !== title || s.url === result.url);
  }
  return result;
}

/** `excerpt` (Pagefind's HTML, with `<mark>`s) without a space before closing punctuation. */
export function tidyExcerpt(excerpt: string): string {
  return excerpt.replace(/(\S) +(?!\.\.)(?=[,.;:!?)\]]+(?:\s|<|$))/g, '$1');
}

/** What the UI does to each result: drops title repeats, tidies the excerpts. */
export function processResult<T extends PagefindResultData>(result: T): T {
  dropTitleRepeats(result);
  if (typeof result.excerpt === 'string') result.excerpt = tidyExcerpt(result.excerpt);
  for (const s of result.sub_results ?? []) if (typeof s.excerpt === 'string') s.excerpt = tidyExcerpt(s.excerpt);
  return result;
}

/**
 * Mounts Pagefind's UI in `root` (an element with `data-bundle`, a `.search-ui` child and a
 * `.search-status` or `.search-dialog-status` child). Resolves to the UI, or null when the index is missing (the status
 * says so).
 */
export async function mountSearch(root: HTMLElement): Promise<{ triggerSearch(term: string): void } | null> {
  const status = root.querySelector<HTMLElement>('.search-status, .search-dialog-status')!;
  const target = root.querySelector<HTMLElement>('.search-ui')!;
  const bundle = root.dataset.bundle ?? '/pagefind/';
  if (root.dataset.dev === 'true') {
    status.textContent = MISSING;
    return null;
  }
  try {
    await loadBundle(bundle);
  } catch {
    status.textContent = MISSING;
    return null;
  }
  const ui = new window.PagefindUI!({
    element: target,
    bundlePath: bundle,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    autofocus: true,
    processResult,
    translations: { placeholder: 'Search the lessons' },
  });
  // Pagefind's input only has a placeholder; give it a real accessible name.
  target.querySelector('input')?.setAttribute('aria-label', 'Search the lessons');
  target.addEventListener('keydown', (e) => moveThroughResults(target, e));
  return ui;
}

/**
 * Arrow keys in the search box and its results, as command palettes and DocSearch do: Down
 * from the box goes to the first result link, Down and Up step through the result links
 * (sub-results included, in reading order), Up from the first goes back to the box. Tab keeps
 * its usual order (the box, Clear, the results); Enter on a link follows it.
 */
function moveThroughResults(target: HTMLElement, e: KeyboardEvent): void {
  if ((e.key !== 'ArrowDown' && e.key !== 'ArrowUp') || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  const input = target.querySelector<HTMLInputElement>('input');
  const links = [...target.querySelectorAll<HTMLAnchorElement>('.pagefind-ui__results a[href]')];
  const at = links.indexOf(e.target as HTMLAnchorElement);
  if (e.target !== input && at < 0) return;
  if (!links.length) return;
  e.preventDefault();
  const next = e.key === 'ArrowDown' ? (at < 0 ? 0 : Math.min(at + 1, links.length - 1)) : at - 1;
  if (next < 0) input?.focus();
  else links[next]!.focus();
}

/** The search page: mounts the UI, runs `?q=`, and keeps the query in the header box and the address. */
export async function initSearch(): Promise<void> {
  const root = document.querySelector<HTMLElement>('.search:not(.search-in-dialog)');
  if (!root) return;
  const header = document.querySelector<HTMLInputElement>('#site-search-q');
  const q = new URLSearchParams(location.search).get('q') ?? '';
  if (header && q) header.value = q;
  const ui = await mountSearch(root);
  if (!ui) return;
  if (q) ui.triggerSearch(q);
  const input = root.querySelector<HTMLInputElement>('.search-ui input');
  input?.addEventListener('input', () => {
    const term = input.value;
    if (header) header.value = term;
    const url = new URL(location.href);
    if (term) url.searchParams.set('q', term);
    else url.searchParams.delete('q');
    history.replaceState(history.state, '', url);
  });
}
