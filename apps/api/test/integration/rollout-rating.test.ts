/**
 * Rating runs during a regional rollout (issue 13 acceptance 3, contract §11): at an instant when version 2
 * has started for one region only, one run rates the same facts with version 2 in that region and version 1
 * elsewhere — the resolver evaluation uses. The proposal counts customers per version and step, the ledger's
 * history names the version and the step for each customer, and as-of replay of each customer agrees.
 */
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';
import { propose, waitForRun } from './rating-fixtures';
import { rolloutPolicy } from './rollout-fixtures';

type User = { auth: { Authorization: string }; username: string };
const POLICY = 'rollout-rating-stars';

describe('rating runs during a regional rollout', () => {
  let t: TestApp & { db: import('pg').Client };
  let author: User;
  let approver: User;
  let service: User;
  let v1: string;
  let v2: string;
  let datasetId: string;
  let firstAt = '';
  // version 2 starts for east a few seconds after publication, for north an hour later, for everyone else two
  let base = Date.now();
  let eastAt = '';
  const rows = [
    { customerId: 'east-60', rolloutStars: 60, rolloutRegion: 'east' },
    { customerId: 'west-60', rolloutStars: 60, rolloutRegion: 'west' },
    { customerId: 'north-60', rolloutStars: 60, rolloutRegion: 'north' },
    { customerId: 'east-10', rolloutStars: 10, rolloutRegion: 'east' },
    { customerId: 'west-120', rolloutStars: 120, rolloutRegion: 'west' },
  ];
  const runs = async () => Number((await t.db.query('SELECT count(*) AS n FROM rating_run')).rows[0].n);

  beforeAll(async () => {
    t = await createIsolatedTestApp();
    [author, approver, service] = await Promise.all([t.login(['author']), t.login(['approver']), t.login(['service'])]);
    base = Date.now();
    eastAt = new Date(base + 10_000).toISOString();
    const northAt = new Date(base + 3_600_000).toISOString();
    const everyoneAt = new Date(base + 7_200_000).toISOString();
    ({ v1, v2 } = await rolloutPolicy(
      t,
      { author: author.auth, approver: approver.auth },
      POLICY,
      [
        { region: 'east', at: eastAt },
        { region: 'north', at: northAt },
      ],
      everyoneAt,
    ));
    const snap = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: 'stars by region', asOf: new Date(base).toISOString().slice(0, 10), rows })
      .expect(201);
    datasetId = snap.body.id;
  });
  afterAll(() => t.close());

  it('before the first step one version rates everyone (no rollout in the proposal)', async () => {
    const run = await propose(t, author.auth, { policy: POLICY, datasetId, effectiveAt: new Date(Date.parse(eastAt) - 1_000).toISOString() });
    expect(run.result).toMatchObject({ version: { id: v1, number: 1 }, rollout: null, upgrades: 0, entered: 5 });
    await t.http.post(`/api/rating-runs/${run.id}/cancel`).set(author.auth).send({}).expect(200);
  });

  it('a run proposed before the east step (instant: its approval) and approved once the step started is refused: east would get version 2', async () => {
    const run = await propose(t, author.auth, { policy: POLICY, datasetId });
    expect(run.result).toMatchObject({ version: { id: v1 }, rollout: null });
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(eastAt) - Date.now() + 200)));
    const refused = await t.http.post(`/api/rating-runs/${run.id}/approve`).set(approver.auth).send({}).expect(409);
    expect(refused.body).toMatchObject({ code: 'RATING_VERSION_CHANGED', details: [{ path: 'effectiveAt' }] });
    expect(refused.body.message).toContain('version 2 (step 1) is rolled out to some segments');
    expect((await t.http.get(`/api/rating-runs/${run.id}`).set(author.auth).expect(200)).body.status).toBe('proposed');
    expect((await t.db.query('SELECT count(*)::int AS n FROM tier_history')).rows[0].n).toBe(0);
    await t.http.post(`/api/rating-runs/${run.id}/cancel`).set(author.auth).send({}).expect(200);
  });

  it('a snapshot without the segment fact is refused with 422 naming it; nothing is started', async () => {
    const snap = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: 'stars without region', asOf: new Date(base).toISOString().slice(0, 10), rows: rows.map(({ rolloutRegion: _r, ...x }) => x) })
      .expect(201);
    const before = await runs();
    const refused = await t.http
      .post('/api/rating-runs')
      .set(author.auth)
      .send({ policy: POLICY, datasetId: snap.body.id, effectiveAt: new Date(Date.parse(eastAt) + 1_000).toISOString() })
      .expect(422);
    expect(refused.body).toMatchObject({
      code: 'RATING_SNAPSHOT_MISSING_FACTS',
      details: [{ path: 'datasetId', message: expect.stringContaining('rolloutRegion') }],
    });
    expect(refused.body.message).toContain('rolloutRegion');
    expect(await runs()).toBe(before);
  });

  it('one run rates east with version 2 (step 1) and west and north with version 1; history names the version and step; as-of replay agrees', async () => {
    // the run's instant: east has switched, north and everyone else not yet
    const at = new Date(Date.parse(eastAt) + 500).toISOString();
    firstAt = at;
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(at) - Date.now() + 200)));
    const run = await propose(t, author.auth, { policy: POLICY, datasetId, effectiveAt: at });
    const result = run.result as Record<string, unknown>;
    expect(result.rollout).toEqual([
      { versionId: v1, number: 1, rolloutStep: null, customers: 3 },
      { versionId: v2, number: 2, rolloutStep: 0, customers: 2 },
    ]);
    // the same 60 star points: HIGH in east, LOW in west and north
    expect(result.matrix).toMatchObject({ null: { HIGH: 2, LOW: 3 } });
    const samples = result.samples as { to: string; version?: { number: number; rolloutStep: number | null }; customers: { customerId: string }[] }[];
    const sampleOf = (id: string) => samples.find((s) => s.customers.some((c) => c.customerId === id));
    expect(sampleOf('east-60')).toMatchObject({ to: 'HIGH', version: { number: 2, rolloutStep: 0 } });
    expect(sampleOf('west-60')).toMatchObject({ to: 'LOW', version: { number: 1, rolloutStep: null } });
    // the staging rows carry each customer's version and step
    const staged = await t.db.query('SELECT customer_id, version_id, rollout_step FROM rating_run_change WHERE run_id = $1 ORDER BY customer_id', [run.id]);
    expect(staged.rows).toEqual([
      { customer_id: 'east-10', version_id: v2, rollout_step: 0 },
      { customer_id: 'east-60', version_id: v2, rollout_step: 0 },
      { customer_id: 'north-60', version_id: v1, rollout_step: null },
      { customer_id: 'west-120', version_id: v1, rollout_step: null },
      { customer_id: 'west-60', version_id: v1, rollout_step: null },
    ]);

    await t.http.post(`/api/rating-runs/${run.id}/approve`).set(approver.auth).send({}).expect(200);
    await waitForRun(t, author.auth, run.id, ['applied']);

    const expected: Record<string, { versionId: string; rolloutStep: number | null; tier: string }> = {
      'east-60': { versionId: v2, rolloutStep: 0, tier: 'HIGH' },
      'east-10': { versionId: v2, rolloutStep: 0, tier: 'LOW' },
      'west-60': { versionId: v1, rolloutStep: null, tier: 'LOW' },
      'north-60': { versionId: v1, rolloutStep: null, tier: 'LOW' },
      'west-120': { versionId: v1, rolloutStep: null, tier: 'HIGH' },
    };
    for (const row of rows) {
      const history = await t.http.get(`/api/customers/${row.customerId}/tiers`).query({ policy: POLICY }).set(service.auth).expect(200);
      expect(history.body).toHaveLength(1);
      const h = history.body[0];
      expect({ id: row.customerId, versionId: h.versionId, rolloutStep: h.rolloutStep, tier: h.tier.key, runId: h.runId }).toEqual({
        id: row.customerId,
        ...expected[row.customerId],
        runId: run.id,
      });
      const official = await t.http.get(`/api/customers/${row.customerId}/tier`).query({ policy: POLICY, at }).set(service.auth).expect(200);
      expect(official.body).toMatchObject({ versionId: expected[row.customerId].versionId, rolloutStep: expected[row.customerId].rolloutStep });
      // as-of replay: the customer's snapshot facts evaluated at the run's instant give the ledger's version, step and tier
      const { customerId: _c, ...facts } = row;
      const replay = await t.http.post('/api/evaluate').set(service.auth).send({ policy: POLICY, facts, at }).expect(200);
      expect({ versionId: replay.body.policy.versionId, rolloutStep: replay.body.policy.rolloutStep ?? null, tier: replay.body.tier.key }).toEqual(
        expected[row.customerId],
      );
    }
    // the current rows point at each customer's version too
    const current = await t.db.query(`SELECT customer_id, version_id FROM tier_current WHERE customer_id IN ('east-60', 'west-60') ORDER BY customer_id`);
    expect(current.rows).toEqual([
      { customer_id: 'east-60', version_id: v2 },
      { customer_id: 'west-60', version_id: v1 },
    ]);
  });

  it('each customer gets the lifecycle rules of their version: rated lower, east (version 2) is held by its grace, west (version 1) moves down', async () => {
    const lower = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({
        name: 'stars fell',
        asOf: new Date(base).toISOString().slice(0, 10),
        rows: [
          { customerId: 'east-60', rolloutStars: 10, rolloutRegion: 'east' },
          { customerId: 'west-120', rolloutStars: 10, rolloutRegion: 'west' },
        ],
      })
      .expect(201);
    const at = new Date(Date.parse(firstAt) + 1_000).toISOString();
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(at) - Date.now() + 200)));
    const run = await propose(t, author.auth, { policy: POLICY, datasetId: lower.body.id, effectiveAt: at });
    const result = run.result as {
      held: number;
      downgrades: number;
      samples: { rule: string; to: string; version?: { number: number }; lifecycle: { en: string } }[];
    };
    expect(result).toMatchObject({ held: 1, downgrades: 1 });
    const held = result.samples.find((x) => x.rule === 'grace');
    expect(held).toMatchObject({ to: 'HIGH', version: { number: 2 } });
    expect(held?.lifecycle.en).toMatch(/grace/i);
    expect(result.samples.find((x) => x.to === 'LOW')).toMatchObject({ version: { number: 1 } });
    await t.http.post(`/api/rating-runs/${run.id}/approve`).set(approver.auth).send({}).expect(200);
    await waitForRun(t, author.auth, run.id, ['applied']);
    const history = async (id: string) =>
      (await t.http.get(`/api/customers/${id}/tiers`).query({ policy: POLICY }).set(service.auth).expect(200)).body as {
        tier: { key: string };
        change: string;
        versionId: string;
        rolloutStep: number | null;
      }[];
    expect((await history('east-60')).map((h) => [h.tier.key, h.change])).toEqual([['HIGH', 'enter']]);
    expect((await history('west-120')).map((h) => [h.tier.key, h.change, h.versionId, h.rolloutStep])).toEqual([
      ['HIGH', 'enter', v1, null],
      ['LOW', 'downgrade', v1, null],
    ]);
  });

  it("rated lower in the same run, an east and a west customer get history reason texts worded with their own version's lifecycle rules", async () => {
    type History = { tier: { key: string }; change: string; versionId: string; reason: { code: string; 'zh-CN': string; en: string } }[];
    const history = async (id: string) =>
      (await t.http.get(`/api/customers/${id}/tiers`).query({ policy: POLICY }).set(service.auth).expect(200)).body as History;
    const rate = async (name: string, ratedRows: typeof rows, at: string) => {
      const snap = await t.http
        .post('/api/datasets')
        .set(author.auth)
        .send({ name, asOf: new Date(base).toISOString().slice(0, 10), rows: ratedRows })
        .expect(201);
      await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(at) - Date.now() + 200)));
      const run = await propose(t, author.auth, { policy: POLICY, datasetId: snap.body.id, effectiveAt: at });
      await t.http.post(`/api/rating-runs/${run.id}/approve`).set(approver.auth).send({}).expect(200);
      await waitForRun(t, author.auth, run.id, ['applied']);
      return run.result as { downgrades: number; upgrades: number; samples: { rule: string; lifecycle: { 'zh-CN': string; en: string } }[] };
    };
    // west-60 moves up to HIGH under version 1 (east-60 is not in this snapshot: kept, one run of version 2's grace used)
    const up = await rate(
      'west up',
      [{ customerId: 'west-60', rolloutStars: 120, rolloutRegion: 'west' }],
      new Date(Date.parse(firstAt) + 2_000).toISOString(),
    );
    expect(up).toMatchObject({ upgrades: 1, downgrades: 0 });
    // both rated LOW: east-60 a second run in a row, past version 2's grace of 1; west-60 under version 1, which has no grace
    const result = await rate(
      'both fell',
      [
        { customerId: 'east-60', rolloutStars: 10, rolloutRegion: 'east' },
        { customerId: 'west-60', rolloutStars: 10, rolloutRegion: 'west' },
      ],
      new Date(Date.parse(firstAt) + 3_000).toISOString(),
    );
    expect(result).toMatchObject({ downgrades: 2 });
    const east = (await history('east-60')).at(-1);
    expect(east).toMatchObject({ tier: { key: 'LOW' }, change: 'downgrade', versionId: v2 });
    expect(east?.reason).toMatchObject({
      code: 'grace-ended',
      en: 'rated below High in 2 consecutive runs: moved to Low',
      'zh-CN': '连续 2 次评级低于高：降至低',
    });
    // the proposal's sample said the same
    expect(result.samples.find((x) => x.rule === 'grace-ended')?.lifecycle).toEqual({ 'zh-CN': east?.reason['zh-CN'], en: east?.reason.en });
    const west = (await history('west-60')).at(-1);
    expect(west).toMatchObject({ tier: { key: 'LOW' }, change: 'downgrade', versionId: v1 });
    expect(west?.reason).toMatchObject({ code: 'rated', en: 'rated Low', 'zh-CN': '评为低' });
  });

  it('a run proposed during the rollout and approved after a further step started is refused: that region would get version 2', async () => {
    const now = Date.now();
    const east = new Date(now + 3_000).toISOString();
    const north = new Date(now + 9_000).toISOString();
    await rolloutPolicy(
      t,
      { author: author.auth, approver: approver.auth },
      'rollout-rating-steps',
      [
        { region: 'east', at: east },
        { region: 'north', at: north },
      ],
      new Date(now + 7_200_000).toISOString(),
    );
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(east) - Date.now() + 200)));
    // no effectiveAt: the run's instant is its approval; at creation east is on version 2, north not yet
    const run = await propose(t, author.auth, { policy: 'rollout-rating-steps', datasetId });
    expect((run.result as { rollout: { number: number; rolloutStep: number | null; customers: number }[] }).rollout).toEqual([
      expect.objectContaining({ number: 1, rolloutStep: null, customers: 3 }),
      expect.objectContaining({ number: 2, rolloutStep: 0, customers: 2 }),
    ]);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(north) - Date.now() + 200)));
    const refused = await t.http.post(`/api/rating-runs/${run.id}/approve`).set(approver.auth).send({}).expect(409);
    expect(refused.body).toMatchObject({ code: 'RATING_VERSION_CHANGED', details: [{ path: 'effectiveAt' }] });
    expect(refused.body.message).toContain(
      'version 2 (step 1, 2) is rolled out to some segments, not what the run evaluated with (version 2 (step 1) for some segments)',
    );
    expect((await t.http.get(`/api/rating-runs/${run.id}`).set(author.auth).expect(200)).body.status).toBe('proposed');
  });
});
