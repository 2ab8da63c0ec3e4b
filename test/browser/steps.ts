import type { Page } from 'playwright-core';
import type { ConsolePage } from './browser';
import { ApiClient } from './seed';

/** Waits until the version page shows this workflow status (data-status on the status chip). */
export const waitForStatus = (page: Page, status: string) =>
  page.locator(`[data-testid="version-title"] ~ [data-testid="version-status"][data-status="${status}"]`).waitFor();

/** Clicks a workflow button and confirms its dialog (optionally with a comment or "tomorrow"). */
export async function workflow(page: Page, action: string, options: { comment?: string; tomorrow?: boolean } = {}) {
  await page.getByTestId(`action-${action}`).first().click();
  const dialog = page.getByTestId(`dialog-${action}`);
  await dialog.waitFor();
  if (options.tomorrow) await dialog.getByTestId('effective-tomorrow').click();
  if (options.comment) await dialog.getByTestId('workflow-comment').fill(options.comment);
  await dialog.getByTestId('workflow-confirm').click();
  await dialog.waitFor({ state: 'detached' });
}

/** Author: draft v2 from the published version, raise Platinum's threshold, watch the ladder warning come and go. */
export async function editThreshold(cp: ConsolePage, policyId: string): Promise<string> {
  const { page, screenshot } = cp;
  await page.goto(`/#/policies/${policyId}/show`);
  await page.getByTestId('version-timeline').waitFor();
  await screenshot('policy');
  await workflow(page, 'new-draft');
  await page.waitForURL(/#\/policy-versions\/[0-9a-f-]+$/);
  const versionId = page.url().split('/').pop()!;
  await waitForStatus(page, 'draft');
  await screenshot('builder-tiers');
  await page.getByTestId('tab-conditions').click();
  const leaf = page.locator('[data-testid="named-condition"][data-name="platinumAssets"] [data-testid="condition-leaf"][data-fact="avgDailyAssets"]');
  const value = leaf.getByTestId('value-input');
  const warning = page.locator('[data-testid="builder-warning"][data-code="out-of-order"]');
  await value.fill('1,200,000');
  await value.blur();
  await warning.first().waitFor();
  await screenshot('builder-warning');
  await value.fill('500000');
  await value.blur();
  await warning.first().waitFor({ state: 'detached' });
  if ((await value.inputValue()) !== '500,000') throw new Error(`threshold shows ${await value.inputValue()}, expected 500,000`);
  await page.getByTestId('save-version').click();
  await page.locator('[data-testid="save-version"][disabled]').waitFor();
  await screenshot('builder-saved');
  return versionId;
}

/** Author: run the policy's test cases on the draft, drop the one the change breaks, add one from "try it". */
export async function updateTestCases(cp: ConsolePage): Promise<void> {
  const { page, screenshot } = cp;
  await page.getByTestId('run-tests').click();
  await page.getByTestId('test-summary').waitFor();
  const failing = page.locator('[data-testid="test-case"][data-passed="false"]');
  const broken = await failing.count();
  if (broken === 0) throw new Error('raising the Platinum threshold should break the "exactly 300,000" test case');
  await screenshot('tests-failing');
  for (let left = broken; left > 0; left -= 1) {
    await failing.first().getByTestId('delete-test-case').click();
    await page.locator('.ra-confirm').click(); // deleting asks first
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="test-case"][data-passed="false"]').length < n, left);
  }
  const tryIt = page.getByTestId('try-it');
  await tryIt.locator('[data-testid="fact-input"][data-fact="hasValidId"] [role="combobox"]').click();
  await page.locator('li[data-value="true"]').click();
  await tryIt.locator('[data-testid="fact-input"][data-fact="avgDailyAssets"] input').fill('500000');
  await tryIt.getByTestId('try-it-run').click();
  await tryIt.locator('[data-testid="try-it-tier"][data-tier="PLATINUM"]').waitFor();
  await tryIt.getByTestId('case-name').fill('personal exactly 500,000 → PLATINUM');
  await tryIt.getByTestId('add-case').click();
  await page.locator('[data-testid="test-case"]', { hasText: 'exactly 500,000' }).waitFor();
  await page.getByTestId('run-tests').click();
  await page.locator('[data-testid="test-summary"][data-failed="0"]').waitFor();
  await screenshot('tests-passing');
}

/** Author: simulate the draft against the version in effect on synthetic customers, open a migration cell. */
export async function simulate(cp: ConsolePage, versionId: string): Promise<void> {
  const { page, screenshot } = cp;
  await page.goto(`/#/policy-versions/${versionId}`);
  await page.getByTestId('run-simulation').click();
  await page.getByTestId('generate-dataset').click();
  await page.locator('[data-testid="start-simulation"]:not([disabled])').waitFor();
  await screenshot('simulation-new');
  await page.getByTestId('start-simulation').click();
  const finished = page.locator('[data-testid="simulation"]:is([data-status="succeeded"], [data-status="failed"], [data-status="cancelled"])');
  await finished.waitFor({ timeout: 90_000 });
  if ((await finished.getAttribute('data-status')) !== 'succeeded') {
    await screenshot('simulation-failed');
    throw new Error(`simulation ${await finished.getAttribute('data-status')}: ${await finished.innerText()}`);
  }
  await page.getByTestId('migration-matrix').waitFor();
  await screenshot('simulation-report');
  // the benefit bill per tier is the API's, as it computed it (the console computes none of it)
  const simulationId = /#\/simulations\/([^/]+)/.exec(page.url())?.[1];
  const api = await ApiClient.login(new URL(page.url()).origin, 'author');
  const { result } = await api.request<{ result: { cost: { tiers: { key: string; candidateCost: number }[] } } }>('GET', `/simulations/${simulationId}`);
  expect(result.cost.tiers.length).toBeGreaterThan(0);
  for (const t of result.cost.tiers)
    expect(await page.locator(`[data-testid="cost-tier"][data-tier="${t.key}"]`).getAttribute('data-candidate')).toBe(String(t.candidateCost));
  const moved = page.locator('[data-testid="matrix-cell"]:not([data-count="0"])').filter({ hasNot: page.locator('[data-same]') });
  const cells = await moved.all();
  let target = cells[0];
  for (const c of cells)
    if ((await c.getAttribute('data-from')) !== (await c.getAttribute('data-to'))) {
      target = c;
      break;
    }
  await target.click();
  await page.getByTestId('samples-dialog').waitFor();
  await page.getByTestId('sample').first().waitFor();
  await screenshot('simulation-samples');
  await page.keyboard.press('Escape');
  await page.getByTestId('samples-dialog').waitFor({ state: 'detached' });
}
