/**
 * Tabs of a cell ("TensorFlow.js" / "Keras (Python)"), following the WAI-ARIA tabs pattern:
 * click selects; Left/Right arrows move to and select the neighbouring tab (wrapping), Home/End
 * the first/last. Listeners are delegated on the document, so cells added or upgraded later
 * work too, and nothing depends on when <rnn-cell> is defined.
 */

function tabsOf(tab: HTMLElement): HTMLElement[] {
  const list = tab.closest('[role="tablist"]');
  return list ? [...list.querySelectorAll<HTMLElement>('[role="tab"]')] : [];
}

/** Shows the panel of `tab`, hides its siblings' panels and moves the roving tabindex. */
export function selectTab(tab: HTMLElement, focus = false): void {
  for (const t of tabsOf(tab)) {
    const on = t === tab;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    const panel = document.getElementById(t.getAttribute('aria-controls') ?? '');
    if (panel) panel.hidden = !on;
  }
  if (focus) tab.focus();
  tab.closest('rnn-cell')?.dispatchEvent(
    new CustomEvent('cell-tab-change', { bubbles: true, detail: { tab: tab.id } }),
  );
}

const KEYS: Record<string, (i: number, n: number) => number> = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_i, n) => n - 1,
};

export function enhanceCellTabs(root: Document): void {
  const doc = root as Document & { __cellTabs?: boolean };
  if (doc.__cellTabs) return;
  doc.__cellTabs = true;
  root.addEventListener('click', (e) => {
    const tab = (e.target as Element | null)?.closest?.<HTMLElement>('.cell-tabs [role="tab"]');
    if (tab) selectTab(tab);
  });
  root.addEventListener('keydown', (e) => {
    const tab = (e.target as Element | null)?.closest?.<HTMLElement>('.cell-tabs [role="tab"]');
    const move = tab && KEYS[e.key];
    if (!tab || !move) return;
    const tabs = tabsOf(tab);
    const next = tabs[move(tabs.indexOf(tab), tabs.length)];
    if (next) {
      e.preventDefault();
      selectTab(next, true);
    }
  });
}
