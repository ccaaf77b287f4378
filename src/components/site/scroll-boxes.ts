/**
 * Makes display equations that still scroll horizontally reachable by keyboard: a box
 * gets tabindex="0" and an accessible name only while its content overflows, so readers can
 * scroll it with the arrow keys without adding a tab stop for every equation. (The visible
 * cue, a shadow on the side with hidden content, is pure CSS: base.css.)
 *
 * No forced reflow: sizes are read only in ResizeObserver callbacks, which run after the
 * browser's own layout (and again for each box whose size changes, e.g. on rotation).
 *
 * Used by the cheat sheet. Lessons do without it: their equations wrap at KaTeX's break points
 * (base.css) and fit down to 320 px, and their tables are focusable in the server HTML
 * (src/markdown/rehype-scroll-boxes.ts).
 */
const SELECTOR = '.katex-display';

function update(box: HTMLElement, overflows: boolean): void {
  if (overflows && !box.hasAttribute('tabindex')) {
    box.tabIndex = 0;
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', 'Equation (scrolls sideways)');
  } else if (!overflows && box.getAttribute('tabindex') === '0') {
    box.removeAttribute('tabindex');
    box.removeAttribute('role');
    box.removeAttribute('aria-label');
  }
}

/** Starts watching every display equation on the page (call once, after the DOM is parsed). */
export function markScrollBoxes(): void {
  const boxes = [...document.querySelectorAll<HTMLElement>(SELECTOR)];
  if (boxes.length === 0 || !('ResizeObserver' in window)) return;
  const sizes = new ResizeObserver((entries) => {
    // Read every size first, then write: one layout for the whole batch, done by the browser.
    // A box in a section the browser skips (content-visibility, layout.css) is left alone:
    // reading its scrollWidth would force the layout that skipping saves. It is observed again
    // when its section is rendered (its size changes then).
    const results = entries
      .map((e) => e.target as HTMLElement)
      .filter((box) => box.checkVisibility({ contentVisibilityAuto: true }))
      .map((box) => [box, box.scrollWidth > box.clientWidth + 1] as const);
    for (const [box, overflows] of results) update(box, overflows);
  });
  const observe = () => {
    for (const box of boxes) {
      sizes.unobserve(box);
      sizes.observe(box); // (re)observing delivers the box's size in the next frame
    }
  };
  observe();
  // KaTeX's fonts change a formula's width without resizing its box: look again once loaded.
  void document.fonts?.ready.then(observe);
}
