import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD, startAppServer, type AppServer } from './app-server';
import { launchBrowser, login, openConsole, type ConsolePage } from './browser';
import { screensAtWidths, type LayoutProblem } from './layout';

export interface ConsoleSuite {
  /** The app (API serving the built console) started for this describe block. */
  readonly server: AppServer;
  readonly browser: Browser;
  /** A new browser context for `who`, logged in (artifacts named `<locale>-<name>-<who>`). */
  open(who: string, password?: string): Promise<ConsolePage>;
  /** Screenshots of the page at 1440 and 1280 px; clipped or per-character wrapped text is collected in `problems`. */
  screens(cp: ConsolePage, shot: string): Promise<void>;
  readonly problems: LayoutProblem[];
}

/**
 * What every console spec sets up, registered in the calling describe block: the app server and
 * Chromium started once before its tests and stopped after them, one logged-in page per user, and
 * no browser console error or uncaught page error in any test (checked after each).
 */
export function consoleSuite(locale: 'en' | 'zh-CN', name: string, env: Record<string, string> = {}): ConsoleSuite {
  let server: AppServer | undefined;
  let browser: Browser | undefined;
  const pages: ConsolePage[] = [];
  const problems: LayoutProblem[] = [];
  const started = <T>(value: T | undefined, what: string): T => {
    if (!value) throw new Error(`the ${what} is not started (use it inside a test)`);
    return value;
  };

  beforeAll(async () => {
    server = await startAppServer(env);
    browser = await launchBrowser();
  });

  afterEach(() => {
    for (const cp of pages) expect(cp.errors).toEqual([]);
  });

  afterAll(async () => {
    for (const cp of pages) await cp.context.close();
    await browser?.close();
    await server?.stop();
  });

  return {
    get server() {
      return started(server, 'app server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    problems,
    async open(who, password = DEMO_PASSWORD) {
      const cp = await openConsole(started(browser, 'browser'), started(server, 'app server').url, locale, `${locale}-${name}-${who}`);
      pages.push(cp);
      await login(cp.page, who, password);
      return cp;
    },
    async screens(cp, shot) {
      problems.push(...(await screensAtWidths(cp.page, `${locale}-${name}-screen`, shot)));
    },
  };
}
