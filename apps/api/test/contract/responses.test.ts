/**
 * Real responses of the main routes, validated with ajv against the schemas the OpenAPI document
 * declares for them (contract §3–§8): auth, users, catalogs, policies, versions and the workflow,
 * test cases, evaluate, decisions, datasets, simulations, rating runs, the ledger, audit, templates.
 * Error answers are checked against the one error shape.
 */
import type { Response } from 'supertest';
import { cardDefinition, setupPolicy, uniqueKey } from '../helpers/fixtures';
import { createTestApp, TestApp } from '../helpers/test-app';
import { Conformance } from './conformance';

type Auth = { Authorization: string };

async function until(get: () => Promise<Response>, done: (r: Response) => boolean, what: string): Promise<Response> {
  const end = Date.now() + 60_000;
  for (;;) {
    const r = await get();
    if (done(r)) return r;
    if (Date.now() > end) throw new Error(`${what}: ${r.text.slice(0, 400)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('contract: real responses match their declared schemas', () => {
  let t: TestApp;
  let c: Conformance;
  let admin: Auth;
  let author: Auth;
  let approver: Auth;
  let compliance: Auth;
  let setup: Awaited<ReturnType<typeof setupPolicy>>;
  let published: { id: string };
  let draftId: string;
  let datasetId: string;
  const tag = uniqueKey('C');

  beforeAll(async () => {
    t = await createTestApp();
    c = new Conformance((await t.http.get('/api/openapi.json').expect(200)).body);
    admin = (await t.login(['admin'])).auth;
    author = (await t.login(['author'])).auth;
    approver = (await t.login(['approver'])).auth;
    compliance = (await t.login(['compliance'])).auth;
    setup = await setupPolicy(t, author);
  });
  afterAll(() => t.close());

  it('auth, users and health', async () => {
    c.check(await t.http.get('/api/health'));
    const username = uniqueKey('user');
    const password = 'a long and unusual passphrase 42';
    const created = await t.http
      .post('/api/users')
      .set(admin)
      .send({ username, password, roles: ['viewer'] });
    expect(c.check(created)).toBe('createUser');
    const login = await t.http.post('/api/auth/login').send({ username, password });
    expect(c.check(login)).toBe('login');
    c.check(await t.http.post('/api/auth/login').send({ username, password: 'wrong password entirely' })); // 401 in the error shape
    c.check(await t.http.post('/api/auth/login').send({ username: '' })); // 422 with details
    c.check(await t.http.get('/api/auth/me').set({ Authorization: `Bearer ${login.body.accessToken}` }));
    c.check(await t.http.get('/api/users').set(admin));
    c.check(await t.http.get(`/api/users/${created.body.id}`).set(admin));
    c.check(
      await t.http
        .patch(`/api/users/${created.body.id}`)
        .set(admin)
        .send({ roles: ['viewer', 'author'] }),
    );
    c.check(await t.http.get('/api/users').set(author)); // 403
  });

  it('catalogs', async () => {
    for (const [resource, key] of [
      ['facts', setup.fact],
      ['benefits', setup.benefit],
      ['benefit-packages', setup.pkg],
    ]) {
      c.check(await t.http.get(`/api/${resource}`).set(author));
      c.check(await t.http.get(`/api/${resource}/${key}`).set(author));
    }
    const fact = uniqueKey('spare');
    c.check(await t.http.post('/api/facts').set(author).send({ key: fact, label: '备用', type: 'integer' }));
    c.check(await t.http.put(`/api/facts/${fact}`).set(author).send({ key: fact, label: '备用 2', type: 'integer' }));
    c.check(await t.http.delete(`/api/facts/${fact}`).set(author));
    c.check(await t.http.get(`/api/facts/${fact}`).set(author)); // 404
  });

  it('policies, versions, the workflow and test cases', async () => {
    const id = setup.policy.id;
    const definition = cardDefinition(setup.fact, 1_000_000, 100_000, setup.pkg);
    c.check(await t.http.get('/api/policies').set(author));
    c.check(await t.http.get(`/api/policies/${id}`).set(author));
    c.check(await t.http.post('/api/policies/validate').set(author).send({ definition }));
    c.check(await t.http.post('/api/policies').set(author).send({ key: setup.policy.key, name: 'taken' })); // 409

    const testCase = await t.http
      .post(`/api/policies/${id}/test-cases`)
      .set(author)
      .send({ name: 'rich', facts: { [setup.fact]: 2_000_000 }, expectedTier: 'BLACK' });
    c.check(testCase);
    c.check(await t.http.get(`/api/policies/${id}/test-cases`).set(author));
    c.check(await t.http.get(`/api/policies/${id}/test-cases/${testCase.body.id}`).set(author));
    c.check(
      await t.http
        .put(`/api/policies/${id}/test-cases/${testCase.body.id}`)
        .set(author)
        .send({ name: 'rich', facts: { [setup.fact]: 3_000_000 }, expectedTier: 'BLACK' }),
    );

    const v = await t.http.post(`/api/policies/${id}/versions`).set(author).send({ definition, changeNote: 'first' });
    c.check(v);
    c.check(await t.http.get(`/api/policy-versions/${v.body.id}`).set(author));
    c.check(await t.http.put(`/api/policy-versions/${v.body.id}`).set(author).set('If-Match', '1').send({ definition, changeNote: 'edited' }));
    c.check(await t.http.put(`/api/policy-versions/${v.body.id}`).set(author).set('If-Match', '1').send({ definition })); // 409 stale
    c.check(await t.http.post(`/api/policy-versions/${v.body.id}/test-run`).set(author).send({}));
    c.check(
      await t.http
        .post(`/api/policy-versions/${v.body.id}/evaluate`)
        .set(author)
        .send({ facts: { [setup.fact]: 500_000 } }),
    );
    c.check(await t.http.post(`/api/policy-versions/${v.body.id}/submit`).set(author).send({}));
    c.check(await t.http.post(`/api/policy-versions/${v.body.id}/approve`).set(approver).send({ comment: 'ok' }));
    const pub = await t.http.post(`/api/policy-versions/${v.body.id}/publish`).set(approver).send({});
    c.check(pub);
    published = pub.body;
    c.check(await t.http.get(`/api/policies/${id}/versions`).set(author));

    const draft = await t.http
      .post(`/api/policies/${id}/versions`)
      .set(author)
      .send({ definition: cardDefinition(setup.fact, 800_000, 100_000, setup.pkg) });
    draftId = draft.body.id;
    c.check(await t.http.get(`/api/policy-versions/${draftId}/diff?against=${published.id}`).set(author));
    const other = await t.http.post(`/api/policies/${id}/versions`).set(author).send({ definition });
    c.check(await t.http.post(`/api/policy-versions/${other.body.id}/discard`).set(author).send({}));
    c.check(await t.http.post(`/api/policy-versions/${other.body.id}/submit`).set(author).send({})); // 409 wrong status
  });

  it('evaluate, batch and the decision log', async () => {
    const one = await t.http
      .post('/api/evaluate')
      .set(author)
      .send({ policy: setup.policy.key, facts: { [setup.fact]: 1_500_000 }, customerId: `${tag}-1`, explain: true });
    expect(c.check(one)).toBe('evaluate');
    expect(one.body.tier.key).toBe('BLACK');
    c.check(
      await t.http
        .post('/api/evaluate/batch')
        .set(author)
        .send({ policy: setup.policy.key, customers: [{ customerId: `${tag}-2`, facts: { [setup.fact]: 5 } }, { facts: { [setup.fact]: 200_000 } }] }),
    );
    c.check(
      await t.http
        .post('/api/evaluate')
        .set(author)
        .send({ policy: setup.policy.key, facts: { [setup.fact]: 'lots' } }),
    ); // 422
    c.check(await t.http.get(`/api/decisions?filter=${encodeURIComponent(JSON.stringify({ customerId: `${tag}-1` }))}`).set(author));
    c.check(await t.http.get(`/api/decisions/${one.body.decisionId}`).set(author));
    c.check(await t.http.get(`/api/decisions/${one.body.decisionId}`).set(compliance));
  });

  it('datasets and simulations', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ customerId: `${tag}-${i}`, [setup.fact]: i * 300_000 }));
    const ds = await t.http
      .post('/api/datasets')
      .set(author)
      .send({ name: `contract ${tag}`, asOf: '2026-01-31', rows });
    c.check(ds);
    datasetId = ds.body.id;
    c.check(await t.http.get('/api/datasets').set(author));
    c.check(await t.http.get(`/api/datasets/${datasetId}`).set(author));
    c.check(await t.http.post('/api/datasets').set(author).send({ name: 'empty', rows: [] })); // 422
    const synthetic = await t.http.post('/api/datasets/synthetic').set(author).send({ versionId: draftId, size: 5, seed: 3 });
    c.check(synthetic);

    const sim = await t.http.post('/api/simulations').set(author).send({ candidateVersionId: draftId, datasetId });
    c.check(sim);
    const done = await until(
      () => t.http.get(`/api/simulations/${sim.body.id}`).set(author),
      (r) => ['succeeded', 'failed'].includes(r.body.status),
      'simulation',
    );
    expect(done.body.status).toBe('succeeded');
    c.check(done);
    c.check(await t.http.get('/api/simulations').set(author));
    c.check(await t.http.get(`/api/simulations/${sim.body.id}/results?format=csv`).set(author));
    c.check(await t.http.get(`/api/simulations/${sim.body.id}/report?format=xlsx`).set(author));
    c.check(await t.http.post(`/api/simulations/${sim.body.id}/cancel`).set(author)); // 409: finished
    // Deleting a dataset names the finished simulations that lost their samples.
    const onSynthetic = await t.http.post('/api/simulations').set(author).send({ candidateVersionId: draftId, datasetId: synthetic.body.id });
    await until(
      () => t.http.get(`/api/simulations/${onSynthetic.body.id}`).set(author),
      (r) => ['succeeded', 'failed'].includes(r.body.status),
      'simulation on the synthetic dataset',
    );
    const deleted = await t.http.delete(`/api/datasets/${synthetic.body.id}`).set(author);
    c.check(deleted);
    expect(deleted.body).toEqual({ id: synthetic.body.id, deleted: true, simulationsAffected: [onSynthetic.body.id] });
  });

  it('rating runs and the ledger', async () => {
    const started = await t.http.post('/api/rating-runs').set(author).send({ policy: setup.policy.key, datasetId, comment: 'January' });
    c.check(started);
    const proposed = await until(
      () => t.http.get(`/api/rating-runs/${started.body.id}`).set(author),
      (r) => ['proposed', 'failed'].includes(r.body.status),
      'rating run',
    );
    expect(proposed.body.status).toBe('proposed');
    c.check(proposed);
    c.check(await t.http.get('/api/rating-runs').set(author));
    c.check(await t.http.post(`/api/rating-runs/${started.body.id}/approve`).set(author).send({})); // 403: four-eyes
    const approved = await t.http.post(`/api/rating-runs/${started.body.id}/approve`).set(approver).send({ comment: 'fine' });
    c.check(approved);
    const customer = `${tag}-4`;
    c.check(await t.http.get(`/api/customers/${customer}/tier?policy=${setup.policy.key}`).set(author));
    c.check(await t.http.get(`/api/customers/${customer}/tiers?policy=${setup.policy.key}`).set(author));
    c.check(await t.http.get(`/api/customers/${tag}-none/tier?policy=${setup.policy.key}`).set(author)); // 404

    const second = await t.http.post('/api/rating-runs').set(author).send({ policy: setup.policy.key, datasetId });
    await until(
      () => t.http.get(`/api/rating-runs/${second.body.id}`).set(author),
      (r) => ['proposed', 'failed'].includes(r.body.status),
      'second run',
    );
    c.check(await t.http.post(`/api/rating-runs/${second.body.id}/reject`).set(approver).send({ comment: 'no' }));
    const third = await t.http.post('/api/rating-runs').set(author).send({ policy: setup.policy.key, datasetId });
    c.check(await t.http.post(`/api/rating-runs/${third.body.id}/cancel`).set(author));
  });

  it('audit and templates', async () => {
    const events = await t.http.get(`/api/audit-events?filter=${encodeURIComponent(JSON.stringify({ entityId: setup.policy.id }))}`).set(compliance);
    c.check(events);
    c.check(await t.http.get(`/api/audit-events/${events.body[0].id}`).set(compliance));
    c.check(await t.http.get('/api/audit-events/verify').set(compliance));
    c.check(await t.http.get('/api/audit-events/export?format=csv').set(compliance));
    c.check(await t.http.get('/api/audit-events/verify?anchor=nonsense').set(compliance)); // 400
    c.check(await t.http.get('/api/templates').set(author));
    c.check(await t.http.post('/api/templates/no-such-template/policy').set(author).send({})); // 404
  });

  it('covered every main route', () => {
    const ids = new Set([...c.checked].map((k) => k.split(' ')[0]));
    const main = [
      'login',
      'getMe',
      'listUsers',
      'createUser',
      'listFacts',
      'createFact',
      'listPolicies',
      'createPolicy',
      'getPolicy',
      'createVersion',
      'getVersion',
      'updateVersion',
      'listVersions',
      'submitVersion',
      'approveVersion',
      'publishVersion',
      'diffVersions',
      'runTestCases',
      'createTestCase',
      'evaluate',
      'evaluateBatch',
      'evaluateVersion',
      'listDecisions',
      'getDecision',
      'createDataset',
      'listDatasets',
      'getDataset',
      'createSimulation',
      'getSimulation',
      'listSimulations',
      'startRatingRun',
      'getRatingRun',
      'listRatingRuns',
      'approveRatingRun',
      'rejectRatingRun',
      'getCustomerTier',
      'getCustomerTierHistory',
      'listAuditEvents',
      'getAuditEvent',
      'verifyAuditChain',
      'listTemplates',
    ];
    expect(main.filter((id) => !ids.has(id))).toEqual([]);
    for (const s of ['401', '403', '404', '409', '422']) expect([...c.checked].some((k) => k.endsWith(` ${s}`))).toBe(true);
  });
});
