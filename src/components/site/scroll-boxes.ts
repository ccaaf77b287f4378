/**
 * Makes boxes that scroll horizontally (wide equations, tables) reachable by keyboard: a box
 * gets tabindex="0" and an accessible name only while its content overflows, so readers can
 * scroll it with the arrow keys without adding a tab stop for every equation.
 */
const SELECTOR = '.katex-display, .table-scroll';

function update(box: HTMLElement): void {
  const overflows = box.scrollWidth > box.clientWidth + 1;
  if (overflows && !box.hasAttribute('tabindex')) {
    box.tabIndex = 0;
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', box.matches('.table-scroll') ? 'Table (scrolls sideways)' : 'Equation (scrolls sideways)');
  } else if (!overflows && box.getAttribute('tabindex') === '0') {
    box.removeAttribute('tabindex');
    box.removeAttribute('role');
    box.removeAttribute('aria-label');
  }
}

export function markScrollBoxes(): void {
  const boxes = [...document.querySelectorAll<HTMLElement>(SELECTOR)];
  if (boxes.length === 0) return;
  const run = () => boxes.forEach(update);
  run();
  if ('ResizeObserver' in window) new ResizeObserver(run).observe(document.documentElement);
}
