import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './app-server';

export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test/artifacts');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Every console error and uncaught page error seen so far. */
  errors: string[];
  screenshot(name: string): Promise<void>;
}

/** A fresh browser context (own storage) in the given locale that records console errors. */
export async function openConsole(browser: Browser, baseUrl: string, locale: 'en' | 'zh-CN', prefix: string): Promise<ConsolePage> {
  const context = await browser.newContext({ locale, baseURL: baseUrl, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  // 30 s: CI runs these beside the API integration tests on 2 cores; two runs under that load timed
  // out at 20 s on a step that takes under a second when quiet (a switch, a form's first field)
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return {
    context,
    page,
    errors,
    async screenshot(name) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${prefix}-${name}.png`), fullPage: true });
    },
  };
}

/** Logs in through react-admin's login form and waits for the dashboard. */
export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.getByTestId('health-status').waitFor();
}
