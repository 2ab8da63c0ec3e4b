import ExcelJS from 'exceljs';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, startAppServer, type AppServer } from './app-server';
import { ARTIFACTS_DIR, launchBrowser, login, openConsole, type ConsolePage } from './browser';
import { screensAtWidths, type LayoutProblem } from './layout';
import { ApiClient, seedCardPolicy } from './seed';
import { waitForStatus, workflow } from './steps';

/**
 * Issue 15, as a policy owner and a reviewer use the console, once per language: the ladder table,
 * try-it on an unsaved edit, the unsaved guard, drag reorder, a refusal in the user's language,
 * editing a test case, the review screen, translated audit entries, the XLSX report holding the
 * numbers on screen — and every main screen at 1440 and 1280 px without clipped or per-character text.
 */
const TEXT = {
  en: {
    refused: '2 of 12 test case(s) fail',
    platinum: 'Major customer (Platinum card)',
    gold: 'Ordinary customer (Gold card)',
    approved: 'Approved',
    changed: 'Changed',
    package: 'Platinum card benefits',
  },
  'zh-CN': {
    refused: '12 个测试用例中有 2 个未通过',
    platinum: '主要客户（白金卡）',
    gold: '普通客户（金卡）',
    approved: '批准',
    changed: '修改',
    package: '白金卡权益',
  },
} as const;

const row = (page: Page, tier: string) => page.locator(`[data-testid="ladder-row"][data-tier="${tier}"]`);
const tierOrder = (page: Page) => page.getByTestId('ladder-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tier')));

describe.each(['en', 'zh-CN'] as const)('console for policy owners (%s)', (locale) => {
  const text = TEXT[locale];
  let server: AppServer;
  let browser: Browser;
  const pages: ConsolePage[] = [];
  const problems: LayoutProblem[] = [];
  let policyId = '';
  let policyKey = '';
  let publishedId = '';
  let draftId = '';
  const open = async (who: string) => {
    const cp = await openConsole(browser, server.url, locale, `${locale}-console-${who}`);
    pages.push(cp);
    await login(cp.page, who, DEMO_PASSWORD);
    return cp;
  };
  const screens = async (cp: ConsolePage, name: string) => problems.push(...(await screensAtWidths(cp.page, `${locale}-screen`, name)));

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
    const seeded = await seedCardPolicy(server.url, `e2e-ladder-${locale.toLowerCase()}`);
    policyId = seeded.policyId;
    policyKey = seeded.key;
    publishedId = seeded.publishedVersionId;
    const author = await ApiClient.login(server.url, 'author');
    draftId = (await author.request<{ id: string }>('POST', `/policies/${policyId}/versions`, { basedOn: seeded.publishedVersionId })).id;
  });

  afterEach(() => {
    for (const cp of pages) expect(cp.errors.filter((e) => !/status of (409|422)/.test(e))).toEqual([]);
  });

  afterAll(async () => {
    for (const cp of pages) await cp.context.close();
    await browser?.close();
    await server?.stop();
  });

  it('ladder table: a threshold edited in place, try-it on the unsaved edit, the unsaved guard, drag and button reorder', async () => {
    const cp = await open('author');
    const { page } = cp;
    await page.goto(`/#/policy-versions/${draftId}`);
    await page.getByTestId('ladder-table').waitFor();
    expect(await tierOrder(page)).toEqual(['BLACK', 'PLATINUM', 'GOLD', 'SILVER']);
    // the named condition's thresholds sit in the cells of the tier they feed, with ≥ and the 万 reading
    const platinum = row(page, 'PLATINUM').locator('[data-testid="ladder-cell"][data-fact="avgDailyAssets"]');
    const value = platinum.getByTestId('ladder-value');
    expect(await value.inputValue()).toBe('300,000');
    expect(await platinum.innerText()).toContain('30万');
    expect(await row(page, 'PLATINUM').getByTestId('ladder-kind').getAttribute('data-kind')).toBe('any');
    // the Silver card asks for a valid ID (the template's source): a condition of its own, not a catch-all
    expect(await row(page, 'SILVER').getByTestId('ladder-kind').getAttribute('data-kind')).toBe('all');
    await value.fill('500000');
    await value.blur();
    expect(await value.inputValue()).toBe('500,000');
    expect(await platinum.innerText()).toContain('50万');
    await screens(cp, 'ladder-table');

    // try-it evaluates what is on screen: 400,000 is GOLD under the unsaved 500,000 (PLATINUM as saved)
    const tryIt = page.getByTestId('try-it');
    await tryIt.getByTestId('try-it-unsaved').waitFor();
    await tryIt.locator('[data-testid="fact-input"][data-fact="hasValidId"] [role="combobox"]').click();
    await page.locator('li[data-value="true"]').click();
    await tryIt.locator('[data-testid="fact-input"][data-fact="avgDailyAssets"] input').fill('400000');
    await tryIt.getByTestId('try-it-run').click();
    const chip = tryIt.locator('[data-testid="try-it-tier"][data-tier="GOLD"]');
    await chip.waitFor();
    expect(await chip.innerText()).toBe(text.gold);
    // the trace reads "是 / Yes", never "= true · 等于 true": 50,000 with a valid ID is Silver, the one tier that asks for it
    await tryIt.getByRole('button', { name: locale === 'en' ? 'Every condition checked' : '逐项判定明细' }).click();
    await tryIt.locator('[data-testid="fact-input"][data-fact="avgDailyAssets"] input').fill('50000');
    await tryIt.getByTestId('try-it-run').click();
    await tryIt.locator('[data-testid="try-it-tier"][data-tier="SILVER"]').waitFor();
    const trace = await tryIt.getByTestId('trace').innerText();
    expect(trace).not.toContain('true');
    expect(trace).toContain(locale === 'en' ? 'Yes' : '是');
    // named conditions read as what they check, never as their code names (blackGoldAssets, platinumAssets, goldAssets)
    expect(trace).not.toMatch(/[a-z]Assets\b/);
    expect(trace).toContain(locale === 'en' ? 'Average daily total financial assets' : '日均综合金融资产');
    const explanation = (await tryIt.getByTestId('explanation-line').allInnerTexts()).join('\n');
    expect(explanation).not.toMatch(/[a-z]Assets\b/);

    // the unsaved guard: leaving asks first; staying keeps the edit; reloading is warned by the browser
    await page.locator('a[href="#/policies"]').first().click();
    await page.getByTestId('unsaved-dialog').waitFor();
    await screens(cp, 'unsaved-guard');
    await page.getByTestId('unsaved-stay').click();
    await page.getByTestId('unsaved-dialog').waitFor({ state: 'detached' });
    expect(page.url()).toContain(draftId);
    expect(await value.inputValue()).toBe('500,000');
    const reloadWarned = await page.evaluate(() => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    });
    expect(reloadWarned).toBe(true);

    // drag GOLD above PLATINUM, then put it back with the arrow buttons
    const handle = row(page, 'GOLD').getByTestId('ladder-drag');
    const from = (await handle.boundingBox())!;
    const to = (await row(page, 'PLATINUM').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 - ((from.y - to.y + 8) * i) / 12);
    await page.mouse.up();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ladder-row"]')[1]?.getAttribute('data-tier') === 'GOLD');
    expect(await tierOrder(page)).toEqual(['BLACK', 'GOLD', 'PLATINUM', 'SILVER']);
    await page.locator('[data-testid="builder-warning"]').first().waitFor(); // the ladder is now out of order
    await row(page, 'GOLD').getByTestId('ladder-down').click();
    expect(await tierOrder(page)).toEqual(['BLACK', 'PLATINUM', 'GOLD', 'SILVER']);

    await page.getByTestId('save-version').click();
    await page.locator('[data-testid="save-version"][disabled]').waitFor();
    // saved: leaving no longer asks
    await page.getByTestId('view-tree').click();
    await page.getByTestId('tier-card').first().waitFor();
    await screens(cp, 'tree-editor');
    await page.locator('a[href="#/policies"]').first().click();
    await page.waitForURL(/#\/policies$/);
    expect(await page.getByTestId('unsaved-dialog').count()).toBe(0);
    await screens(cp, 'policies');
    await page.goto(`/#/policies/${policyId}/show`);
    await page.getByTestId('version-timeline').waitFor();
    await screens(cp, 'policy');
  });

  it('a refused submission in the user language, with the case by name; the case is edited and the summary follows', async () => {
    const cp = pages[0];
    const { page } = cp;
    await page.goto(`/#/policy-versions/${draftId}`);
    // the tree view chosen before is kept; back to the table
    await page.locator('[data-testid="view-tree"][aria-pressed="true"]').waitFor();
    await page.getByTestId('view-table').click();
    await page.getByTestId('ladder-table').waitFor();
    await page.getByTestId('action-submit').click();
    const dialog = page.getByTestId('dialog-submit');
    await dialog.getByTestId('workflow-confirm').click();
    const error = dialog.getByTestId('workflow-error');
    await error.waitFor();
    const message = await error.innerText();
    expect(message).toContain(text.refused);
    expect(message).toContain(`${text.platinum}`);
    expect(message).toContain(`${text.gold}`);
    // the template's two cases at 300,000 fail under 500,000: each named (personal exactly 300,000; invalid ID, 300,000)
    expect(message).toContain('300,000');
    expect(message).not.toMatch(/testCases\[|[0-9a-f]{8}-[0-9a-f]{4}/);
    await screens(cp, 'submit-refused');
    await dialog.getByRole('button', { name: locale === 'en' ? 'Cancel' : '取消' }).click();

    // edit the failing cases: expected tier chosen by name; the summary follows each change
    await page.getByTestId('run-tests').click();
    await page.locator('[data-testid="test-summary"][data-failed="2"]').waitFor();
    for (const [left, name] of [
      [1, '本人 300,000 → 金卡 / personal 300,000 is gold from now on'],
      [0, '证件无效、资产 300,000 → 金卡 / invalid ID, 300,000 is gold from now on'],
    ] as const) {
      const failing = page.locator('[data-testid="test-case"][data-passed="false"]').first();
      expect(await failing.getByTestId('test-case-tiers').innerText()).toContain(text.platinum);
      await failing.getByTestId('edit-test-case').click();
      const edit = page.getByTestId('test-case-dialog');
      await edit.locator('[role="combobox"]').first().click();
      await page.getByRole('option', { name: text.gold }).click();
      await edit.getByTestId('test-case-name').fill(name);
      await edit.getByTestId('test-case-save').click();
      await edit.waitFor({ state: 'detached' });
      await page.locator(`[data-testid="test-summary"][data-failed="${left}"]`).waitFor();
    }
    // delete asks first
    await page.locator('[data-testid="test-case"]').last().getByTestId('delete-test-case').click();
    await page.locator('.ra-confirm').waitFor();
    await screens(cp, 'test-case-delete');
    await page.getByRole('button', { name: locale === 'en' ? 'Cancel' : '取消' }).click();
    await workflow(page, 'submit', { comment: 'Platinum from 500k' });
    await waitForStatus(page, 'in_review');
    // in review: the cases cannot be edited or deleted
    expect(await page.getByTestId('delete-test-case').count()).toBe(0);
    expect(await page.getByTestId('edit-test-case').count()).toBe(0);
  });

  it('the simulation report names what ran, costs per tier and package, and its XLSX holds the numbers on screen', async () => {
    const cp = pages[0];
    const { page } = cp;
    await page.goto(`/#/policy-versions/${draftId}`);
    await page.getByTestId('run-simulation').click();
    await page.getByTestId('generate-dataset').click();
    await page.locator('[data-testid="start-simulation"]:not([disabled])').waitFor();
    await page.getByTestId('start-simulation').click();
    await page.locator('[data-testid="simulation"][data-status="succeeded"]').waitFor({ timeout: 90_000 });
    await page.getByTestId('cost-per-package').waitFor();
    expect(await page.getByTestId('meta-by').innerText()).toBe('author');
    expect(await page.getByTestId('meta-candidate').innerText()).toMatch(/^v2/);
    expect(await page.getByTestId('meta-baseline').innerText()).toMatch(/^v1/);
    expect(await page.getByTestId('meta-dataset').innerText()).toMatch(/\(2,000\)$/);
    await screens(cp, 'simulation-report');
    // every tier label of the chart is drawn
    const ticks = await page.getByTestId('chart-tick').evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ''));
    expect(ticks.map((t) => t.replace(/\s+/g, ''))).toContain(text.platinum.replace(/\s+/g, ''));
    expect(ticks).toHaveLength(5);

    const total = Number((await page.getByTestId('sim-total').innerText()).replace(/,/g, ''));
    const screenCells = await page
      .getByTestId('matrix-cell')
      .evaluateAll((cells) => cells.map((c) => [c.getAttribute('data-from'), c.getAttribute('data-to'), Number(c.getAttribute('data-count'))] as const));
    const screenPackages = await page.getByTestId('cost-package').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-candidate'))));

    const downloaded = page.waitForEvent('download');
    await page.getByTestId('simulation-report-xlsx').click();
    const file = await (await downloaded).path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    workbook.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const matrixSection = rows.filter((r) => typeof r[0] === 'string' && /Migration|迁移/.test(r[0]));
    expect(matrixSection.map((r) => r[4])).toEqual(screenCells.map(([, , n]) => n));
    const distributionTotal = rows.find((r) => /Customers per tier|各等级客户数/.test(String(r[0])) && /Total|合计/.test(String(r[1])));
    expect(distributionTotal?.[4]).toBe(total);
    const packageRows = rows.filter((r) => /per package|各权益包/.test(String(r[0])) && !/Total|合计/.test(String(r[1])));
    expect(packageRows.map((r) => r[4])).toEqual(screenPackages);
    expect(rows.some((r) => r[1] === text.package || r[1] === '白金卡权益')).toBe(true);

    const perCustomer = page.waitForEvent('download');
    await page.getByTestId('simulation-results-xlsx').click();
    const customers = new ExcelJS.Workbook();
    await customers.xlsx.load(readFileSync(await (await perCustomer).path()) as unknown as ArrayBuffer);
    expect(customers.worksheets[0].rowCount).toBe(total + 1);

    // samples say how many of the cell's customers they are
    const moved = page.locator('[data-testid="matrix-cell"][data-from="PLATINUM"][data-to="GOLD"]');
    const n = Number(await moved.getAttribute('data-count'));
    await moved.click();
    const count = await page.getByTestId('samples-count').innerText();
    expect(count).toContain(new Intl.NumberFormat('en-US').format(n));
    expect(count).toContain(String(Math.min(20, n)));
    await screens(cp, 'simulation-samples');
    await page.keyboard.press('Escape');
  });

  it('the review screen: comment, changes, tests and simulation in one place; approve there', async () => {
    const cp = await open('approver');
    const { page } = cp;
    await screens(cp, 'dashboard');
    const dashboard = await page.getByTestId('health-status').innerText();
    expect(dashboard).not.toMatch(/\b(ok|up)\b/);
    await page.locator(`[data-testid="review-item"][data-version="${draftId}"]`).click();
    await page.waitForURL(new RegExp(`#/review/${draftId}`));
    await page.getByTestId('review-comment').filter({ hasText: 'Platinum from 500k' }).waitFor();
    // the API's per-tier diff names the tier the changed named condition feeds
    const platinum = page.locator('[data-testid="review-diff-tier"][data-tier="PLATINUM"][data-status="changed"]');
    await platinum.getByTestId('diff-change').filter({ hasText: '500,000' }).first().waitFor();
    expect(await platinum.innerText()).toContain('300,000');
    expect(await platinum.innerText()).toContain(text.platinum);
    await page.locator('[data-testid="review-test-summary"][data-failed="0"]').waitFor();
    await page.getByTestId('latest-simulation-summary').waitFor();
    await screens(cp, 'review');
    await workflow(page, 'approve', { comment: 'OK for 2027' });
    await page.locator('[data-testid="review"][data-status="approved"]').waitFor();
  });

  it('translated audit entries, by name, with a readable before / after', async () => {
    const cp = await open('compliance');
    const { page } = cp;
    await page.goto(`/#/audit-events?filter=${encodeURIComponent(JSON.stringify({ entityId: draftId }))}`);
    await page.locator('[data-testid="audit-action"][data-action="version.approve"]').waitFor();
    const table = await page.locator('tbody').innerText();
    expect(table).toContain(text.approved);
    expect(table).not.toMatch(/version\.|policy_version/);
    await page.locator('[data-testid="audit-entity"]', { hasText: ' v2' }).first().waitFor();
    await page.locator('[data-testid="audit-action"][data-action="version.update"]').first().click();
    const change = page.getByTestId('audit-change').filter({ hasText: '500,000' }).first();
    await change.waitFor();
    expect(await change.innerText()).toContain('300,000');
    await screens(cp, 'audit');
    const xlsx = page.waitForEvent('download');
    await page.getByTestId('audit-xlsx').click();
    expect((await xlsx).suggestedFilename()).toMatch(/\.xlsx$/);

    // the decisions page keeps its customer search when nothing is found
    await page.goto(`/#/decisions?filter=${encodeURIComponent(JSON.stringify({ customerId: 'NOBODY-AT-ALL' }))}`);
    await page.locator('input[name="customerId"]').waitFor();
    await screens(cp, 'decisions-empty');
    await page.goto('/#/facts');
    await page.locator('tbody tr').first().waitFor();
    await screens(cp, 'facts');

    // the other main screens of the menu, laid out like the rest
    const service = await ApiClient.login(server.url, 'author');
    await service.request('POST', '/evaluate', { policy: policyKey, customerId: `${locale}-layout-1`, facts: { hasValidId: true, avgDailyAssets: 420_000 } });
    await page.goto(`/#/decisions?filter=${encodeURIComponent(JSON.stringify({ customerId: `${locale}-layout-1` }))}`);
    await page.locator('tbody tr').first().waitFor();
    await screens(cp, 'decisions');
    await page.goto('/#/simulations');
    await page.locator('tbody tr').first().waitFor();
    await screens(cp, 'simulations');
    await page.goto('/#/benefits');
    await page.locator('tbody tr').first().waitFor();
    await screens(cp, 'benefits');
    await page.goto('/#/benefit-packages');
    await page.locator('tbody tr').first().waitFor();
    await screens(cp, 'benefit-packages');
    await page.goto('/#/customers');
    await page.getByTestId('customer-search').waitFor();
    await screens(cp, 'customers');
    await page.goto(`/#/diff?left=${publishedId}&right=${draftId}`);
    await page.locator('[data-testid="diff-tier"][data-tier="PLATINUM"]').waitFor();
    await screens(cp, 'diff');
  });

  it('shows no clipped or per-character wrapped text on any of those screens, at 1440 and 1280 px', () => {
    writeFileSync(path.join(ARTIFACTS_DIR, `${locale}-layout-problems.json`), JSON.stringify(problems, null, 2));
    expect(problems).toEqual([]);
  });
});
