/**
 * Launch a real Chromium with playwright-core, never downloading one.
 * Looks at CHROMIUM_PATH, then Debian's /usr/bin/chromium, then other usual install paths.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export function findChromium(): string {
  for (const c of CANDIDATES) if (c && existsSync(c)) return c;
  throw new Error(
    'No Chromium found. Install one (Debian: apt-get install -y chromium) or set CHROMIUM_PATH to its executable.',
  );
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** A page that records console errors and uncaught exceptions, for assertions. */
export async function openPage(
  browser: Browser,
  url: string,
  opts: {
    width?: number;
    height?: number;
    colorScheme?: 'light' | 'dark';
    /** The site's offline service worker is blocked unless a test asks for it (tests/e2e/offline.test.ts). */
    serviceWorkers?: 'allow' | 'block';
  } = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    colorScheme: opts.colorScheme ?? 'light',
    serviceWorkers: opts.serviceWorkers ?? 'block',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors };
}
