/** Entitlement checks (issue 13 acceptance 4, contract §11): allowed / denied with the reason (tier, package), logged append-only, roles enforced; the fund template's suitability. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../../src/templates/template-library';
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';
import { propose, waitForRun } from './rating-fixtures';

type User = { auth: { Authorization: string }; username: string };
const POLICY = 'fund-risk';

describe('entitlement checks', () => {
  let t: TestApp & { db: import('pg').Client };
  let author: User;
  let approver: User;
  let service: User;
  let compliance: User;
  let viewer: User;
  const check = (who: User, body: Record<string, unknown>) =>
    t.http
      .post('/api/entitlements/check')
      .set(who.auth)
      .send({ policy: POLICY, ...body });

  beforeAll(async () => {
    t = await createIsolatedTestApp();
    [author, approver, service, compliance, viewer] = await Promise.all([
      t.login(['author']),
      t.login(['approver']),
      t.login(['service']),
      t.login(['compliance']),
      t.login(['viewer']),
    ]);
    const file = JSON.parse(readFileSync(join(TEMPLATES_DIR, 'fund-risk.policy.json'), 'utf8')) as object;
    const imported = await t.http.post('/api/policies/import').set(author.auth).send(file).expect(201);
    const id = imported.body.version.id as string;
    await t.http.post(`/api/policy-versions/${id}/submit`).set(author.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${id}/approve`).set(approver.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${id}/publish`).set(approver.auth).send({}).expect(200);
  });
  afterAll(() => t.close());

  it('a conservative investor may buy a bond fund, not a stock fund — with the tier and package as the reason', async () => {
    const bond = await check(service, { facts: { riskAssessmentScore: 10 }, customerId: 'inv-1', benefit: 'fund-bond-funds' }).expect(200);
    expect(bond.body).toMatchObject({
      allowed: true,
      source: 'facts',
      tier: { key: 'CONSERVATIVE', name: '保守型' },
      benefitPackage: { key: 'fund-conservative' },
      benefit: { key: 'fund-bond-funds', name: '可购买债券基金' },
      reason: { code: 'IN_PACKAGE' },
      policy: { key: POLICY, number: 1 },
    });
    expect(bond.body.reason.messageZh).toContain('fund-conservative');
    const stock = await check(service, { facts: { riskAssessmentScore: 10 }, customerId: 'inv-1', benefit: 'fund-stock-funds' }).expect(200);
    expect(stock.body).toMatchObject({
      allowed: false,
      tier: { key: 'CONSERVATIVE' },
      benefitPackage: { key: 'fund-conservative' },
      reason: { code: 'NOT_IN_PACKAGE' },
    });
    expect(stock.body.reason.message).toMatch(/does not include fund-stock-funds/);
    // at the boundary: 70 is aggressive (stock funds allowed), 69 balanced (not)
    await expect(check(service, { facts: { riskAssessmentScore: 70 }, benefit: 'fund-stock-funds' }).then((r) => r.body.allowed)).resolves.toBe(true);
    await expect(check(service, { facts: { riskAssessmentScore: 69 }, benefit: 'fund-stock-funds' }).then((r) => r.body.allowed)).resolves.toBe(false);
    const unassessed = await check(service, { facts: {}, benefit: 'fund-bond-funds' }).expect(200);
    expect(unassessed.body).toMatchObject({ allowed: false, tier: null, reason: { code: 'NOT_RATED' } });
  });

  it('logs every check (append-only: the database refuses changes) and the decision it rests on', async () => {
    const r = await check(service, { facts: { riskAssessmentScore: 40 }, customerId: 'inv-log', benefit: 'fund-mixed-funds' }).expect(200);
    expect(r.body).toMatchObject({ allowed: true, tier: { key: 'BALANCED' } });
    const rows = (await t.db.query('SELECT * FROM entitlement_check WHERE id = $1', [r.body.checkId])).rows;
    expect(rows[0]).toMatchObject({
      customer_id: 'inv-log',
      benefit: 'fund-mixed-funds',
      allowed: true,
      tier_key: 'BALANCED',
      benefit_package: 'fund-balanced',
      reason: 'IN_PACKAGE',
      actor: service.username,
    });
    expect(rows[0].decision_id).toBe(r.body.decisionId);
    const decision = await t.http.get(`/api/decisions/${r.body.decisionId}`).set(compliance.auth).expect(200);
    expect(decision.body).toMatchObject({ customerId: 'inv-log' });
    await expect(t.db.query('UPDATE entitlement_check SET allowed = false WHERE id = $1', [r.body.checkId])).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM entitlement_check WHERE id = $1', [r.body.checkId])).rejects.toThrow(/append-only/);
    await expect(t.db.query('TRUNCATE entitlement_check')).rejects.toThrow(/append-only/);
    const log = await t.http
      .get('/api/entitlements/checks')
      .query({ filter: JSON.stringify({ customerId: 'inv-log' }) })
      .set(compliance.auth)
      .expect(200);
    expect(log.body).toEqual([
      expect.objectContaining({ id: r.body.checkId, allowed: true, tier: 'BALANCED', benefit: 'fund-mixed-funds', reason: 'IN_PACKAGE' }),
    ]);
    expect(log.headers['content-range']).toBe('entitlement-checks 0-0/1');
  });

  it('checks a customer by id against the official tier in the ledger', async () => {
    const none = await check(service, { customerId: 'ledger-1', benefit: 'fund-stock-funds' }).expect(200);
    expect(none.body).toMatchObject({ allowed: false, source: 'ledger', tier: null, reason: { code: 'NO_OFFICIAL_TIER' } });
    const data = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: 'investors', asOf: '2026-11-30', rows: [{ customerId: 'ledger-1', riskAssessmentScore: 85 }] })
      .expect(201);
    const run = await propose(t, author.auth, { policy: POLICY, datasetId: data.body.id });
    await t.http.post(`/api/rating-runs/${run.id}/approve`).set(approver.auth).send({}).expect(200);
    await waitForRun(t, author.auth, run.id as string, ['applied']);
    const stock = await check(service, { customerId: 'ledger-1', benefit: 'fund-stock-funds' }).expect(200);
    expect(stock.body).toMatchObject({
      allowed: true,
      source: 'ledger',
      tier: { key: 'AGGRESSIVE' },
      benefitPackage: { key: 'fund-aggressive' },
      reason: { code: 'IN_PACKAGE' },
    });
    expect(stock.body.decisionId).toBeUndefined();
  });

  it('refuses bad input with 4xx and the path, writing nothing', async () => {
    const before = Number((await t.db.query('SELECT count(*) AS n FROM entitlement_check')).rows[0].n);
    const unknown = await check(service, { facts: { riskAssessmentScore: 10 }, benefit: 'no-such-benefit' }).expect(422);
    expect(unknown.body).toMatchObject({ code: 'ENTITLEMENT_UNKNOWN_BENEFIT', details: [{ path: 'benefit' }] });
    const neither = await check(service, { benefit: 'fund-bond-funds' }).expect(422);
    expect(neither.body.details[0].path).toBe('facts');
    await t.http.post('/api/entitlements/check').set(service.auth).send({ policy: 'nope', facts: {}, benefit: 'fund-bond-funds' }).expect(404);
    const badFacts = await check(service, { facts: { riskAssessmentScore: 'high' }, benefit: 'fund-bond-funds' }).expect(422);
    expect(badFacts.body.details[0].path).toBe('facts.riskAssessmentScore');
    expect(Number((await t.db.query('SELECT count(*) AS n FROM entitlement_check')).rows[0].n)).toBe(before);
  });

  it('enforces roles: evaluators check, only admin and compliance read the log', async () => {
    await t.http.post('/api/entitlements/check').send({ policy: POLICY, facts: {}, benefit: 'fund-bond-funds' }).expect(401);
    await check(viewer, { facts: { riskAssessmentScore: 10 }, benefit: 'fund-bond-funds' }).expect(200);
    await t.http.get('/api/entitlements/checks').set(viewer.auth).expect(403);
    await t.http.get('/api/entitlements/checks').set(author.auth).expect(403);
    await t.http.get('/api/entitlements/checks').set(service.auth).expect(403);
    await t.http.get('/api/entitlements/checks').set(compliance.auth).expect(200);
  });
});
