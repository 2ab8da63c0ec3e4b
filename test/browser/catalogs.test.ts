import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD, startAppServer, type AppServer } from './app-server';
import { launchBrowser, login, openConsole, type ConsolePage } from './browser';

/** Catalog screens: create a fact, a benefit with a CNY unit cost and a package; the API's errors show at their field. */
describe('catalogs (zh-CN)', () => {
  let server: AppServer;
  let browser: Browser;
  let cp: ConsolePage;

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
    cp = await openConsole(browser, server.url, 'zh-CN', 'zh-CN-catalogs');
    await login(cp.page, 'author', DEMO_PASSWORD);
  });

  afterAll(async () => {
    await cp?.context.close();
    await browser?.close();
    await server?.stop();
  });

  const choose = async (source: string, value: string) => {
    await cp.page.locator(`.ra-input-${source} [role="combobox"]`).click();
    await cp.page.locator(`li[data-value="${value}"]`).click();
  };

  it('creates a fact, a benefit and a package, and formats CNY for the locale', async () => {
    const { page, screenshot } = cp;
    await page.goto('/#/facts/create');
    await page.locator('input[name="key"]').fill('e2eRegion');
    await page.locator('input[name="label"]').fill('所属区域');
    await choose('type', 'enum');
    await page.locator('.ra-input-enumValues input').fill('惠城区');
    await page.keyboard.press('Enter');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/#\/facts$/);

    await page.goto('/#/benefits/create');
    await page.locator('input[name="key"]').fill('e2e-lounge');
    await page.locator('input[name="name"]').fill('机场贵宾厅');
    await page.locator('input[name="unitCost"]').fill('1280.5');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/#\/benefits$/);
    await page.goto(`/#/benefits?filter=${encodeURIComponent(JSON.stringify({ q: 'e2e-lounge' }))}`);
    await page.getByText('¥1,280.50').waitFor();
    await screenshot('benefits');

    await page.goto('/#/benefit-packages/create');
    await page.locator('input[name="key"]').fill('e2e-package');
    await page.locator('input[name="name"]').fill('测试权益包');
    await page.getByRole('combobox').last().fill('机场贵宾厅');
    await page.getByRole('option', { name: '机场贵宾厅' }).click();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/#\/benefit-packages$/);
    expect(cp.errors).toEqual([]);
  });

  it('starts a policy from a shipped template: a draft with its test cases, ready to edit', async () => {
    const { page, screenshot } = cp;
    await page.goto('/#/policies');
    await page.getByTestId('from-template').click();
    await page.getByTestId('template-select').locator('..').click();
    await page.getByRole('option', { name: '兴业银行家庭财富卡分级' }).click();
    await page.getByTestId('template-key').fill('cib-card-e2e');
    await screenshot('from-template');
    await page.getByTestId('template-create').click();
    await page.waitForURL(/#\/policies\/[0-9a-f-]{36}\/show/);
    await page.getByText('已创建策略 cib-card-e2e').waitFor();
    await page.getByText('cib-card-e2e').first().waitFor();
    await page.getByText('草稿').first().waitFor();
    // the demo already has cib-card: the same key again is refused, with the API's message in the dialog
    await page.goto('/#/policies');
    await page.getByTestId('from-template').click();
    await page.getByTestId('template-select').locator('..').click();
    await page.getByRole('option', { name: '兴业银行家庭财富卡分级' }).click();
    await page.getByTestId('template-create').click();
    await page.getByRole('alert').filter({ hasText: 'cib-card' }).waitFor();
    expect(cp.errors.filter((e) => !e.includes('409'))).toEqual([]);
  });

  it('shows the API refusing a taken key at the key field', async () => {
    const { page, screenshot } = cp;
    await page.goto('/#/facts/create');
    await page.locator('input[name="key"]').fill('e2eRegion');
    await page.locator('input[name="label"]').fill('重复');
    await choose('type', 'number');
    await page.locator('button[type="submit"]').click();
    await page.locator('input[name="key"][aria-invalid="true"]').waitFor();
    await screenshot('fact-key-taken');
    const errors = cp.errors.splice(0);
    expect(errors.every((e) => e.includes('status of 409'))).toBe(true);
  });
});
