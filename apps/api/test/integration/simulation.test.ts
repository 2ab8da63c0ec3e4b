/**
 * Simulation of a raised PLATINUM threshold (cib-card, personal 300,000 → 500,000) over customers
 * uploaded as CSV (UTF-8 with BOM, and GBK with Chinese headers, both with bad rows skipped), every
 * count checked against a computation by hand in this file; then the bad-input and role rules.
 */
import * as iconv from 'iconv-lite';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../helpers/test-app';
import {
  CARD_TIERS,
  cardCustomers,
  CardCustomer,
  cardPolicy,
  cardTier,
  csvOf,
  expectedReport,
  PACKAGE_UNIT_COST,
  raisedPlatinumDraft,
  RANK,
  seedCatalog,
  waitForStatus,
} from './simulation-fixtures';

type Auth = { Authorization: string };

describe('simulation: raised PLATINUM threshold on the card tiers', () => {
  let t: TestApp;
  let author: { auth: Auth; username: string };
  let draft: { id: string; policyId: string };
  let activeId: string;
  const saved = process.env.DATASET_CHUNK_ROWS;

  beforeAll(async () => {
    process.env.DATASET_CHUNK_ROWS = '700'; // several chunks, so the merge is exercised
    t = await createTestApp();
    await seedCatalog(t.app);
    author = await t.login(['author']);
    draft = await raisedPlatinumDraft(t, author.auth);
    activeId = (await cardPolicy(t.app)).active.id;
  });
  afterAll(async () => {
    await t.close();
    if (saved === undefined) delete process.env.DATASET_CHUNK_ROWS;
    else process.env.DATASET_CHUNK_ROWS = saved;
  });

  /** Upload `customers` plus some bad rows (skipped); returns the dataset id. */
  async function uploadWithBadRows(customers: CardCustomer[], encoding: 'utf-8-bom' | 'gbk'): Promise<string> {
    const lines = csvOf(customers).trimEnd().split('\r\n');
    // Bad rows at fixed places: a non-number, a non-boolean, a short row.
    lines.splice(10, 0, 'BAD1,lots,,true,惠城区');
    lines.splice(500, 0, 'BAD2,1000,,perhaps,惠阳区');
    lines.splice(1500, 0, 'BAD3,1000');
    let body: Buffer;
    if (encoding === 'gbk') {
      lines[0] = '客户编号,日均综合金融资产,家庭日均综合金融资产,持有有效身份证件,所属区域';
      body = iconv.encode(lines.join('\r\n') + '\r\n', 'gbk');
    } else {
      body = Buffer.from('\uFEFF' + lines.join('\r\n') + '\r\n', 'utf8');
    }
    const res = await t.http
      .post('/api/datasets?badRows=skip')
      .set(author.auth)
      .attach('file', body, `customers-${encoding}.csv`)
      .field('name', `card ${encoding}`)
      .expect(201);
    expect(res.body).toMatchObject({ name: `card ${encoding}`, rowCount: customers.length, skippedRows: 3 });
    expect(res.body.details.problems.map((p: { row: number }) => p.row)).toEqual([10, 500, 1500]);
    return res.body.id as string;
  }

  async function simulate(datasetId: string, groupBy?: string[]) {
    const created = await t.http.post('/api/simulations').set(author.auth).send({ candidateVersionId: draft.id, datasetId, groupBy }).expect(201);
    expect(created.body).toMatchObject({
      status: 'queued',
      baselineVersionId: activeId,
      candidateVersionId: draft.id,
      progress: { done: 0, total: expect.any(Number) },
    });
    return waitForStatus(t, author.auth, created.body.id, ['succeeded', 'failed', 'cancelled']);
  }

  function checkAgainstHand(result: Record<string, unknown>, customers: CardCustomer[]) {
    const want = expectedReport(customers, 300_000, 500_000);
    expect(result.total).toBe(customers.length);
    expect(result.matrix).toEqual(want.matrix); // every cell, zeros included
    expect(result.baseline).toEqual(want.baseline);
    expect(result.candidate).toEqual(want.candidate);
    expect({ up: result.upgrades, down: result.downgrades, same: result.unchanged }).toEqual({
      up: want.upgrades,
      down: want.downgrades,
      same: want.unchanged,
    });
    // Raising a threshold can only move customers down, and only PLATINUM → GOLD/SILVER.
    expect(want.upgrades).toBe(0);
    expect(want.downgrades).toBeGreaterThan(0);
    return want;
  }

  it('UTF-8 with BOM: every matrix cell, count, movement, group and the benefit cost match a computation by hand', async () => {
    const customers = cardCustomers(3000, 11);
    const datasetId = await uploadWithBadRows(customers, 'utf-8-bom');
    const sim = await simulate(datasetId, ['district']);
    expect(sim).toMatchObject({ status: 'succeeded', progress: { done: 3000, total: 3000 }, executor: 'threads', error: null });
    const result = sim.result as Record<string, unknown> & {
      groups: Record<string, unknown>[];
      cost: Record<string, unknown>;
      samples: Record<string, Record<string, Record<string, unknown>[]>>;
    };
    const want = checkAgainstHand(result, customers);

    // Per district, with the null-free group key.
    const groups = Object.fromEntries(result.groups.map((g) => [(g.group as { district: string }).district, g]));
    expect(Object.keys(groups).sort()).toEqual(Object.keys(want.groups).sort());
    for (const [district, g] of Object.entries(want.groups)) expect(groups[district]).toMatchObject(g);

    // Benefit bill: Σ unit cost × customers per package, baseline vs candidate.
    const bill = (counts: Record<string, number>) => CARD_TIERS.reduce((s, k) => s + counts[k] * PACKAGE_UNIT_COST[k], 0);
    expect(result.cost).toMatchObject({
      currency: 'CNY',
      baseline: bill(want.baseline),
      candidate: bill(want.candidate),
      change: bill(want.candidate) - bill(want.baseline),
    });
    // … and per tier, in ladder order: the tier's customers × its package's unit cost (the console shows these figures as given).
    expect(result.cost.tiers).toEqual(
      CARD_TIERS.map((key) => ({
        key,
        unitCost: PACKAGE_UNIT_COST[key],
        baselineCost: want.baseline[key] * PACKAGE_UNIT_COST[key],
        candidateCost: want.candidate[key] * PACKAGE_UNIT_COST[key],
        change: (want.candidate[key] - want.baseline[key]) * PACKAGE_UNIT_COST[key],
      })),
    );
    // A result stored before the API gave the per-tier bill is answered with the same figures.
    await t.app.get(DataSource).query(`UPDATE simulation SET result = result #- '{cost,tiers}' WHERE id = $1`, [sim.id]);
    const stored = await t.http.get(`/api/simulations/${sim.id}`).set(author.auth).expect(200);
    expect(stored.body.result.cost.tiers).toEqual(result.cost.tiers);

    // Samples: at most 20 per non-empty cell, in dataset order, explained by the engine, consistent with the cell.
    for (const [from, row] of Object.entries(want.matrix)) {
      for (const [to, n] of Object.entries(row)) {
        const samples = result.samples[from]?.[to] ?? [];
        expect(samples).toHaveLength(Math.min(20, n));
        const rows = samples.map((s) => s.row as number);
        expect(rows).toEqual([...rows].sort((a, b) => a - b));
        for (const s of samples) {
          const c = customers[(s.row as number) - 1];
          expect(s.customerId).toBe(c.customerId);
          expect([String(cardTier(c, 300_000)), String(cardTier(c, 500_000))]).toEqual([from, to]);
          expect(s).toMatchObject({ baselineTier: from === 'null' ? null : from, candidateTier: to === 'null' ? null : to });
          expect((s.explanation as Record<string, string[]>)['zh-CN'].length).toBeGreaterThan(0);
          expect((s.explanation as Record<string, string[]>).en.length).toBeGreaterThan(0);
        }
      }
    }
    // The first PLATINUM → GOLD customer is explained with the new threshold.
    const moved = result.samples.PLATINUM.GOLD[0] as { explanation: { en: string[] } };
    expect(moved.explanation.en.join('\n')).toContain('500,000');
    // … and projected under the candidate: back to PLATINUM with 500,000 (contract §9)
    expect((moved as unknown as { next: unknown }).next).toMatchObject({
      tier: { key: 'PLATINUM' },
      options: expect.arrayContaining([expect.objectContaining({ kind: 'fact', needed: 500_000 })]),
      explanation: { 'zh-CN': expect.arrayContaining([expect.stringContaining('（需达到 500,000）')]) },
    });
    expect(result.sampleCheck).toEqual({ checked: expect.any(Number), mismatches: 0 });
    expect(result.tiers).toEqual(CARD_TIERS.map((key, i) => expect.objectContaining({ key, rank: i + 1, baselineRank: i + 1, candidateRank: i + 1 })));

    // Per-customer CSV: one line per customer, tiers and movement as computed by hand.
    const csv = await t.http
      .get(`/api/simulations/${sim.id}/results.csv`)
      .set(author.auth)
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => cb(null, text));
      });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = (csv.body as string)
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\n');
    expect(lines[0]).toBe('row,customerId,baselineTier,candidateTier,movement,baselineEligible,candidateEligible');
    expect(lines).toHaveLength(customers.length + 1);
    lines.slice(1).forEach((line, i) => {
      const c = customers[i];
      const b = cardTier(c, 300_000);
      const k = cardTier(c, 500_000);
      const move = RANK[String(k)] < RANK[String(b)] ? 'upgrade' : RANK[String(k)] > RANK[String(b)] ? 'downgrade' : 'unchanged';
      // the card has no eligibility rule (a valid ID gates only the Silver card): everyone is eligible
      expect(line).toBe(`${i + 1},${c.customerId},${b ?? ''},${k ?? ''},${move},true,true`);
    });
  });

  it('GBK with Chinese headers: the same report by hand', async () => {
    const customers = cardCustomers(2500, 12);
    const datasetId = await uploadWithBadRows(customers, 'gbk');
    const sim = await simulate(datasetId);
    expect([sim.status, sim.error]).toEqual(['succeeded', null]);
    checkAgainstHand(sim.result as Record<string, unknown>, customers);
  });

  it('records the run in the audit log and lists runs (viewer may read, not run)', async () => {
    const customers = cardCustomers(50, 13);
    const dataset = await t.http.post('/api/datasets').set(author.auth).send({ name: 'json', rows: customers }).expect(201);
    const sim = await simulate(dataset.body.id);
    const events = await t.http.get(`/api/audit-events?entityType=simulation&entityId=${sim.id}`).set(author.auth).expect(200);
    expect(events.body).toEqual([expect.objectContaining({ action: 'simulation.create', actor: author.username })]);
    const viewer = await t.login(['viewer']);
    const list = await t.http.get('/api/simulations?range=[0,4]').set(viewer.auth).expect(200);
    expect(list.headers['content-range']).toMatch(/^simulations 0-\d+\/\d+$/);
    expect(list.body[0]).not.toHaveProperty('result');
    await t.http.get(`/api/simulations/${sim.id}`).set(viewer.auth).expect(200);
    await t.http.post('/api/simulations').set(viewer.auth).send({ candidateVersionId: draft.id, datasetId: dataset.body.id }).expect(403);
    const service = await t.login(['service']);
    await t.http.get('/api/simulations').set(service.auth).expect(403);
    for (const role of ['approver', 'compliance', 'admin'] as const) {
      const who = await t.login([role]);
      await t.http.post('/api/simulations').set(who.auth).send({ candidateVersionId: draft.id, datasetId: dataset.body.id }).expect(201);
    }
  });

  it('answers bad input with a clear 4xx', async () => {
    const full = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: 'full', rows: cardCustomers(20, 5) })
      .expect(201);
    const partial = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: 'no family column', rows: [{ customerId: 'X', avgDailyAssets: 1, hasValidId: true }] })
      .expect(201);
    const send = (body: Record<string, unknown>) => t.http.post('/api/simulations').set(author.auth).send(body);

    const missing = await send({ candidateVersionId: draft.id, datasetId: partial.body.id }).expect(422);
    expect(missing.body).toMatchObject({
      code: 'SIMULATION_DATASET_MISSING_FACTS',
      details: [expect.objectContaining({ path: 'datasetId', message: expect.stringContaining('familyAvgDailyAssets') })],
    });

    const other = await t.app.get(DataSource).query(`SELECT v.id FROM policy_version v JOIN policy p ON p.id = v.policy_id WHERE p.key = 'icbc-star' LIMIT 1`);
    const different = await send({ candidateVersionId: draft.id, baselineVersionId: other[0].id, datasetId: full.body.id }).expect(422);
    expect(different.body).toMatchObject({ code: 'SIMULATION_DIFFERENT_POLICIES', details: [expect.objectContaining({ path: 'baselineVersionId' })] });

    const unknownVersion = await send({ candidateVersionId: '00000000-0000-4000-8000-000000000000', datasetId: full.body.id }).expect(422);
    expect(unknownVersion.body.details).toEqual([expect.objectContaining({ path: 'candidateVersionId' })]);
    const unknownDataset = await send({ candidateVersionId: draft.id, datasetId: '00000000-0000-4000-8000-000000000000' }).expect(422);
    expect(unknownDataset.body.details).toEqual([expect.objectContaining({ path: 'datasetId' })]);
    const badGroup = await send({ candidateVersionId: draft.id, datasetId: full.body.id, groupBy: ['industry', 'avgDailyAssets'] }).expect(422);
    expect(badGroup.body.details).toEqual([
      expect.objectContaining({ path: 'groupBy[0]' }),
      expect.objectContaining({ path: 'groupBy[1]', message: expect.stringContaining('continuous') }),
    ]);
    const shape = await send({ candidateVersionId: 'nope', datasetId: full.body.id, extra: 1 }).expect(422);
    expect(shape.body.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['candidateVersionId']));

    await t.http.get('/api/simulations/00000000-0000-4000-8000-000000000000').set(author.auth).expect(404);
    await t.http.post('/api/simulations/00000000-0000-4000-8000-000000000000/cancel').set(author.auth).expect(404);
  });

  it('a draft policy without a version in effect needs an explicit baseline', async () => {
    const p = await t.http
      .post('/api/policies')
      .set(author.auth)
      .send({ key: `sim-nobase-${Date.now()}`, name: 'no baseline' })
      .expect(201);
    const { active } = await cardPolicy(t.app);
    const v = await t.http.post(`/api/policies/${p.body.id}/versions`).set(author.auth).send({ definition: active.definition }).expect(201);
    const ds = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: 'x', rows: cardCustomers(5, 1) })
      .expect(201);
    const res = await t.http.post('/api/simulations').set(author.auth).send({ candidateVersionId: v.body.id, datasetId: ds.body.id }).expect(422);
    expect(res.body.code).toBe('SIMULATION_NO_BASELINE');
    // Draft against draft is fine once named: both versions identical → everyone unchanged.
    const ok = await t.http
      .post('/api/simulations')
      .set(author.auth)
      .send({ candidateVersionId: v.body.id, baselineVersionId: v.body.id, datasetId: ds.body.id })
      .expect(201);
    const done = await waitForStatus(t, author.auth, ok.body.id, ['succeeded']);
    expect((done.result as { unchanged: number }).unchanged).toBe(5);
  });
});
