import { ApiClient, seedCardPolicy, waitForRun } from './seed';
import { consoleSuite } from './suite';

interface Run {
  id: string;
  status: string;
}

/** A facts snapshot (JSON upload with asOf) of card customers. */
const snapshot = async (client: ApiClient, asOf: string, rows: { customerId: string; avgDailyAssets: number }[], policy?: string) =>
  (
    await client.request<{ id: string }>('POST', '/datasets', {
      name: `snapshot ${asOf}`,
      asOf,
      policy,
      rows: rows.map((r) => ({ hasValidId: true, familyAvgDailyAssets: null, ...r })),
    })
  ).id;

/**
 * Issue 11 acceptance 6: a rating run started in the console, proposed, approved by a second user,
 * applied, and the customer page showing the change — once per locale. Any browser console error fails the test.
 */
describe.each(['en', 'zh-CN'] as const)('rating run in the console (%s)', (locale) => {
  // the ledger's screens at 1440 and 1280 px, checked for clipped or per-character wrapped text (as console.test.ts does for the others)
  const suite = consoleSuite(locale, 'rating');
  const { open, screens, problems } = suite;

  it('author2 starts a run, cannot approve it, the approver approves it, the customer page shows the upgrade', async () => {
    const tag = `r${locale === 'en' ? 'en' : 'zh'}`;
    const { key } = await seedCardPolicy(suite.server.url, `e2e-rating-${tag}`);
    const customer = `${tag}-c1`;
    const author = await ApiClient.login(suite.server.url, 'author');
    const approver = await ApiClient.login(suite.server.url, 'approver');
    // January: the ledger already holds the customers (first rating, through the API)
    const january = await snapshot(author, '2026-01-31', [
      { customerId: customer, avgDailyAssets: 50_000 },
      { customerId: `${tag}-c2`, avgDailyAssets: 350_000 },
    ]);
    const first = await author.request<Run>('POST', '/rating-runs', { policy: key, datasetId: january });
    await waitForRun(author, first.id, 'proposed');
    await approver.request('POST', `/rating-runs/${first.id}/approve`, {});
    await waitForRun(author, first.id, 'applied');
    // the policy is re-rated monthly; February's cycle is open and overdue (deadline 11 March)
    const admin = await ApiClient.login(suite.server.url, 'admin');
    await admin.request('PUT', `/rating-cycles/schedules/${key}`, { frequency: 'monthly', deadlineDays: 10 });
    await admin.request('POST', '/rating-cycles/open', { at: '2026-02-10T00:00:00Z', policy: key });
    // February: the customer's assets rose to Gold (the snapshot of February's cycle)
    const february = await snapshot(
      author,
      '2026-02-28',
      [
        { customerId: customer, avgDailyAssets: 150_000 },
        { customerId: `${tag}-c2`, avgDailyAssets: 350_000 },
      ],
      key,
    );

    // author2 (author + approver) sees the overdue cycle on the dashboard and starts the run from the February snapshot
    const starter = await open('author2');
    await starter.page
      .locator('[data-testid="dashboard-cycles"] [data-testid="cycle"][data-period="2026-02"][data-overdue="true"][data-status="awaiting-run"]')
      .waitFor();
    await starter.page.getByTestId('cycles-overdue').waitFor();
    await starter.screenshot('dashboard-cycles');
    await screens(starter, 'dashboard-cycles');
    await starter.page.goto(`/#/rating-runs/create?policy=${key}&dataset=${february}`);
    await starter.page.locator('[data-testid="start-rating-run"]:not([disabled])').waitFor();
    await starter.screenshot('run-new');
    await screens(starter, 'run-new');
    await starter.page.getByTestId('start-rating-run').click();
    const proposed = starter.page.locator('[data-testid="rating-run"][data-status="proposed"]');
    await proposed.waitFor({ timeout: 60_000 });
    const runId = starter.page.url().split('/').slice(-2)[0];
    await starter.page.locator('[data-testid="matrix-cell"][data-from="SILVER"][data-to="GOLD"][data-count="1"]').waitFor();
    await starter.page.locator('[data-testid="matrix-cell"][data-from="PLATINUM"][data-to="PLATINUM"][data-count="1"]').waitFor();
    expect(await starter.page.getByTestId('run-upgrades').innerText()).toBe('1');
    expect(await starter.page.getByTestId('run-unchanged').innerText()).toBe('1');
    await starter.page.getByTestId('run-nothing-before-approval').waitFor();
    // four-eyes: whoever started it is told so and offered no approval
    await starter.page.getByTestId('run-four-eyes').waitFor();
    expect(await starter.page.getByTestId('run-approve').count()).toBe(0);
    // the samples say why, in the user's language
    await starter.page.locator('[data-testid="matrix-cell"][data-from="SILVER"][data-to="GOLD"]').click();
    const sample = starter.page.locator(`[data-testid="run-sample"][data-customer="${customer}"]`);
    await sample.waitFor();
    expect(await sample.getByTestId('lifecycle-line').innerText()).toContain(locale === 'en' ? 'rated' : '评为');
    await starter.screenshot('run-proposed');
    await screens(starter, 'run-proposed');
    // nothing changed before approval
    const before = await author.request<{ tier: { key: string } }>('GET', `/customers/${customer}/tier?policy=${key}`);
    expect(before.tier.key).toBe('SILVER');

    // a second user approves; the run is applied at once
    const second = await open('approver');
    await second.page.goto(`/#/rating-runs/${runId}/show`);
    await second.page.getByTestId('run-approve').click();
    const dialog = second.page.getByTestId('dialog-run-approve');
    await dialog.getByTestId('run-decision-comment').fill('February figures checked');
    await dialog.getByTestId('run-decision-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await second.page.locator('[data-testid="rating-run"][data-status="applied"]').waitFor();
    expect(await second.page.getByTestId('run-meta').innerText()).toContain('approver');
    await second.screenshot('run-applied');
    await screens(second, 'run-applied');

    // the list shows it applied
    await second.page.goto('/#/rating-runs');
    await second.page.locator('[data-testid="run-status"][data-status="applied"]').first().waitFor();
    await screens(second, 'rating-runs');

    // the customer page: Gold now, the upgrade with its reason, linked to the run
    await second.page.goto('/#/customers');
    await second.page.getByTestId('customer-search').fill(customer);
    await second.page.getByTestId('customer-open').click();
    const ledger = second.page.locator(`[data-testid="customer-policy"][data-policy="${key}"]`);
    await ledger.locator('[data-testid="customer-current-tier"][data-tier="GOLD"]').waitFor();
    const rows = ledger.getByTestId('customer-change');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().getAttribute('data-change')).toBe('upgrade');
    expect(await rows.nth(1).getAttribute('data-change')).toBe('enter');
    expect(await rows.first().getByTestId('customer-reason').innerText()).toContain(locale === 'en' ? 'rated' : '评为');
    await second.screenshot('customer');
    await screens(second, 'customer');
    await rows.first().getByTestId('customer-run-link').click();
    await second.page.waitForURL(new RegExp(`rating-runs/${runId}/show`));
    await second.page.locator('[data-testid="rating-run"][data-status="applied"]').waitFor();

    // the tier report: the ledger now, Gold 1 of 2 customers
    await second.page.goto(`/#/reports/tiers?policy=${key}`);
    const total = second.page.getByTestId('report-row').last();
    await total.locator('[data-tier="GOLD"]').waitFor();
    expect(await total.locator('[data-tier="GOLD"]').innerText()).toBe('1 (50%)');
    await second.page.getByTestId('report-chart').waitFor();
    await second.screenshot('tier-report');
    await screens(second, 'tier-report');

    // the dashboard: February's cycle rated (late), no longer overdue
    await second.page.goto('/#/');
    await second.page
      .locator('[data-testid="dashboard-cycles"] [data-testid="cycle"][data-period="2026-02"][data-overdue="false"][data-status="rated"]')
      .waitFor();
    expect(await second.page.getByTestId('cycles-overdue').count()).toBe(0);

    // the overrides list (one requested, waiting for a second person) and the webhooks admin screen, laid out like the rest
    await author.request('POST', `/customers/${tag}-c2/overrides`, {
      policy: key,
      tier: 'PLATINUM',
      mode: 'floor',
      reason: 'relationship manager: keep until review',
    });
    await second.page.goto('/#/overrides');
    await second.page.locator('[data-testid="override-list"]').first().waitFor();
    // the tier by its name in the user's language; every header in it too
    const overrideTier = second.page.locator('[data-testid="override-tier"][data-tier="PLATINUM"]').first();
    expect(await overrideTier.innerText()).toBe(locale === 'en' ? 'Major customer (Platinum card)' : '主要客户（白金卡）');
    if (locale === 'zh-CN') expect(await second.page.locator('[data-testid="override-list"] thead').first().innerText()).not.toMatch(/[A-Za-z]{3}/);
    await screens(second, 'overrides');
    const admin2 = await open('admin');
    await admin2.page.goto('/#/webhooks');
    await admin2.page.locator('[data-testid="webhook-list"], .RaEmpty-message').first().waitFor();
    await screens(admin2, 'webhooks');
    await admin2.page.goto('/#/users');
    await admin2.page.locator('tbody tr').first().waitFor();
    await screens(admin2, 'users');
    expect(problems).toEqual([]);
  });
});
