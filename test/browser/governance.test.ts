import { ApiClient, seedCardPolicy } from './seed';
import { consoleSuite } from './suite';
import { waitForStatus } from './steps';

/**
 * Issue 14 in the console: retiring the only version in effect warns of the gap and takes a second
 * approver, once per locale. Any browser console error fails the test.
 */
describe.each(['en', 'zh-CN'] as const)('governance in the console (%s)', (locale) => {
  const suite = consoleSuite(locale, 'governance');
  const open = suite.open;

  it('retiring the only live version: the approver acknowledges the gap, a second approver approves, evaluation stops', async () => {
    const { publishedVersionId, key } = await seedCardPolicy(suite.server.url, `e2e-retire-${locale.toLowerCase()}`);
    const approver = await open('approver');
    await approver.page.goto(`/#/policy-versions/${publishedVersionId}`);
    await waitForStatus(approver.page, 'published');
    await approver.page.getByTestId('action-retire').click();
    const dialog = approver.page.getByTestId('dialog-retire');
    await dialog.getByTestId('retire-gap').waitFor();
    const confirm = dialog.getByTestId('workflow-confirm');
    expect(await confirm.isDisabled()).toBe(true);
    await approver.screenshot('retire-gap');
    await dialog.getByTestId('retire-acknowledge').locator('input').check();
    await confirm.click();
    await dialog.waitFor({ state: 'detached' });
    await waitForStatus(approver.page, 'published'); // still in effect: a request only

    // the asker is not offered the approval; a second approver (author2 holds author + approver) is
    await approver.page.reload();
    await approver.page.getByTestId('action-reject-retirement').waitFor();
    expect(await approver.page.getByTestId('action-approve-retirement').count()).toBe(0);
    const second = await open('author2');
    await second.page.goto(`/#/policy-versions/${publishedVersionId}`);
    await second.page.getByTestId('action-approve-retirement').click();
    const approve = second.page.getByTestId('dialog-approve-retirement');
    await approve.getByTestId('retire-request').waitFor();
    expect(await approve.getByTestId('retire-request').innerText()).toContain('approver');
    await approve.getByTestId('retire-acknowledge').locator('input').check();
    await second.screenshot('approve-retirement');
    await approve.getByTestId('workflow-confirm').click();
    await approve.waitFor({ state: 'detached' });
    await waitForStatus(second.page, 'retired');

    const service = await ApiClient.login(suite.server.url, 'service');
    const outcome = await service.request<{ code: string }>('POST', '/evaluate', { policy: key, facts: {} }, [404]);
    expect(outcome.code).toBe('NO_VERSION_IN_EFFECT');
  });
});
