import { type PolicyDefinition } from '@tierwise/policy-engine';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD, startAppServer, type AppServer } from './app-server';
import { launchBrowser, login, openConsole, type ConsolePage } from './browser';
import { ApiClient, cardFile, seedPolicy } from './seed';

/** The CIB card ladder with Black Gold also requiring `platinumAssets`: a named condition used by two tiers. */
function ladder(platinum: number): PolicyDefinition {
  const def = structuredClone(cardFile.definition);
  const named = def.conditions!.platinumAssets as { any: { fact: string; value: unknown }[] };
  named.any.find((leaf) => leaf.fact === 'avgDailyAssets')!.value = platinum;
  def.tiers[0].when = { all: [{ condition: 'platinumAssets' }, { condition: 'blackGoldAssets' }] };
  return def;
}

const TEXTS = {
  'zh-CN': {
    change: 'platinumAssets · 日均综合金融资产 ≥ 300,000 → 500,000',
    source: '命名条件 platinumAssets',
    pick: '请先选择策略',
  },
  en: {
    change: 'platinumAssets · Average daily total financial assets ≥ 300,000 → 500,000',
    source: 'named condition platinumAssets',
    pick: 'Choose a policy',
  },
} as const;

/**
 * Issue 10 acceptance 3 / issue 15: the 版本对比 page shows the API's per-tier diff. From the menu:
 * pick a policy, then two versions; raising a named condition's threshold marks every tier that uses it.
 */
describe('compare versions: the diff names every tier a named condition reaches', () => {
  let server: AppServer;
  let browser: Browser;
  const pages: ConsolePage[] = [];
  let policyName = '';
  const versions: { v1: string; v2: string } = { v1: '', v2: '' };

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
    const seeded = await seedPolicy(server.url, 'e2e-diff', ladder(300_000));
    const author = await ApiClient.login(server.url, 'author');
    const draft = await author.request<{ id: string }>('POST', `/policies/${seeded.policyId}/versions`, {
      definition: ladder(500_000),
      basedOn: seeded.publishedVersionId,
      changeNote: 'raise platinum',
    });
    versions.v1 = seeded.publishedVersionId;
    versions.v2 = draft.id;
    policyName = `${cardFile.policy.name} (e2e-diff)`;
  });

  afterEach(() => {
    for (const cp of pages) expect(cp.errors).toEqual([]);
  });

  afterAll(async () => {
    for (const cp of pages) await cp.context.close();
    await browser?.close();
    await server?.stop();
  });

  it.each(['zh-CN', 'en'] as const)('%s: menu → policy → v1 and v2 → BLACK and PLATINUM changed, GOLD and SILVER not', async (locale) => {
    const cp = await openConsole(browser, server.url, locale, `${locale}-diff`);
    pages.push(cp);
    const { page, screenshot } = cp;
    await login(page, 'author', DEMO_PASSWORD);
    await page.locator('a[href="#/diff"]').click();
    await page.getByText(TEXTS[locale].pick).waitFor();

    const choose = async (testId: string, option: RegExp | string) => {
      await page.locator(`[data-testid="${testId}"]`).locator('xpath=..').locator('[role="combobox"]').click();
      await page.getByRole('option', { name: option }).click();
    };
    await choose('diff-policy', `${policyName} (e2e-diff)`);
    await choose('diff-left', /^v1 /);
    await choose('diff-right', /^v2 /);
    await page.waitForURL(new RegExp(`left=${versions.v1}`));
    expect(page.url()).toContain(`right=${versions.v2}`);

    const tier = (key: string) => page.locator(`[data-testid="diff-tier"][data-tier="${key}"]`);
    await tier('PLATINUM').waitFor();
    for (const key of ['BLACK', 'PLATINUM']) {
      await expect(tier(key).getAttribute('data-status')).resolves.toBe('changed');
      const row = tier(key).locator('[data-testid="diff-change"][data-path="conditions.platinumAssets.any[0]"]');
      await expect(row.innerText()).resolves.toContain(TEXTS[locale].change);
      await expect(row.innerText()).resolves.toContain(TEXTS[locale].source);
    }
    await expect(page.locator('[data-testid="diff-tier"]').count()).resolves.toBe(2);
    const unchanged = page.getByTestId('diff-unchanged');
    for (const key of ['GOLD', 'SILVER']) await unchanged.locator(`[data-tier="${key}"]`).waitFor();
    await screenshot('diff');
  });
});
