// The headless Chromium both browser suites drive: Debian's package, the flags this machine needs, and a
// page that collects what would otherwise go unnoticed (dialogs, page errors, console errors).
import { accessSync, constants } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's `chromium` package. */
export const CHROMIUM = '/usr/bin/chromium';

/** Launches headless Chromium; a missing binary is an error naming the Debian package. */
export async function launchChromium(): Promise<Browser> {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(`${CHROMIUM} is missing: install the Debian package chromium (apt-get install chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
    timeout: 30_000,
  });
}

/** What a watched page saw: alert() dialogs (an XSS would open one) and errors. */
export interface PageProblems {
  problems: string[];
  dialogs: string[];
}

/** A 1440×900 page that records dialogs (dismissed), page errors and console errors into `seen`. */
export async function watchedPage(browser: Browser, waitMs: number, seen: PageProblems): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(waitMs);
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => seen.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every non-2xx response ("Failed to load resource"): 401 and 404 are what some tests are about.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      seen.problems.push(`console error: ${message.text()}`);
    }
  });
  return page;
}

/**
 * Polls `check` until it holds, at most `waitMs`. (page.waitForFunction evaluates strings, which the
 * dashboard's content security policy rightly refuses.)
 */
export async function until(page: Page, waitMs: number, check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true within ${waitMs} ms: ${what}`);
    await page.waitForTimeout(100);
  }
}
