import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD, startAppServer, type AppServer } from './app-server';
import { launchBrowser, login, openConsole, type ConsolePage } from './browser';
import { ApiClient, seedCardPolicy } from './seed';

/**
 * Issue 11, the lifecycle rules card of the rule builder (contract §8), once per language: an author
 * turns the rules on, the engine refuses a grace out of range in the user's language, accepts grace 1
 * and one step down, warns when Platinum's keep condition asks more than its `when`, stops warning
 * when it asks less; the draft saved holds exactly those rules, and they are shown again on reload.
 */
const TEXT = {
  en: { graceRange: '"downgradeGraceRuns" must be a whole number from 0 to 24.', stricter: 'keepWhen should be weaker than when' },
  'zh-CN': { graceRange: '"downgradeGraceRuns" 必须是 0 到 24 之间的整数。', stricter: '保级条件应更宽松' },
} as const;

interface Version {
  definition: {
    lifecycle?: unknown;
    tiers: { key: string; keepWhen?: unknown }[];
  };
}

describe.each(['en', 'zh-CN'] as const)('lifecycle rules card (%s)', (locale) => {
  const text = TEXT[locale];
  let server: AppServer;
  let browser: Browser;
  let cp: ConsolePage | undefined;
  let draftId = '';
  let author: ApiClient;

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
    const seeded = await seedCardPolicy(server.url, `e2e-lifecycle-${locale.toLowerCase()}`);
    author = await ApiClient.login(server.url, 'author');
    draftId = (await author.request<{ id: string }>('POST', `/policies/${seeded.policyId}/versions`, { basedOn: seeded.publishedVersionId })).id;
  });

  afterAll(async () => {
    await cp?.context.close();
    await browser?.close();
    await server?.stop();
  });

  it('edits grace, steps and a keep condition with the engine checking them, and saves exactly that', async () => {
    cp = await openConsole(browser, server.url, locale, `${locale}-lifecycle`);
    const { page } = cp;
    await login(page, 'author', DEMO_PASSWORD);
    await page.goto(`/#/policy-versions/${draftId}`);
    const card = page.getByTestId('lifecycle-card');
    await card.waitFor();
    expect(await card.getByTestId('lifecycle-grace').count()).toBe(0); // off: no fields
    await card.getByTestId('lifecycle-enable').check();
    const grace = card.getByTestId('lifecycle-grace');
    expect(await grace.inputValue()).toBe('0');

    // out of range: the engine's error under the card, in the user's language
    await grace.fill('30');
    const graceError = card.locator('[data-testid="builder-error"][data-path="lifecycle.downgradeGraceRuns"]');
    await graceError.waitFor();
    expect(await graceError.innerText()).toContain(text.graceRange);
    await grace.fill('1');
    await graceError.waitFor({ state: 'detached' });
    await card.getByTestId('lifecycle-steps').fill('1');

    // Platinum's keep condition: avgDailyAssets ≥ 350,000 asks more than its when (300,000) → warning
    const platinum = card.locator('[data-testid="keep-when"][data-tier="PLATINUM"]');
    await platinum.getByTestId('add-keep-when').click();
    await platinum.getByTestId('add-condition').click();
    const leaf = platinum.getByTestId('condition-leaf').first();
    await leaf.getByTestId('fact-picker').click();
    await page.locator('li[role="option"]', { hasText: 'avgDailyAssets' }).first().click();
    const keepLeaf = platinum.locator('[data-testid="condition-leaf"][data-fact="avgDailyAssets"]');
    await keepLeaf.waitFor();
    await keepLeaf.locator('div[role="combobox"]').first().click();
    await page.locator('li[data-value="greaterThanInclusive"]').click();
    const value = keepLeaf.getByTestId('value-input');
    await value.fill('350000');
    await value.blur();
    const stricter = card.locator('[data-testid="builder-warning"][data-code="keep-when-not-weaker"]');
    await stricter.first().waitFor();
    expect(await stricter.first().innerText()).toContain(text.stricter);
    await cp.screenshot('lifecycle-keep-when-stricter');
    // weaker than when: no warning
    await value.fill('250000');
    await value.blur();
    await stricter.first().waitFor({ state: 'detached' });

    const put = page.waitForResponse((r) => r.url().includes(`/api/policy-versions/${draftId}`) && r.request().method() !== 'GET');
    await page.getByTestId('save-version').click();
    expect((await put).status()).toBe(200);
    await page.locator('[data-testid="save-version"][disabled]').waitFor();
    const saved = await author.request<Version>('GET', `/policy-versions/${draftId}`);
    expect(saved.definition.lifecycle).toEqual({ downgradeGraceRuns: 1, maxDowngradeSteps: 1 });
    expect(saved.definition.tiers.find((t) => t.key === 'PLATINUM')?.keepWhen).toEqual({
      all: [{ fact: 'avgDailyAssets', operator: 'greaterThanInclusive', value: 250_000 }],
    });
    expect(saved.definition.tiers.filter((t) => t.keepWhen).map((t) => t.key)).toEqual(['PLATINUM']);

    // shown again as saved
    await page.reload();
    await card.waitFor();
    expect(await card.getByTestId('lifecycle-grace').inputValue()).toBe('1');
    expect(await card.getByTestId('lifecycle-steps').inputValue()).toBe('1');
    expect(await platinum.getByTestId('value-input').inputValue()).toBe('250,000');
    await cp.screenshot('lifecycle-saved');
  });
});
