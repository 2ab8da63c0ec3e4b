import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD, startAppServer, type AppServer } from './app-server';
import { launchBrowser, login, openConsole, type ConsolePage } from './browser';
import { ApiClient } from './seed';

/** A logged decision is found by customer id, with its version, inputs and the explanation in the user's language. */
describe('decision lookup', () => {
  let server: AppServer;
  let browser: Browser;
  const pages: ConsolePage[] = [];

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
    const service = await ApiClient.login(server.url, 'service');
    await service.request('POST', '/evaluate', {
      policy: 'cib-card',
      customerId: 'E2E-CUST-001',
      facts: { hasValidId: true, avgDailyAssets: 1_200_000, familyAvgDailyAssets: 0 },
    });
  });

  afterAll(async () => {
    for (const cp of pages) await cp.context.close();
    await browser?.close();
    await server?.stop();
  });

  it.each([
    ['en', 'Average daily total financial assets: 1,200,000', 'Key customer (Black Gold card)'],
    ['zh-CN', '日均综合金融资产: 1,200,000', '重要客户（黑金卡）'],
  ] as const)('%s: compliance looks up a customer and reads why', async (locale, label, tierName) => {
    const cp = await openConsole(browser, server.url, locale, `${locale}-decisions`);
    pages.push(cp);
    await login(cp.page, 'compliance', DEMO_PASSWORD);
    await cp.page.goto(`/#/decisions?filter=${encodeURIComponent(JSON.stringify({ customerId: 'E2E-CUST-001' }))}`);
    const row = cp.page.locator('tbody tr').first();
    // the tier by its name in the deciding version, not its key
    await row.locator('[data-testid="decision-tier"][data-tier="BLACK"]', { hasText: tierName }).waitFor();
    await row.click();
    await cp.page.getByTestId('decision-detail').getByTestId('explanation-line').first().waitFor();
    expect(await cp.page.getByTestId('decision-detail').innerText()).toContain(label);
    await cp.screenshot('lookup');
    expect(cp.errors).toEqual([]);
  });
});
