import type { Page } from 'playwright-core';

/**
 * Lays out every lesson section, as if the reader had scrolled through the whole page.
 *
 * Lessons skip the rendering of sections far off screen (`content-visibility: auto` on
 * `.lesson-section`). Checks that need layout give unreliable answers on skipped content:
 * axe's colour contrast and `innerText`, which reads '' there. A reader who scrolls to a
 * section renders it, so these checks run on the page with every section rendered (also after
 * a reload of the page).
 */
export async function renderAllSections(page: Page): Promise<void> {
  const css = '.lesson-section { content-visibility: visible !important; }';
  await page.addStyleTag({ content: css });
  // The same after a reload or a navigation of this page.
  await page.addInitScript((rule: string) => {
    document.addEventListener('DOMContentLoaded', () => {
      const style = document.createElement('style');
      style.textContent = rule;
      document.head.append(style);
    });
  }, css);
}
