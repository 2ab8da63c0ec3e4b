/**
 * Household aggregates in simulations and rating runs (issue 13): the family card is rated on the average of its
 * members' assets, computed by the product from the member rows sharing a household id — across chunks of the
 * snapshot (10 rows a chunk here) — while each member's personal tier comes from the same rows.
 */
import { POLICY_FILE_FORMAT } from '@tierwise/policy-engine';
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';
import { propose } from './rating-fixtures';
import { waitForStatus } from './simulation-fixtures';

const today = () => new Date().toISOString().slice(0, 10);
type User = { auth: { Authorization: string }; username: string };
const gte = (fact: string, value: number) => ({ fact, operator: 'greaterThanInclusive', value });
const either = (p: number, f: number) => ({ any: [gte('memberAssets', p), gte('familyAvgAssets', f)] });
/** tiering-schemes.md §1: personal ≥ or family average ≥ (黑金 1,000,000 / 800,000; 白金 300,000 / 250,000). */
const family = {
  schemaVersion: 1,
  household: { key: 'householdId', facts: { familyAvgAssets: { avg: 'memberAssets' } } },
  tiers: [
    { key: 'BLACK', name: '黑金', when: either(1_000_000, 800_000) },
    { key: 'PLATINUM', name: '白金', when: either(300_000, 250_000) },
    { key: 'SILVER', name: '银卡' },
  ],
};
/** The same card on personal assets only (the candidate of the simulation). */
const personal = {
  schemaVersion: 1,
  tiers: [
    { key: 'BLACK', name: '黑金', when: { all: [gte('memberAssets', 1_000_000)] } },
    { key: 'PLATINUM', name: '白金', when: { all: [gte('memberAssets', 300_000)] } },
    { key: 'SILVER', name: '银卡' },
  ],
};

/**
 * 14 members; chunks of 10 rows, so household h1 (rows 9–11) spans chunks 0 and 1. c01 carries a stale precomputed
 * family average (9,999,999) that the product must not use; c02 has no household id (a household of its own); in h2 a
 * member without assets does not count (average of 500,000 and 0).
 */
const rows = [
  { customerId: 'c01', householdId: 'h0', memberAssets: 50_000, familyAvgAssets: 9_999_999 },
  { customerId: 'c02', householdId: null, memberAssets: 260_000 },
  ...[3, 4, 5, 6, 7, 8].map((i) => ({ customerId: `c0${i}`, householdId: `f${i}`, memberAssets: 10_000 })),
  { customerId: 'c09', householdId: 'h1', memberAssets: 1_200_000 },
  { customerId: 'c10', householdId: 'h1', memberAssets: 600_000 },
  { customerId: 'c11', householdId: 'h1', memberAssets: 600_000 }, // average exactly 800,000
  { customerId: 'c12', householdId: 'h2', memberAssets: 500_000 },
  { customerId: 'c13', householdId: 'h2', memberAssets: null },
  { customerId: 'c14', householdId: 'h2', memberAssets: 0 },
];
const FAMILY_TIERS: Record<string, string> = {
  c01: 'SILVER',
  c02: 'PLATINUM',
  c03: 'SILVER',
  c04: 'SILVER',
  c05: 'SILVER',
  c06: 'SILVER',
  c07: 'SILVER',
  c08: 'SILVER',
  c09: 'BLACK',
  c10: 'BLACK',
  c11: 'BLACK',
  c12: 'PLATINUM',
  c13: 'PLATINUM',
  c14: 'PLATINUM',
};

describe('household aggregates in the dataset pipelines', () => {
  let t: TestApp & { db: import('pg').Client };
  let author: User;
  let approver: User;
  let viewer: User;
  let v1: string;
  let v2: string;
  let datasetId: string;

  const savedChunkRows = process.env.DATASET_CHUNK_ROWS;
  beforeAll(async () => {
    process.env.DATASET_CHUNK_ROWS = '10'; // read from the environment when the app starts
    t = await createIsolatedTestApp();
    [author, approver, viewer] = await Promise.all([t.login(['author']), t.login(['approver']), t.login(['viewer'])]);
    const file = {
      format: POLICY_FILE_FORMAT,
      policy: { key: 'family-card', name: '家庭卡' },
      definition: family,
      testCases: [{ name: '1,000,000 → 黑金', facts: { memberAssets: 1_000_000 }, expectedTier: 'BLACK' }],
      catalog: {
        facts: [
          { key: 'familyAvgAssets', label: '家庭成员日均资产', type: 'number', unit: 'CNY' },
          { key: 'householdId', label: '家庭编号', type: 'string' },
          { key: 'memberAssets', label: '日均综合金融资产', type: 'number', unit: 'CNY' },
        ],
        benefits: [],
        benefitPackages: [],
      },
    };
    const imported = await t.http.post('/api/policies/import').set(author.auth).send(file).expect(201);
    v1 = imported.body.version.id;
    await t.http.post(`/api/policy-versions/${v1}/submit`).set(author.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${v1}/approve`).set(approver.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${v1}/publish`).set(approver.auth).send({}).expect(200);
    const draft = await t.http
      .post(`/api/policies/${imported.body.policy.id}/versions`)
      .set(author.auth)
      .send({ definition: personal, changeNote: '只看本人资产' })
      .expect(201);
    v2 = draft.body.id;
    const ds = await t.http.post('/api/datasets').set(author.auth).send({ name: 'family members', asOf: today(), rows }).expect(201);
    datasetId = ds.body.id;
    expect(ds.body).toMatchObject({ rowCount: 14 });
    expect((await t.db.query('SELECT chunk_count FROM dataset WHERE id = $1', [datasetId])).rows[0].chunk_count).toBe(2);
  });
  afterAll(async () => {
    if (savedChunkRows === undefined) delete process.env.DATASET_CHUNK_ROWS;
    else process.env.DATASET_CHUNK_ROWS = savedChunkRows;
    await t.close();
  });

  it("a simulation rates the family card on the members' average across chunks, each member's personal tier from the same rows", async () => {
    const created = await t.http.post('/api/simulations').set(author.auth).send({ candidateVersionId: v2, baselineVersionId: v1, datasetId }).expect(201);
    const sim = (await waitForStatus(t, author.auth, created.body.id, ['succeeded', 'failed', 'cancelled'])) as Record<string, unknown> & {
      result: {
        matrix: Record<string, Record<string, number>>;
        samples: Record<string, Record<string, { customerId: string; facts: Record<string, unknown> }[]>>;
        sampleCheck: unknown;
      };
    };
    expect(sim.status).toBe('succeeded');
    const m = sim.result.matrix;
    // household (baseline) → personal (candidate): h1's two 600,000 members fall to 白金, c02 (own household 260,000) and h2's members without assets to 银卡
    expect(m.BLACK).toMatchObject({ BLACK: 1, PLATINUM: 2 });
    expect(m.PLATINUM).toMatchObject({ PLATINUM: 1, SILVER: 3 });
    expect(m.SILVER).toMatchObject({ SILVER: 7, BLACK: 0, PLATINUM: 0 });
    const moved = sim.result.samples.BLACK.PLATINUM.map((s) => [s.customerId, s.facts.familyAvgAssets]);
    expect(moved).toEqual([
      ['c10', 800_000],
      ['c11', 800_000], // in the second chunk, aggregated with c09 and c10 of the first
    ]);
    expect(sim.result.sampleCheck).toEqual({ checked: expect.any(Number), mismatches: 0 });
  });

  it("a rating run puts every member's family tier in the ledger, not the stale precomputed average", async () => {
    const run = await propose(t, author.auth, { policy: 'family-card', datasetId });
    expect((run.result.matrix as Record<string, Record<string, number>>).null).toEqual({ BLACK: 3, PLATINUM: 4, SILVER: 7, null: 0 });
    await t.http.post(`/api/rating-runs/${run.id}/approve`).set(approver.auth).send({}).expect(200);
    for (const [customerId, tier] of Object.entries(FAMILY_TIERS)) {
      const res = await t.http.get(`/api/customers/${customerId}/tier`).query({ policy: 'family-card' }).set(viewer.auth).expect(200);
      expect([customerId, res.body.tier?.key]).toEqual([customerId, tier]);
    }
  });

  it('refuses a snapshot without the household id column (422 at datasetId), nothing started', async () => {
    const bare = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({
        name: 'no household ids',
        asOf: today(),
        rows: rows.map((r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'householdId' && k !== 'familyAvgAssets'))),
      })
      .expect(201);
    const res = await t.http.post('/api/rating-runs').set(author.auth).send({ policy: 'family-card', datasetId: bare.body.id }).expect(422);
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'datasetId', message: expect.stringContaining('householdId') })]);
    const sim = await t.http
      .post('/api/simulations')
      .set(author.auth)
      .send({ candidateVersionId: v2, baselineVersionId: v1, datasetId: bare.body.id })
      .expect(422);
    expect(sim.body.details).toEqual([expect.objectContaining({ path: 'datasetId', message: expect.stringContaining('householdId') })]);
  });
});
