import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD, startAppServer, type AppServer } from './app-server';
import { launchBrowser, login, openConsole } from './browser';

describe('console smoke test (real API, embedded PostgreSQL, Chromium)', () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('logs in as the demo admin and shows the API health on the dashboard', async () => {
    const { page, errors, screenshot, context } = await openConsole(browser, server.url, 'en', 'smoke');
    await page.goto('/');
    await page.locator('input[name="username"]').waitFor();
    await screenshot('login');
    await login(page, 'admin', DEMO_PASSWORD);
    const health = page.getByTestId('health-status');
    await page.waitForFunction(() => document.querySelector('[data-testid="health-status"]')?.getAttribute('data-ok') === 'true');
    const text = await health.innerText();
    expect(text).toContain('ok');
    expect(text).toContain('up');
    // the audit chain card gives the anchor to keep: <seq>:<sha-256>
    expect(await page.getByTestId('audit-anchor').innerText()).toMatch(/\d+:[0-9a-f]{64}$/);
    await screenshot('dashboard');
    expect(errors).toEqual([]);
    await context.close();
  });
});
