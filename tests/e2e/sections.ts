import type { Page } from 'playwright-core';

/**
 * Lays out every lesson section, as if the reader had scrolled through the whole page.
 *
 * Lessons skip the rendering of sections far off screen (`content-visibility: auto` on
 * `.lesson-section`). Checks that need layout give unreliable answers on skipped content:
 * axe's colour contrast and `innerText`, which reads '' there. A reader who scrolls to a
 * section renders it, so these checks run on the page with every section rendered.
 */
export async function renderAllSections(page: Page): Promise<void> {
  await page.addStyleTag({ content: '.lesson-section { content-visibility: visible !important; }' });
}
