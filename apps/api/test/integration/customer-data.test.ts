/**
 * Customer data (issue 14 point 17): facts have a sensitivity class; values are masked (`***`) for
 * roles that do not need them — dataset previews, simulation samples, logged decisions; datasets
 * can be deleted (audited; refused while a simulation runs on them).
 */
import { cardDefinition, publishVersion, uniqueKey } from '../helpers/fixtures';
import { createTestApp, TestApp } from '../helpers/test-app';
import { waitForStatus } from './simulation-fixtures';

type User = { auth: { Authorization: string }; username: string };

describe('customer data: sensitivity classes and masking', () => {
  let t: TestApp;
  let author: User;
  let approver: User;
  let viewer: User;
  let compliance: User;
  let admin: User;
  const pub = uniqueKey('district');
  const internal = uniqueKey('assets');
  const sensitive = uniqueKey('income');
  let policy: { id: string; key: string };
  let datasetId: string;
  const saved = { delay: process.env.SIMULATION_CHUNK_DELAY_MS, rows: process.env.DATASET_CHUNK_ROWS };

  beforeAll(async () => {
    t = await createTestApp();
    [author, approver, viewer, compliance, admin] = await Promise.all(
      (['author', 'approver', 'viewer', 'compliance', 'admin'] as const).map((r) => t.login([r])),
    );
    await t.http.post('/api/facts').set(author.auth).send({ key: pub, label: '区域', type: 'string', sensitivity: 'public' }).expect(201);
    await t.http.post('/api/facts').set(author.auth).send({ key: internal, label: '日均资产', type: 'number' }).expect(201);
    await t.http.post('/api/facts').set(author.auth).send({ key: sensitive, label: '年收入', type: 'number', sensitivity: 'sensitive' }).expect(201);
    policy = (
      await t.http
        .post('/api/policies')
        .set(author.auth)
        .send({ key: uniqueKey('card'), name: '卡' })
        .expect(201)
    ).body;
    const definition = {
      schemaVersion: 1,
      tiers: [
        { key: 'BLACK', name: '黑金', when: { any: [{ fact: sensitive, operator: 'greaterThanInclusive', value: 1_000_000 }] } },
        ...cardDefinition(internal).tiers.slice(1),
      ],
    };
    await publishVersion(t, author.auth, approver.auth, policy.id, definition);
    const rows = [
      { customerId: 'C1', [pub]: '惠城区', [internal]: 150_000, [sensitive]: 2_000_000 },
      { customerId: 'C2', [pub]: '惠阳区', [internal]: 50_000, [sensitive]: 10 },
      { customerId: 'C3', [pub]: '博罗县', [internal]: 5, [sensitive]: 20 },
    ];
    datasetId = (
      await t.http
        .post('/api/datasets')
        .set(author.auth)
        .send({ name: uniqueKey('customers'), rows })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await t.close();
    for (const [k, v] of [
      ['SIMULATION_CHUNK_DELAY_MS', saved.delay],
      ['DATASET_CHUNK_ROWS', saved.rows],
    ] as const)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  it('the catalog keeps the class (default internal) and refuses an unknown one', async () => {
    expect((await t.http.get(`/api/facts/${sensitive}`).set(viewer.auth).expect(200)).body.sensitivity).toBe('sensitive');
    expect((await t.http.get(`/api/facts/${internal}`).set(viewer.auth).expect(200)).body.sensitivity).toBe('internal');
    const bad = await t.http
      .post('/api/facts')
      .set(author.auth)
      .send({ key: uniqueKey('x'), label: 'x', type: 'number', sensitivity: 'secret' })
      .expect(422);
    expect(bad.body.details).toEqual([expect.objectContaining({ path: 'sensitivity' })]);
  });

  it('dataset preview: viewer sees public only, author and admin not sensitive, compliance all', async () => {
    const preview = async (u: User) => (await t.http.get(`/api/datasets/${datasetId}`).set(u.auth).expect(200)).body.preview[0];
    expect(await preview(viewer)).toMatchObject({ customerId: 'C1', [pub]: '惠城区', [internal]: '***', [sensitive]: '***' });
    for (const u of [author, admin, approver]) expect(await preview(u)).toMatchObject({ [pub]: '惠城区', [internal]: 150_000, [sensitive]: '***' });
    expect(await preview(compliance)).toMatchObject({ [pub]: '惠城区', [internal]: 150_000, [sensitive]: 2_000_000 });
  });

  it('decisions: inputs and trace masked for author, explanation withheld; compliance reads everything', async () => {
    const d = await t.http
      .post('/api/evaluate')
      .set(author.auth)
      .send({ policy: policy.key, customerId: 'C1', facts: { [pub]: '惠城区', [internal]: 150_000, [sensitive]: 2_000_000 } })
      .expect(200);
    const seen = (await t.http.get(`/api/decisions/${d.body.decisionId}`).set(author.auth).expect(200)).body;
    expect(seen.facts).toEqual({ [pub]: '惠城区', [internal]: 150_000, [sensitive]: '***' });
    expect(JSON.stringify(seen.trace)).not.toContain('2000000');
    expect(seen.trace[0].condition.children[0]).toMatchObject({ fact: sensitive, factValue: '***' });
    expect(seen).toMatchObject({ explanation: null, explanationWithheld: true, maskedFacts: [sensitive] });
    const full = (await t.http.get(`/api/decisions/${d.body.decisionId}`).set(compliance.auth).expect(200)).body;
    expect(full.facts[sensitive]).toBe(2_000_000);
    // not stored: re-derived from the version and the logged facts, the trace the evaluation answered (masked above for the author)
    expect(full).toMatchObject({ traceSource: 'derived', trace: d.body.trace });
    expect(seen.traceSource).toBe('derived');
    expect(full.explanation.en.join('\n')).toContain('2,000,000');
    const list = await t.http.get('/api/decisions').query({ customerId: 'C1', policy: policy.key }).set(approver.auth).expect(200);
    expect(list.body[0].facts[sensitive]).toBe('***');
    expect(JSON.stringify(list.body)).not.toContain('2000000');
  });

  it('simulation samples: masked for the viewer, explanations withheld; full for compliance', async () => {
    const draft = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author.auth)
      .send({ definition: cardDefinition(internal, 100_000) })
      .expect(201);
    const sim = await t.http.post('/api/simulations').set(author.auth).send({ candidateVersionId: draft.body.id, datasetId }).expect(201);
    await waitForStatus(t, author.auth, sim.body.id, ['succeeded']);
    const samples = async (u: User) =>
      Object.values(
        (await t.http.get(`/api/simulations/${sim.body.id}`).set(u.auth).expect(200)).body.result.samples as Record<
          string,
          Record<string, { facts: Record<string, unknown> }[]>
        >,
      )
        .flatMap((to) => Object.values(to))
        .flat();
    const forViewer = await samples(viewer);
    expect(forViewer).toHaveLength(3);
    for (const s of forViewer) {
      expect(s.facts).toMatchObject({ [internal]: '***', [sensitive]: '***' });
      expect(s).toMatchObject({ explanation: null, baselineExplanation: null, explanationWithheld: true });
    }
    const forCompliance = await samples(compliance);
    expect(forCompliance.map((s) => s.facts[sensitive]).sort()).toEqual([10, 20, 2_000_000].sort());
  });
});

describe('datasets can be deleted, audited; not while a simulation runs on them', () => {
  let t: TestApp;
  let author: User;
  let viewer: User;
  let compliance: User;
  const saved = { delay: process.env.SIMULATION_CHUNK_DELAY_MS, rows: process.env.DATASET_CHUNK_ROWS };
  beforeAll(async () => {
    process.env.SIMULATION_CHUNK_DELAY_MS = '1500';
    process.env.DATASET_CHUNK_ROWS = '10';
    t = await createTestApp();
    [author, viewer, compliance] = await Promise.all((['author', 'viewer', 'compliance'] as const).map((r) => t.login([r])));
  });
  afterAll(async () => {
    await t.close();
    for (const [k, v] of [
      ['SIMULATION_CHUNK_DELAY_MS', saved.delay],
      ['DATASET_CHUNK_ROWS', saved.rows],
    ] as const)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  it('409 while running; after it: deleted, rows gone, samples and per-customer results removed, audited', async () => {
    const approver = await t.login(['approver']);
    const fact = uniqueKey('assets');
    await t.http.post('/api/facts').set(author.auth).send({ key: fact, label: '资产', type: 'number' }).expect(201);
    const policy = (
      await t.http
        .post('/api/policies')
        .set(author.auth)
        .send({ key: uniqueKey('card'), name: '卡' })
        .expect(201)
    ).body;
    await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact));
    const draft = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author.auth)
      .send({ definition: cardDefinition(fact, 10) })
      .expect(201);
    const rows = Array.from({ length: 30 }, (_v, i) => ({ customerId: `D${i}`, [fact]: i * 100 }));
    const id = (
      await t.http
        .post('/api/datasets')
        .set(author.auth)
        .send({ name: uniqueKey('to-delete'), rows })
        .expect(201)
    ).body.id;
    const sim = await t.http.post('/api/simulations').set(author.auth).send({ candidateVersionId: draft.body.id, datasetId: id }).expect(201);

    const busy = await t.http.delete(`/api/datasets/${id}`).set(author.auth).expect(409);
    expect(busy.body).toMatchObject({ code: 'DATASET_IN_USE', message: expect.stringContaining(sim.body.id) });
    await t.http.delete(`/api/datasets/${id}`).set(viewer.auth).expect(403);

    await waitForStatus(t, author.auth, sim.body.id, ['succeeded']);
    await t.http.delete(`/api/datasets/${id}`).set(author.auth).expect(200);
    await t.http.get(`/api/datasets/${id}`).set(author.auth).expect(404);
    await t.http.delete(`/api/datasets/${id}`).set(author.auth).expect(404);
    const after = (await t.http.get(`/api/simulations/${sim.body.id}`).set(compliance.auth).expect(200)).body;
    expect(after.result.total).toBe(30); // the aggregate result stays
    expect(after.result.samples).toEqual({});
    expect(after.result.samplesRemoved).toBe(true);
    expect((await t.http.get(`/api/simulations/${sim.body.id}/results.csv`).set(author.auth).expect(409)).body.code).toBe('SIMULATION_DATASET_DELETED');
    const audit = await t.http.get('/api/audit-events').query({ action: 'dataset.delete', entityId: id }).set(compliance.auth).expect(200);
    expect(audit.body).toEqual([expect.objectContaining({ actor: author.username, before: expect.objectContaining({ rowCount: 30 }), after: null })]);
  });
});
