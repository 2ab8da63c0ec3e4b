import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient, seedCardPolicy, waitForRun } from './seed';
import { consoleSuite } from './suite';

const SECRET = 'browser-receiver-secret-0001';

interface Received {
  id: string;
  type: string;
  customerId: string | null;
  change: string | null;
  to: string | null;
}

const TEXT = {
  en: {
    tiers: ['Key customer (Black Gold card)', 'Major customer (Platinum card)', 'Ordinary customer (Gold card)', 'Small customer (Silver card)'],
    tierRequired: 'Choose a tier',
    reasonRequired: 'Say why the customer gets this tier',
    expiryInPast: 'The expiry must lie in the future',
    testOk: 'answered 200',
    active: 'Active',
  },
  'zh-CN': {
    tiers: ['重要客户（黑金卡）', '主要客户（白金卡）', '普通客户（金卡）', '小客户（银卡）'],
    tierRequired: '请选择等级',
    reasonRequired: '请说明调整原因',
    expiryInPast: '到期时间必须晚于现在',
    testOk: '已响应 200',
    active: '生效中',
  },
} as const;

/**
 * Issue 12 in the console, once per locale: the admin registers a webhook to a local receiver and
 * sends a test delivery; an author (author2, who is also an approver) requests a floor override on
 * the customer page, picking the tier from the policy's tiers by their names, after the form's
 * checks refused it in the user's language; the requester is offered no approval; the approver
 * approves; the customer page shows the override in effect and the webhook's deliveries list the
 * signed tier.changed it caused. Any browser console error fails the test.
 */
describe.each(['en', 'zh-CN'] as const)('overrides and webhooks in the console (%s)', (locale) => {
  const suite = consoleSuite(locale, 'events', { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '100' });
  const { open, screens, problems } = suite;
  let receiver: Server;
  let port = 0;
  const received: Received[] = [];
  let badSignatures = 0;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        if (req.headers['x-tierwise-signature'] !== `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`) badSignatures++;
        received.push(JSON.parse(raw) as Received);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
  });

  afterAll(async () => {
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('webhook created and tested; override requested from the pick list, approved by a second user, shown on the customer page, delivered', async () => {
    const tag = `ev${locale === 'en' ? 'en' : 'zh'}`;
    const { key } = await seedCardPolicy(suite.server.url, `e2e-events-${tag}`);
    const customer = `${tag}-c1`;
    const author = await ApiClient.login(suite.server.url, 'author');
    const approverApi = await ApiClient.login(suite.server.url, 'approver');
    const january = await author.request<{ id: string }>('POST', '/datasets', {
      name: 'snapshot 2026-01-31',
      asOf: '2026-01-31',
      rows: [{ customerId: customer, hasValidId: true, avgDailyAssets: 50_000, familyAvgDailyAssets: null }],
    });
    const run = await author.request<{ id: string }>('POST', '/rating-runs', { policy: key, datasetId: january.id });
    await waitForRun(author, run.id, 'proposed');
    await approverApi.request('POST', `/rating-runs/${run.id}/approve`, {});
    await waitForRun(author, run.id, 'applied');

    // the admin registers a webhook to the local receiver and sends a test delivery
    const admin = await open('admin');
    await admin.page.goto('/#/webhooks/create');
    await admin.page.locator('input[name="url"]').fill(`http://127.0.0.1:${port}/tierwise`);
    await admin.page.locator('input[name="secret"]').fill(SECRET);
    await admin.page.locator('button[type="submit"]').click();
    await admin.page.waitForURL(/#\/webhooks\/[0-9a-f-]+\/show/);
    await admin.page.getByTestId('webhook-test').click();
    const result = admin.page.locator('[data-testid="webhook-test-result"][data-ok="true"][data-code="200"]');
    await result.waitFor();
    expect(await result.innerText()).toContain(TEXT[locale].testOk);
    expect(received.filter((r) => r.type === 'webhook.test')).toHaveLength(1);
    await admin.screenshot('webhook-tested');
    await screens(admin, 'webhook-show');

    // author2 requests a floor override on the customer page
    const requester = await open('author2');
    await requester.page.goto(`/#/customers/${customer}`);
    await requester.page.locator(`[data-testid="customer-policy"][data-policy="${key}"] [data-testid="customer-current-tier"][data-tier="SILVER"]`).waitFor();
    const panel = requester.page.getByTestId('overrides-panel');
    const form = panel.getByTestId('override-request');
    await form.locator('[data-testid="override-policy"] [role="combobox"]').click();
    await requester.page.locator(`li[data-value="${key}"]`).click();
    // the form's checks, in the user's language
    await form.getByTestId('override-expires').fill('2020-01-01T09:00');
    await form.getByTestId('override-submit').click();
    const helper = (field: string) =>
      form.locator(`[data-testid="${field}"] .MuiFormHelperText-root, .MuiFormControl-root:has([data-testid="${field}"]) .MuiFormHelperText-root`).first();
    await expect(helper('override-tier').innerText()).resolves.toBe(TEXT[locale].tierRequired);
    await expect(helper('override-reason').innerText()).resolves.toBe(TEXT[locale].reasonRequired);
    await expect(helper('override-expires').innerText()).resolves.toBe(TEXT[locale].expiryInPast);
    await requester.screenshot('override-refused');
    // the tier from the policy's tiers, by their names in the user's language
    await form.locator('[data-testid="override-tier"] [role="combobox"]').click();
    const options = requester.page.locator('li[data-testid^="override-tier-"]');
    await options.first().waitFor();
    expect(await options.allInnerTexts()).toEqual(TEXT[locale].tiers);
    await requester.page.locator('li[data-testid="override-tier-PLATINUM"]').click();
    await form.getByTestId('override-reason').fill('relationship manager: keep until the review');
    await form.getByTestId('override-expires').fill('2030-12-31T18:00');
    await form.getByTestId('override-submit').click();
    const pending = panel.locator('[data-testid="override-row"]:has([data-testid="override-status"][data-status="pending"])');
    await pending.waitFor();
    expect(await pending.innerText()).toContain(TEXT[locale].tiers[1]);
    // four-eyes: the requester is offered no approval
    await pending.getByTestId('override-four-eyes').waitFor();
    expect(await pending.getByTestId('override-approve').count()).toBe(0);
    await requester.screenshot('override-requested');
    await screens(requester, 'customer-override-pending');

    // a second user approves: in effect at once
    const approver = await open('approver');
    await approver.page.goto(`/#/customers/${customer}`);
    const row = approver.page.locator('[data-testid="overrides-panel"] [data-testid="override-row"]').first();
    await row.getByTestId('override-approve').click();
    await approver.page.getByTestId('override-confirm').click();
    await row.locator('[data-testid="override-status"][data-status="active"]').waitFor();
    expect(await row.getByTestId('override-status').innerText()).toBe(TEXT[locale].active);
    const ledger = approver.page.locator(`[data-testid="customer-policy"][data-policy="${key}"]`);
    await ledger.locator('[data-testid="customer-current-tier"][data-tier="PLATINUM"]').waitFor();
    expect(await ledger.getByTestId('customer-change').first().getAttribute('data-change')).toBe('override');
    await approver.screenshot('customer-override-active');
    await screens(approver, 'customer-override-active');

    // the webhook's deliveries list the tier.changed the override caused, delivered and signed
    await admin.page.reload();
    await admin.page.locator(`[data-testid="delivery-row"][data-status="delivered"][data-customer="${customer}"]`).waitFor({ timeout: 30_000 });
    const events = received.filter((r) => r.type === 'tier.changed' && r.customerId === customer);
    expect(events.map((e) => [e.change, e.to])).toEqual([['override', 'PLATINUM']]);
    expect(badSignatures).toBe(0);
    await admin.screenshot('webhook-deliveries');
    await screens(admin, 'webhook-deliveries');
    expect(problems).toEqual([]);
  });
});
