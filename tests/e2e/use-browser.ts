/**
 * The setup every browser test file shares: one Chromium per file, launched before the file's
 * first test and closed after its last, and the address of the site that global-setup.ts built
 * and serves.
 *
 *   import { baseUrl, browser, useBrowser } from './use-browser';
 *   useBrowser();
 *   it('…', async () => { const { page, errors } = await openPage(browser, baseUrl); … });
 *
 * `browser` is a live binding: it is undefined while the file's module loads and is the launched
 * Chromium from `useBrowser`'s `beforeAll` on, so tests and the file's own hooks read it as a
 * plain variable. Vitest runs every test file in its own module instance (`pool: 'forks'`, the
 * default isolation), so each file has its own `browser`.
 *
 * Hook order (Vitest's default `sequence.hooks: 'stack'`): a file's own `beforeAll`, registered
 * after `useBrowser()`, runs after the launch and may use `browser`; its own `afterAll` runs
 * before the browser is closed.
 *
 * This module uses `vitest`'s hooks, so only test files import it; scripts that need a Chromium
 * (bench/page.ts, scripts/interactions.ts) use ./browser.ts.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch } from './browser';

/** The URL the built site is served at, ending in '/' (e.g. 'http://127.0.0.1:4321/rnn-notebook/'). */
export const baseUrl: string = inject('baseUrl');

/** The directory the site was built into (E2E_OUT_DIR), for tests that read or patch the build. */
export const outDir: string = inject('outDir');

/** This file's Chromium: set by the `beforeAll` that `useBrowser()` registers, closed by its `afterAll`. */
export let browser: Browser;

/**
 * Registers the hooks that launch this file's Chromium before its tests and close it after them.
 * Call it once, at the top level of a test file, before the file's own hooks.
 */
export function useBrowser(): void {
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
}
