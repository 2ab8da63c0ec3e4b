import type { Browser } from 'playwright-core';
import { startAppServer, type AppServer } from './app-server';
import { launchBrowser, openConsole, type ConsolePage } from './browser';
import { ApiClient } from './seed';

const TEXTS = {
  'zh-CN': { title: '修改密码', required: '您的密码由管理员设置', wrong: '不正确', mismatch: '两次输入的新密码不一致', done: '密码已修改' },
  en: {
    title: 'Change your password',
    required: 'An administrator set your password',
    wrong: 'is wrong',
    mismatch: 'The two new passwords differ',
    done: 'Your password was changed',
  },
} as const;

const FIRST = 'admin-chosen secret 2026';
const OWN = 'my very own passphrase 77';

/**
 * Issue 14 point 4: an account an administrator created signs in to the change-password screen and
 * nothing else; once it chose its own password it reaches the dashboard, and the admin's password is dead.
 */
describe('an admin-made account changes its password first', () => {
  let server: AppServer;
  let browser: Browser;
  const pages: ConsolePage[] = [];

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
  });

  afterEach(() => {
    // the refused wrong current password is the browser's logged 422; nothing else
    for (const cp of pages) expect(cp.errors.filter((e) => !/status of 422 .*\/api\/auth\/password/.test(e))).toEqual([]);
  });

  afterAll(async () => {
    for (const cp of pages) await cp.context.close();
    await browser?.close();
    await server?.stop();
  });

  it.each(['zh-CN', 'en'] as const)('%s: sign in → change-password screen only → own password → dashboard', async (locale) => {
    const username = `e2e-made-${locale.toLowerCase()}`;
    const admin = await ApiClient.login(server.url, 'admin');
    await admin.request('POST', '/users', { username, password: FIRST, roles: ['approver'] });

    const cp = await openConsole(browser, server.url, locale, `${locale}-password`);
    pages.push(cp);
    const { page, screenshot } = cp;
    await page.goto('/');
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(FIRST);
    await page.locator('button[type="submit"]').click();
    const card = page.getByTestId('change-password');
    await card.getByText(TEXTS[locale].required).waitFor();
    await page.waitForURL(/#\/change-password$/);
    await screenshot('required');
    // every other screen leads back here
    await page.goto('/#/policies');
    await page.waitForURL(/#\/change-password$/);
    await card.getByText(TEXTS[locale].title).first().waitFor();

    // a wrong current password is named at its field; the two new ones must agree
    await page.locator('input[name="currentPassword"]').fill('not the password at all');
    await page.locator('input[name="newPassword"]').fill(OWN);
    await page.locator('input[name="confirmPassword"]').fill(OWN);
    await card.locator('button[type="submit"]').click();
    await card.getByText(TEXTS[locale].wrong, { exact: true }).waitFor();
    await page.locator('input[name="currentPassword"]').fill(FIRST);
    await page.locator('input[name="confirmPassword"]').fill(`${OWN}x`);
    await card.locator('button[type="submit"]').click();
    await card.getByText(TEXTS[locale].mismatch).waitFor();
    await page.locator('input[name="confirmPassword"]').fill(OWN);
    await card.locator('button[type="submit"]').click();
    await page.getByTestId('health-status').waitFor();
    await page.getByText(TEXTS[locale].done).waitFor();
    await screenshot('dashboard');

    // the admin's password no longer signs in; the account's own does, straight to the dashboard
    const old = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: FIRST }),
    });
    expect(old.status).toBe(401);
    const own = await ApiClient.login(server.url, username, OWN);
    expect(await own.request<{ passwordChangeRequired: boolean }>('GET', '/auth/me')).toMatchObject({ passwordChangeRequired: false });
  });
});
