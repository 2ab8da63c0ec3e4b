import { POLICY_FILE_FORMAT } from '@tierwise/policy-engine';
import { ApiClient, waitForRun } from './seed';
import { consoleSuite } from './suite';

const gte = (value: number) => ({ all: [{ fact: 'rolloutStars', operator: 'greaterThanInclusive', value }] });
const stars = (high: number) => ({
  schemaVersion: 1,
  tiers: [
    { key: 'HIGH', name: '高', nameEn: 'High', when: gte(high) },
    { key: 'LOW', name: '低', nameEn: 'Low' },
  ],
});
const inRegion = (region: string) => ({ all: [{ fact: 'rolloutRegion', operator: 'equal', value: region }] });

const TEXTS = {
  en: { v1: 'v1 · everyone else · 2', v2: 'v2 · step 1 · 2', step: 'v2 · step 1', meta: '(by each customer’s segment)' },
  'zh-CN': { v1: '版本 1 · 其余客户 · 2', v2: '版本 2 · 第 1 步 · 2', step: '版本 2 · 第 1 步', meta: '(按客户所在分段)' },
} as const;

/**
 * Issue 13 acceptance 3 in the console: a rating run at an instant when version 2 has started for east only
 * shows how many customers each version (and step) rated, each sample group names its version, and after
 * approval the customer page shows the step beside the version. Any browser console error fails the test.
 */
describe.each(['en', 'zh-CN'] as const)('rating run during a regional rollout in the console (%s)', (locale) => {
  const suite = consoleSuite(locale, 'rollout-rating');

  it('the run report counts customers per version and step; the customer page names the step', async () => {
    const key = `e2e-rollout-${locale === 'en' ? 'en' : 'zh'}`;
    const author = await ApiClient.login(suite.server.url, 'author');
    const approver = await ApiClient.login(suite.server.url, 'approver');
    const imported = await author.request<{ policy: { id: string }; version: { id: string } }>('POST', '/policies/import', {
      format: POLICY_FILE_FORMAT,
      policy: { key, name: '星级（分地区上线）' },
      definition: stars(100),
      testCases: [{ name: '200 → 高', facts: { rolloutStars: 200 }, expectedTier: 'HIGH' }],
      catalog: {
        facts: [
          { key: 'rolloutStars', label: '星点（分地区上线测试）', type: 'number' },
          { key: 'rolloutRegion', label: '分行地区', type: 'string' },
        ],
        benefits: [],
        benefitPackages: [],
      },
    });
    const publish = async (id: string, body: Record<string, unknown>) => {
      await author.request('POST', `/policy-versions/${id}/submit`, {});
      await approver.request('POST', `/policy-versions/${id}/approve`, {});
      await approver.request('POST', `/policy-versions/${id}/publish`, body);
    };
    await publish(imported.version.id, {});
    const draft = await author.request<{ id: string }>('POST', `/policies/${imported.policy.id}/versions`, { definition: stars(50), changeNote: '门槛 50' });
    const now = Date.now();
    const eastAt = new Date(now + 4_000).toISOString();
    await publish(draft.id, {
      effectiveFrom: new Date(now + 7_200_000).toISOString(),
      rollout: [
        { segment: inRegion('east'), effectiveFrom: eastAt },
        { segment: inRegion('north'), effectiveFrom: new Date(now + 3_600_000).toISOString() },
      ],
    });
    const rows = [
      { customerId: `${key}-east`, rolloutStars: 60, rolloutRegion: 'east' },
      { customerId: `${key}-east-low`, rolloutStars: 10, rolloutRegion: 'east' },
      { customerId: `${key}-west`, rolloutStars: 60, rolloutRegion: 'west' },
      { customerId: `${key}-north`, rolloutStars: 60, rolloutRegion: 'north' },
    ];
    const dataset = await author.request<{ id: string }>('POST', '/datasets', { name: `${key} snapshot`, asOf: eastAt.slice(0, 10), rows });
    // the run's instant: east has switched to version 2, west and north not yet
    const at = new Date(Date.parse(eastAt) + 500).toISOString();
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(at) - Date.now() + 200)));
    const run = await author.request<{ id: string }>('POST', '/rating-runs', { policy: key, datasetId: dataset.id, effectiveAt: at });
    await waitForRun(author, run.id, 'proposed');

    const cp = await suite.open('approver');
    await cp.page.goto(`/#/rating-runs/${run.id}/show`);
    await cp.page.locator('[data-testid="rating-run"][data-status="proposed"]').waitFor();
    const chips = cp.page.getByTestId('run-rollout-version');
    await chips.first().waitFor();
    expect(await chips.allInnerTexts()).toEqual([TEXTS[locale].v1, TEXTS[locale].v2]);
    // the run's header names both versions it rated with
    const meta = cp.page.getByTestId('run-meta-versions');
    expect(await meta.locator('a').allInnerTexts()).toEqual(['v1', 'v2']);
    expect(await meta.innerText()).toContain(TEXTS[locale].meta);
    // the same 60 points: HIGH in east (version 2), LOW in west and north (version 1); each sample group says which version
    await cp.page.locator('[data-testid="matrix-cell"][data-from="null"][data-to="HIGH"][data-count="1"]').waitFor();
    const versionsOfSamples = await cp.page.getByTestId('run-sample-version').allInnerTexts();
    expect(versionsOfSamples).toContain(TEXTS[locale].step);
    await cp.screenshot('run-proposed');

    await approver.request('POST', `/rating-runs/${run.id}/approve`, {});
    await waitForRun(author, run.id, 'applied');
    await cp.page.goto('/#/customers');
    await cp.page.getByTestId('customer-search').fill(`${key}-east`);
    await cp.page.getByTestId('customer-open').click();
    const ledger = cp.page.locator(`[data-testid="customer-policy"][data-policy="${key}"]`);
    await ledger.locator('[data-testid="customer-current-tier"][data-tier="HIGH"]').waitFor();
    // the version's number arrives with the versions (the link shows '?' until then)
    await ledger.getByTestId('customer-version').filter({ hasText: TEXTS[locale].step }).waitFor();
    expect(await ledger.getByTestId('customer-version').innerText()).toBe(TEXTS[locale].step);
    await cp.screenshot('customer-east');
    await cp.page.goto('/#/customers');
    await cp.page.getByTestId('customer-search').fill(`${key}-west`);
    await cp.page.getByTestId('customer-open').click();
    const west = cp.page.locator(`[data-testid="customer-policy"][data-policy="${key}"]`);
    await west.locator('[data-testid="customer-current-tier"][data-tier="LOW"]').waitFor();
    await west.getByTestId('customer-version').filter({ hasText: 'v1' }).waitFor();
    expect(await west.getByTestId('customer-version').innerText()).toBe('v1');
  });
});
