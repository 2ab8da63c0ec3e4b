import { seedCardPolicy } from './seed';
import { consoleSuite } from './suite';
import { editThreshold, simulate, updateTestCases, waitForStatus, workflow } from './steps';

/**
 * Issue 6 acceptance 1: author → approver → compliance, through the real app on embedded
 * PostgreSQL, once per locale. Any browser console error fails the test.
 */
describe.each(['en', 'zh-CN'] as const)('policy change end to end (%s)', (locale) => {
  const suite = consoleSuite(locale, 'flow');
  const open = (who: string) => suite.open(who);
  let policyId = '';
  let versionId = '';

  beforeAll(async () => {
    policyId = (await seedCardPolicy(suite.server.url, `e2e-card-${locale.toLowerCase()}`)).policyId;
  });

  it('an author raises a threshold, sees the ladder warning come and go, fixes the test cases, simulates and submits', async () => {
    const author = await open('author');
    await author.screenshot('dashboard');
    versionId = await editThreshold(author, policyId);
    await updateTestCases(author);
    await simulate(author, versionId);
    await author.page.goto(`/#/policy-versions/${versionId}`);
    await workflow(author.page, 'submit', { comment: 'Platinum from 500k' });
    await waitForStatus(author.page, 'in_review');
    await author.screenshot('submitted');
  });

  it('an approver sees the simulation, approves and publishes for tomorrow', async () => {
    const approver = await open('approver');
    await approver.page.getByTestId('review-item').first().waitFor();
    await approver.screenshot('dashboard');
    await approver.page.goto(`/#/policy-versions/${versionId}`);
    await approver.page.getByTestId('latest-simulation-summary').waitFor();
    await approver.screenshot('review');
    await workflow(approver.page, 'approve', { comment: 'OK' });
    await waitForStatus(approver.page, 'approved');
    await workflow(approver.page, 'publish', { tomorrow: true });
    await waitForStatus(approver.page, 'scheduled');
    await approver.screenshot('scheduled');
  });

  it('a compliance officer finds those events in the audit log and verifies the chain', async () => {
    const compliance = await open('compliance');
    const filter = encodeURIComponent(JSON.stringify({ entityId: versionId }));
    await compliance.page.goto(`/#/audit-events?filter=${filter}`);
    const rows = compliance.page.locator('tbody tr');
    await rows.first().waitFor();
    const actions = await compliance.page.getByTestId('audit-action').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-action')));
    for (const step of ['version.submit', 'version.approve', 'version.publish']) expect(actions).toContain(step);
    // the actions in the user's language, not `version.publish`
    const words = locale === 'zh-CN' ? ['提交审批', '批准', '发布'] : ['Submitted for review', 'Approved', 'Published'];
    const text = (await rows.allInnerTexts()).join('\n');
    for (const word of words) expect(text).toContain(word);
    expect(text).not.toContain('version.');
    await compliance.page.getByTestId('verify-chain').click();
    await compliance.page.locator('[data-testid="chain-result"][data-valid="true"]').waitFor();
    const download = compliance.page.waitForEvent('download');
    await compliance.page.getByTestId('audit-csv').click();
    expect((await download).suggestedFilename()).toMatch(/\.csv$/);
    await compliance.screenshot('audit');
  });
});
