/**
 * Overrides of official tiers (issue 12 acceptance 1 and 4, contract §9) on a
 * policy (no lifecycle rules: the rated tier is the official tier): a floor keeps a customer at
 * 白金 through a run that would lower them and, after its expiry, the next read shows the rated tier
 * with a `revert` entry; a set override pins; a ceiling caps; the requester cannot approve; an
 * expiry that passed while the API was stopped is applied at start; bad input → 4xx, nothing written.
 */
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../helpers/test-app';
import { seedCatalog } from './simulation-fixtures';
import { Auth, propose, snapshot, tierOf } from './rating-fixtures';
import { ownPolicy } from './overrides-fixtures';

const POLICY = `ov-${Date.now().toString(36)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('overrides of official tiers', () => {
  let t: TestApp;
  let author: { auth: Auth; username: string };
  let approver: { auth: Auth; username: string };
  let viewer: { auth: Auth };
  let db: DataSource;
  const tag = `O${Date.now().toString(36)}`;
  const c = (n: number) => `${tag}-${n}`;
  const previous = process.env.OVERRIDE_SWEEP_MS;

  beforeAll(async () => {
    process.env.OVERRIDE_SWEEP_MS = '200';
    t = await createTestApp();
    await seedCatalog(t.app);
    author = await t.login(['author']);
    approver = await t.login(['approver']);
    viewer = await t.login(['viewer']);
    db = t.app.get(DataSource);
    await ownPolicy(t, author.auth, approver.auth, POLICY);
  });
  afterAll(async () => {
    await t.close();
    process.env.OVERRIDE_SWEEP_MS = previous;
  });

  const history = async (id: string) => (await t.http.get(`/api/customers/${id}/tiers`).query({ policy: POLICY }).set(viewer.auth).expect(200)).body;
  const request = (id: string, body: Record<string, unknown>, auth = author.auth) => t.http.post(`/api/customers/${id}/overrides`).set(auth).send(body);
  const approve = (id: string, auth = approver.auth) => t.http.post(`/api/overrides/${id}/approve`).set(auth).send({});

  it('floor holds through a lowering run and reverts after expiry; set pins; ceiling caps; four-eyes; ending early is audited', async () => {
    const jan = await snapshot(t, author.auth, '2026-01-31', [
      { customerId: c(1), avgDailyAssets: 350_000 },
      { customerId: c(2), avgDailyAssets: 150_000 },
      { customerId: c(3), avgDailyAssets: 1_200_000 },
      { customerId: c(4), avgDailyAssets: 350_000 },
    ]);
    const first = await propose(t, author.auth, { policy: POLICY, datasetId: jan });
    await t.http.post(`/api/rating-runs/${first.id}/approve`).set(approver.auth).send({}).expect(200);
    expect((await tierOf(t, viewer.auth, c(1), POLICY)).body.tier.key).toBe('PLATINUM');

    // A floor at 白金 for c1, expiring in 40 s (the second run below must be applied before it ends,
    // which took more than 15 s on a loaded machine); the requester cannot approve it.
    const expiresAt = new Date(Date.now() + 40_000).toISOString();
    const floor = await request(c(1), { policy: POLICY, tier: 'PLATINUM', mode: 'floor', reason: 'keep until the quarter ends', expiresAt });
    expect(floor.status).toBe(201);
    expect(floor.body).toMatchObject({
      status: 'pending',
      mode: 'floor',
      tier: { key: 'PLATINUM', name: expect.stringContaining('白金') },
      customerId: c(1),
      requestedBy: author.username,
    });
    const self = await approve(floor.body.id, author.auth);
    expect(self.status).toBe(403); // an author is no approver
    const both = await t.login(['author', 'approver']);
    const own = await request(c(4), { policy: POLICY, tier: 'BLACK', mode: 'set', reason: 'own' }, both.auth);
    const ownApproval = await approve(own.body.id, both.auth);
    expect([ownApproval.status, ownApproval.body.code]).toEqual([403, 'OVERRIDE_SAME_PERSON']);
    expect((await tierOf(t, viewer.auth, c(4), POLICY)).body.tier.key).toBe('PLATINUM');
    await t.http.delete(`/api/overrides/${own.body.id}`).set(both.auth).expect(200);
    expect((await t.http.get(`/api/overrides/${own.body.id}`).set(viewer.auth).expect(200)).body.status).toBe('withdrawn');

    const active = await approve(floor.body.id);
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ status: 'active', approvedBy: approver.username });
    // Already 白金: the floor changes nothing now, so no ledger row.
    expect((await history(c(1))).map((h: { change: string }) => h.change)).toEqual(['enter']);

    // A set pins c2 at 白金 at once (ledger row `override`); a ceiling caps c3 at 金卡 at once.
    const set = await request(c(2), { policy: POLICY, tier: 'PLATINUM', mode: 'set', reason: 'relationship manager decision' });
    await approve(set.body.id).expect(200);
    const ceiling = await request(c(3), { policy: POLICY, tier: 'GOLD', mode: 'ceiling', reason: 'under review' });
    await approve(ceiling.body.id).expect(200);
    expect((await tierOf(t, viewer.auth, c(2), POLICY)).body).toMatchObject({ tier: { key: 'PLATINUM' }, change: 'override', runId: null });
    expect((await tierOf(t, viewer.auth, c(3), POLICY)).body).toMatchObject({ tier: { key: 'GOLD' }, change: 'override' });
    const c2 = await history(c(2));
    expect(c2.map((h: { change: string }) => h.change)).toEqual(['enter', 'override']);
    expect(c2[1]).toMatchObject({ previousTier: 'GOLD', reason: expect.objectContaining({ code: 'override-set', overrideId: set.body.id }) });

    // A run that would lower c1 (→ GOLD), c2 (→ SILVER) and raise c3 (→ BLACK): each held by its override, counted in the proposal.
    const feb = await snapshot(t, author.auth, '2026-02-28', [
      { customerId: c(1), avgDailyAssets: 150_000 },
      { customerId: c(2), avgDailyAssets: 50_000 },
      { customerId: c(3), avgDailyAssets: 2_000_000 },
      { customerId: c(4), avgDailyAssets: 150_000 },
    ]);
    const second = await propose(t, author.auth, { policy: POLICY, datasetId: feb });
    expect(second.result).toMatchObject({ total: 4, overridden: 3, overriddenBy: { floor: 1, set: 1, ceiling: 1 }, downgrades: 1, unchanged: 3 });
    const m = second.result.matrix as Record<string, Record<string, number>>;
    expect([m.PLATINUM.PLATINUM, m.PLATINUM.GOLD, m.GOLD.GOLD]).toEqual([2, 1, 1]);
    await t.http.post(`/api/rating-runs/${second.id}/approve`).set(approver.auth).send({}).expect(200);
    expect((await tierOf(t, viewer.auth, c(1), POLICY)).body.tier.key).toBe('PLATINUM');
    expect((await tierOf(t, viewer.auth, c(2), POLICY)).body.tier.key).toBe('PLATINUM');
    expect((await tierOf(t, viewer.auth, c(3), POLICY)).body.tier.key).toBe('GOLD');
    expect((await tierOf(t, viewer.auth, c(4), POLICY)).body.tier.key).toBe('GOLD');

    // At expiry the floor ends by the sweep: the next read shows the rated tier (金卡) with a `revert` entry.
    await until(
      'the floor to expire',
      async () => {
        const o = await t.http.get(`/api/overrides/${floor.body.id}`).set(viewer.auth).expect(200);
        return o.body.status === 'expired' ? o.body : undefined;
      },
      60_000,
    );
    const now1 = await tierOf(t, viewer.auth, c(1), POLICY);
    expect(now1.body).toMatchObject({ tier: { key: 'GOLD' }, change: 'revert', since: new Date(expiresAt).toISOString() });
    const c1 = await history(c(1));
    expect(c1.map((h: { change: string }) => h.change)).toEqual(['enter', 'revert']);
    expect(c1[1]).toMatchObject({ previousTier: 'PLATINUM', reason: expect.objectContaining({ code: 'override-revert', baseTier: 'GOLD' }) });

    // Ending early: c3's ceiling ends, c3 returns to what the February run rated (黑金), audited.
    await t.http.delete(`/api/overrides/${ceiling.body.id}`).set(approver.auth).send({ comment: 'review done' }).expect(200);
    expect((await tierOf(t, viewer.auth, c(3), POLICY)).body).toMatchObject({ tier: { key: 'BLACK' }, change: 'revert' });
    const ended = await t.http.get(`/api/overrides/${ceiling.body.id}`).set(viewer.auth).expect(200);
    expect(ended.body).toMatchObject({ status: 'ended', endedBy: approver.username, comment: 'review done' });
    const audit = await t.http.get(`/api/audit-events?entityType=override&entityId=${ceiling.body.id}`).set(approver.auth).expect(200);
    expect(audit.body.map((e: { action: string }) => e.action).sort()).toEqual(['override.approve', 'override.end', 'override.request']);
    const expiry = await t.http.get(`/api/audit-events?entityType=override&entityId=${floor.body.id}&action=override.expire`).set(approver.auth).expect(200);
    expect(expiry.body).toHaveLength(1);

    // The set still pins c2; list and filter.
    const listed = await t.http
      .get('/api/overrides')
      .query({ customerId: c(2), status: 'active' })
      .set(viewer.auth)
      .expect(200);
    expect(listed.body.map((o: { id: string }) => o.id)).toEqual([set.body.id]);
    expect(listed.headers['content-range']).toBe('overrides 0-0/1');
    const all = await t.http
      .get('/api/overrides')
      .query({ filter: JSON.stringify({ policy: POLICY, status: 'expired,ended' }), range: '[0,99]' })
      .set(viewer.auth)
      .expect(200);
    expect(all.body.map((o: { id: string }) => o.id).filter((id: string) => [floor.body.id, ceiling.body.id].includes(id))).toHaveLength(2);
    const ofCustomer = await t.http
      .get(`/api/customers/${c(1)}/overrides`)
      .set(viewer.auth)
      .expect(200);
    expect(ofCustomer.body).toEqual([expect.objectContaining({ id: floor.body.id, status: 'expired', expiresAt })]);
  }, 150_000); // waits for the expiry: 40 s

  it('bad input: unknown tier, expiry in the past, overlapping overrides of one kind, floor above ceiling, unknown customer or policy → 4xx, nothing written', async () => {
    const ds = await snapshot(t, author.auth, '2026-03-31', [{ customerId: c(9), avgDailyAssets: 150_000 }]);
    const run = await propose(t, author.auth, { policy: POLICY, datasetId: ds });
    await t.http.post(`/api/rating-runs/${run.id}/approve`).set(approver.auth).send({}).expect(200);
    const count = async () => Number((await db.query('SELECT count(*)::int AS n FROM tier_override WHERE customer_id = $1', [c(9)]))[0].n);

    const unknownTier = await request(c(9), { policy: POLICY, tier: 'DIAMOND', mode: 'floor', reason: 'x' });
    expect([unknownTier.status, unknownTier.body.code, unknownTier.body.details[0].path]).toEqual([422, 'OVERRIDE_UNKNOWN_TIER', 'tier']);
    const past = await request(c(9), { policy: POLICY, tier: 'GOLD', mode: 'floor', reason: 'x', expiresAt: '2020-01-01T00:00:00Z' });
    expect([past.status, past.body.code, past.body.details]).toEqual([422, 'OVERRIDE_EXPIRY_IN_PAST', [{ path: 'expiresAt', message: 'is in the past' }]]);
    const unknownCustomer = await request(`${tag}-nobody`, { policy: POLICY, tier: 'GOLD', mode: 'floor', reason: 'x' });
    expect([unknownCustomer.status, unknownCustomer.body.code]).toEqual([404, 'OVERRIDE_UNKNOWN_CUSTOMER']);
    const unknownPolicy = await request(c(9), { policy: 'no-such-policy', tier: 'GOLD', mode: 'floor', reason: 'x' });
    expect([unknownPolicy.status, unknownPolicy.body.code, unknownPolicy.body.details[0].path]).toEqual([422, 'OVERRIDE_UNKNOWN_POLICY', 'policy']);
    const badMode = await request(c(9), { policy: POLICY, tier: 'GOLD', mode: 'raise', reason: '' });
    expect(badMode.status).toBe(422);
    expect(badMode.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['mode', 'reason']);
    expect(await count()).toBe(0);

    const first = await request(c(9), { policy: POLICY, tier: 'GOLD', mode: 'floor', reason: 'x' });
    expect(first.status).toBe(201);
    const overlap = await request(c(9), { policy: POLICY, tier: 'PLATINUM', mode: 'floor', reason: 'y' });
    expect([overlap.status, overlap.body.code, overlap.body.details[0].path]).toEqual([409, 'OVERRIDE_OVERLAPS', 'mode']);
    expect(overlap.body.message).toContain(first.body.id);
    const contradicts = await request(c(9), { policy: POLICY, tier: 'SILVER', mode: 'ceiling', reason: 'z' });
    expect([contradicts.status, contradicts.body.code]).toEqual([409, 'OVERRIDE_CONTRADICTS']);
    // Another kind is fine; a viewer cannot request; approving twice is refused.
    await request(c(9), { policy: POLICY, tier: 'BLACK', mode: 'ceiling', reason: 'cap' }).expect(201);
    await request(c(9), { policy: POLICY, tier: 'GOLD', mode: 'set', reason: 'x' }, viewer.auth).expect(403);
    await approve(first.body.id).expect(200);
    const again = await approve(first.body.id);
    expect([again.status, again.body.code]).toEqual([409, 'OVERRIDE_WRONG_STATUS']);
    const reject = await t.http.post(`/api/overrides/${first.body.id}/reject`).set(approver.auth).send({});
    expect(reject.status).toBe(422);
    expect(await count()).toBe(2);
    await t.http.get('/api/overrides/not-a-uuid').set(viewer.auth).expect(404);
  }, 120_000);
});

describe('override expiry while the API is stopped', () => {
  const previous = process.env.OVERRIDE_SWEEP_MS;
  afterAll(() => {
    process.env.OVERRIDE_SWEEP_MS = previous;
  });

  it('is applied at start', async () => {
    process.env.OVERRIDE_SWEEP_MS = '3600000'; // only the start-up sweep
    const tag = `S${Date.now().toString(36)}`;
    let t = await createTestApp();
    await seedCatalog(t.app);
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    const policy = await ownPolicy(t, author.auth, approver.auth, `ov-${tag}`.toLowerCase());
    const ds = await snapshot(t, author.auth, '2026-01-31', [{ customerId: `${tag}-1`, avgDailyAssets: 150_000 }]);
    const run = await propose(t, author.auth, { policy, datasetId: ds });
    await t.http.post(`/api/rating-runs/${run.id}/approve`).set(approver.auth).send({}).expect(200);
    const expiresAt = new Date(Date.now() + 2500).toISOString();
    const o = await t.http
      .post(`/api/customers/${tag}-1/overrides`)
      .set(author.auth)
      .send({ policy, tier: 'BLACK', mode: 'set', reason: 'campaign', expiresAt })
      .expect(201);
    await t.http.post(`/api/overrides/${o.body.id}/approve`).set(approver.auth).send({}).expect(200);
    expect((await tierOf(t, author.auth, `${tag}-1`, policy)).body.tier.key).toBe('BLACK');
    await t.close();

    await sleep(Date.parse(expiresAt) - Date.now() + 300);
    const db = new DataSource({ type: 'postgres', url: process.env.TEST_DATABASE_URL });
    await db.initialize();
    try {
      expect((await db.query('SELECT status FROM tier_override WHERE id = $1', [o.body.id]))[0].status).toBe('active');
      t = await createTestApp();
      await until('the start-up sweep', async () => {
        const [r] = await db.query('SELECT status FROM tier_override WHERE id = $1', [o.body.id]);
        return r.status === 'expired' ? r : undefined;
      });
      const viewer = await t.login(['viewer']);
      const now = await tierOf(t, viewer.auth, `${tag}-1`, policy);
      expect(now.body).toMatchObject({ tier: { key: 'GOLD' }, change: 'revert', since: expiresAt });
    } finally {
      await db.destroy();
      await t.close();
    }
  });
});
