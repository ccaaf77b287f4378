/** Loads Pagefind's UI bundle from the built site and mounts it (see Search.astro). */

declare global {
  interface Window {
    PagefindUI?: new (options: Record<string, unknown>) => { triggerSearch(term: string): void };
  }
}

const MISSING =
  'Search is available after `npm run build` (Pagefind indexes the built site; `astro dev` has no index).';

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

export async function initSearch(): Promise<void> {
  const root = document.querySelector<HTMLElement>('.search');
  if (!root) return;
  const status = root.querySelector<HTMLElement>('.search-status')!;
  const bundle = root.dataset.bundle ?? '/pagefind/';
  if (root.dataset.dev === 'true') {
    status.textContent = MISSING;
    return;
  }
  try {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = `${bundle}pagefind-ui.css`;
    document.head.append(css);
    await loadScript(`${bundle}pagefind-ui.js`);
    if (!window.PagefindUI) throw new Error('PagefindUI missing');
  } catch {
    status.textContent = MISSING;
    return;
  }
  const ui = new window.PagefindUI({
    element: '#search-ui',
    bundlePath: bundle,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    autofocus: true,
    translations: { placeholder: 'Search the lessons' },
  });
  // Pagefind's input only has a placeholder; give it a real accessible name.
  root.querySelector('input')?.setAttribute('aria-label', 'Search the lessons');
  const q = new URLSearchParams(location.search).get('q');
  if (q) ui.triggerSearch(q);
}
