/**
 * The site under the security headers we recommend (public/_headers, documented in
 * content/README.md "Security headers"): the built site is served again by a second server
 * that sends exactly those headers, and a reader's path works — a lesson page with its meta
 * CSP, a cell that trains a model in the worker (eval + WebAssembly allowed by the worker's
 * own policy), search (Pagefind) — with no CSP violation. The worker's policy is really in
 * force: a plain-http fetch to another origin is refused, while https: would be allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage } from './browser';
import { browser, outDir, useBrowser } from './use-browser';
import { openNotebook, outputText, runCell, setCellCode, tinyFitCode, waitForState } from './notebook-helpers';
import { headersFor, startStaticServer, type StaticServer } from './static-server';

useBrowser();
let server: StaticServer;
let rules = '';

beforeAll(async () => {
  rules = readFileSync(join(outDir, '_headers'), 'utf8');
  server = await startStaticServer(outDir, '/rnn-notebook/', { headers: rules });
});
afterAll(async () => {
  await server?.close();
});

describe('recommended security headers', () => {
  it('are what public/_headers says, on pages and on the worker script', async () => {
    const page = await fetch(`${server.url}lessons/lstm/`);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/);
    expect(headersFor(rules, '/_astro/worker-x.js')['content-security-policy']).toMatch(/script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval' https:/);
    const html = await page.text();
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval';/);
  });

  it('let a lesson run a training cell, with the worker policy in force and no violation', async () => {
    const { page, errors } = await openNotebook(browser, `${server.url}lessons/lstm/`);
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await setCellCode(page, 0, tinyFitCode(2));
    await runCell(page, 0);
    expect(await waitForState(page, 0, ['done', 'error', 'stopped'], 120_000)).toBe('done');
    expect((await outputText(page, 0)).trim()).toMatch(/2$/);
    // A plain-http request to another origin is refused by the worker's connect-src.
    await setCellCode(page, 1, 'let msg = "allowed"; try { await fetch("http://127.0.0.2:9/x") } catch (e) { msg = String(e) } msg');
    await runCell(page, 1);
    expect(await waitForState(page, 1, ['done', 'error'], 30_000)).toBe('done');
    expect(await outputText(page, 1)).toMatch(/TypeError: Failed to fetch/);
    expect(violations.filter((v) => !/127\.0\.0\.2/.test(v))).toEqual([]);
    expect(errors.filter((e) => !/127\.0\.0\.2|Content Security Policy|Refused to/.test(e))).toEqual([]);
    await page.context().close();
  });

  it('let search work', async () => {
    const { page, errors } = await openPage(browser, `${server.url}search/?q=forget%20gate`);
    const results = page.locator('.pagefind-ui__result-link');
    await results.first().waitFor({ timeout: 20_000 });
    expect(await results.count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
