/** Starting a policy from a shipped template, in production mode too (where nothing is seeded). */
import { templates as shipped } from '../../src/templates/template-library';

const templates = shipped();
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';

describe('a new policy from a shipped template', () => {
  let t: TestApp & { db: import('pg').Client };
  let author: { auth: { Authorization: string }; username: string };
  let approver: { auth: { Authorization: string }; username: string };
  beforeAll(async () => {
    t = await createIsolatedTestApp();
    author = await t.login(['author']);
    approver = await t.login(['approver']);
  });
  afterAll(() => t.close());

  const auditCount = async () => Number((await t.db.query('SELECT count(*) AS n FROM audit_event')).rows[0].n);

  it('lists every template with its tiers, versions and test cases', async () => {
    const res = await t.http.get('/api/templates').set(author.auth).expect(200);
    expect(res.body.map((x: { key: string }) => x.key).sort()).toEqual(templates.map((x) => x.key).sort());
    const icbc = res.body.find((x: { key: string }) => x.key === 'icbc-star');
    expect(icbc.versions).toHaveLength(2);
    expect(icbc.versions[1].effectiveFrom).toBe('2021-05-01T00:00:00+08:00');
    const card = res.body.find((x: { key: string }) => x.key === 'cib-card');
    expect(card.tiers.map((x: { key: string }) => x.key)).toEqual(['BLACK', 'PLATINUM', 'GOLD', 'SILVER']);
  });

  it('creates catalog entries it lacks (keeping existing ones), the policy, its test cases and a draft that passes submit', async () => {
    await t.http.post('/api/facts').set(author.auth).send({ key: 'hasValidId', label: '证件有效（本行定义）', type: 'boolean' }).expect(201);
    const res = await t.http.post('/api/templates/cib-card/policy').set(author.auth).send({}).expect(201);
    expect(res.body.policy).toMatchObject({ key: 'cib-card' });
    expect(res.body.version).toMatchObject({ status: 'draft', number: 1 });
    expect(res.body.addedToCatalog).toEqual(expect.arrayContaining(['avgDailyAssets', 'familyAvgDailyAssets', 'cib-black']));
    expect(res.body.addedToCatalog).not.toContain('hasValidId');
    const fact = await t.http.get('/api/facts/hasValidId').set(author.auth).expect(200);
    expect(fact.body.label).toBe('证件有效（本行定义）');
    const cases = await t.http.get(`/api/policies/${res.body.policy.id}/test-cases`).query({ range: '[0,99]' }).set(author.auth).expect(200);
    expect(cases.body.length).toBe(res.body.testCases);
    expect(cases.body.length).toBeGreaterThanOrEqual(6);
    const events = await t.http
      .get('/api/audit-events')
      .query({ filter: JSON.stringify({ actor: author.username }), range: '[0,999]' })
      .set(author.auth)
      .expect(200);
    expect(events.body.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['fact.create', 'benefit_package.create', 'policy.create', 'test_case.create', 'version.create']),
    );
    // the draft goes through the ordinary four-eyes workflow
    await t.http.post(`/api/policy-versions/${res.body.version.id}/submit`).set(author.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${res.body.version.id}/approve`).set(author.auth).send({}).expect(403);
    await t.http.post(`/api/policy-versions/${res.body.version.id}/approve`).set(approver.auth).send({}).expect(200);
  });

  it('refuses a key that is taken with 409 and writes nothing; another key works and adds no catalog entries', async () => {
    const before = await auditCount();
    const taken = await t.http.post('/api/templates/cib-card/policy').set(author.auth).send({}).expect(409);
    expect(taken.body.details).toEqual([{ path: 'key', message: 'is taken' }]);
    expect(await auditCount()).toBe(before);
    const again = await t.http
      .post('/api/templates/cib-card/policy')
      .set(author.auth)
      .send({ key: 'cib-card-2027', name: '信用卡分级（2027 草案）' })
      .expect(201);
    expect(again.body.policy).toMatchObject({ key: 'cib-card-2027', name: '信用卡分级（2027 草案）' });
    expect(again.body.addedToCatalog).toEqual([]);
  });

  it('answers an unknown template with 404 and a bad key with 422', async () => {
    await t.http.post('/api/templates/no-such/policy').set(author.auth).send({}).expect(404);
    const bad = await t.http.post('/api/templates/cib-card/policy').set(author.auth).send({ key: 'has space' }).expect(422);
    expect(bad.body.details[0].path).toBe('key');
  });
});
