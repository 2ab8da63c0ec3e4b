/**
 * Rating runs and the tier ledger (issue 11, contract §8) on the seeded cib-card policy: a run
 * proposes, someone else approves, the ledger changes at the run's instant and not before; as-of
 * lookups, history, evaluate's official tier, audit events with the run's summary, the database
 * refusing history changes, rejected runs, out-of-order / concurrent / stale applies, bad input.
 */
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../helpers/test-app';
import { seedCatalog } from './simulation-fixtures';
import { Auth, propose, snapshot, tierOf } from './rating-fixtures';

const POLICY = 'cib-card';
// The shared 2-core machine runs several engineers' suites at once: setting up the app and catalog alone took > 60 s there.
jest.setTimeout(180_000);

describe('rating runs on the tier ledger', () => {
  let t: TestApp;
  let author: { auth: Auth; username: string };
  let approver: { auth: Auth; username: string };
  let approver2: { auth: Auth; username: string };
  let viewer: { auth: Auth };
  let service: { auth: Auth };
  let db: DataSource;
  const tag = `R${Date.now().toString(36)}`;
  const c = (n: number) => `${tag}-${n}`;
  const ledgerRows = async () => Number((await db.query(`SELECT count(*)::int AS n FROM tier_history WHERE customer_id LIKE $1`, [`${tag}-%`]))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    await seedCatalog(t.app);
    author = await t.login(['author']);
    approver = await t.login(['approver']);
    approver2 = await t.login(['approver']);
    viewer = await t.login(['viewer']);
    service = await t.login(['service']);
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('proposes, is approved by someone else, and the ledger changes only then; as-of between two runs is the earlier run', async () => {
    const jan = await snapshot(t, author.auth, '2026-01-31', [
      { customerId: c(1), avgDailyAssets: 1_200_000 },
      { customerId: c(2), avgDailyAssets: 350_000 },
      { customerId: c(3), avgDailyAssets: 50_000 },
      { customerId: c(4), avgDailyAssets: 50_000, hasValidId: false },
    ]);
    // A viewer cannot start a run.
    await t.http.post('/api/rating-runs').set(viewer.auth).send({ policy: POLICY, datasetId: jan }).expect(403);

    const first = await propose(t, author.auth, { policy: POLICY, datasetId: jan });
    expect(first.result).toMatchObject({ total: 4, entered: 4, upgrades: 0, downgrades: 0, unchanged: 0, held: 0 });
    expect((first.result.matrix as Record<string, Record<string, number>>).null).toMatchObject({ BLACK: 1, PLATINUM: 1, SILVER: 1, null: 1 });
    expect(first.result.matrixHash).toMatch(/^[0-9a-f]{64}$/);
    // Nothing in the ledger before approval.
    expect((await tierOf(t, author.auth, c(1), POLICY)).status).toBe(404);
    expect((await tierOf(t, author.auth, c(1), POLICY)).body.code).toBe('LEDGER_NEVER_RATED');
    expect(await ledgerRows()).toBe(0);
    // Four-eyes: the starter cannot approve.
    const self = await t.http.post(`/api/rating-runs/${first.id}/approve`).set(author.auth).send({});
    expect(self.status).toBe(403);
    const selfApprover = await t.login(['author', 'approver']);
    const own = await propose(t, selfApprover.auth, { policy: POLICY, datasetId: jan });
    const ownApproval = await t.http.post(`/api/rating-runs/${own.id}/approve`).set(selfApprover.auth).send({});
    expect([ownApproval.status, ownApproval.body.code]).toEqual([403, 'RATING_SAME_PERSON']);
    await t.http.post(`/api/rating-runs/${own.id}/cancel`).set(selfApprover.auth).expect(200);
    expect(await ledgerRows()).toBe(0);

    const applied = await t.http.post(`/api/rating-runs/${first.id}/approve`).set(approver.auth).send({ comment: 'January rating' }).expect(200);
    expect(applied.body).toMatchObject({ status: 'applied', approvedBy: approver.username, startedBy: author.username });
    // Without effectiveAt the run takes effect at the moment of approval.
    const firstAt = new Date(applied.body.effectiveAt as string);
    expect(Math.abs(firstAt.getTime() - new Date(applied.body.approvedAt as string).getTime())).toBeLessThan(1000);
    expect(await ledgerRows()).toBe(4);
    const now1 = await tierOf(t, service.auth, c(1), POLICY);
    expect(now1.status).toBe(200);
    expect(now1.body).toMatchObject({ tier: { key: 'BLACK' }, since: firstAt.toISOString(), runId: first.id });
    expect((await tierOf(t, service.auth, c(4), POLICY)).body).toMatchObject({ tier: null });

    const feb = await snapshot(t, author.auth, '2026-02-28', [
      { customerId: c(1), avgDailyAssets: 500_000 },
      { customerId: c(2), avgDailyAssets: 350_000 },
      { customerId: c(3), avgDailyAssets: 150_000 },
    ]);
    const second = await propose(t, author.auth, { policy: POLICY, datasetId: feb });
    expect(second.result).toMatchObject({ total: 3, entered: 0, upgrades: 1, downgrades: 1, unchanged: 1, held: 0 });
    const m = second.result.matrix as Record<string, Record<string, number>>;
    expect([m.BLACK.PLATINUM, m.PLATINUM.PLATINUM, m.SILVER.GOLD]).toEqual([1, 1, 1]);
    const secondAt = new Date((await t.http.post(`/api/rating-runs/${second.id}/approve`).set(approver2.auth).send({}).expect(200)).body.effectiveAt as string);
    const between = new Date((firstAt.getTime() + secondAt.getTime()) / 2).toISOString();
    const iso = (ms: number) => new Date(ms).toISOString();

    // As-of: between the two runs → the earlier run's tier; after → the later; before the first → 404 of its own.
    expect((await tierOf(t, service.auth, c(1), POLICY, between)).body).toMatchObject({ tier: { key: 'BLACK' }, runId: first.id });
    expect((await tierOf(t, service.auth, c(1), POLICY, iso(secondAt.getTime() - 1))).body).toMatchObject({ tier: { key: 'BLACK' } });
    expect((await tierOf(t, service.auth, c(1), POLICY, secondAt.toISOString())).body).toMatchObject({ tier: { key: 'PLATINUM' }, runId: second.id });
    const before = await tierOf(t, service.auth, c(1), POLICY, iso(firstAt.getTime() - 1));
    expect([before.status, before.body.code]).toEqual([404, 'LEDGER_NOT_RATED_AT']);
    // A customer absent from the second snapshot keeps their tier.
    expect((await tierOf(t, service.auth, c(4), POLICY)).body).toMatchObject({ tier: null, runId: first.id });

    const history = await t.http
      .get(`/api/customers/${c(1)}/tiers`)
      .query({ policy: POLICY })
      .set(service.auth)
      .expect(200);
    expect(history.body).toEqual([
      expect.objectContaining({
        tier: expect.objectContaining({ key: 'BLACK' }),
        validFrom: firstAt.toISOString(),
        validTo: secondAt.toISOString(),
        previousTier: null,
        change: 'enter',
        runId: first.id,
        trace: { runId: first.id, snapshotRow: 1 },
      }),
      expect.objectContaining({
        tier: expect.objectContaining({ key: 'PLATINUM' }),
        validFrom: secondAt.toISOString(),
        validTo: null,
        previousTier: 'BLACK',
        change: 'downgrade',
        runId: second.id,
        reason: expect.objectContaining({ code: 'rated', en: expect.stringContaining('Platinum') }),
      }),
    ]);
    expect(history.headers['content-range']).toBe('tiers 0-1/2');

    // evaluate with customerId: the official tier beside the computed one when they differ, not when they agree.
    const differs = await t.http
      .post('/api/evaluate')
      .set(service.auth)
      .send({ policy: POLICY, customerId: c(1), facts: { avgDailyAssets: 2_000_000, hasValidId: true } })
      .expect(200);
    expect(differs.body.tier.key).toBe('BLACK');
    expect(differs.body.official).toMatchObject({ tier: { key: 'PLATINUM' }, runId: second.id });
    const agrees = await t.http
      .post('/api/evaluate')
      .set(service.auth)
      .send({ policy: POLICY, customerId: c(1), facts: { avgDailyAssets: 400_000, hasValidId: true } })
      .expect(200);
    expect(agrees.body.tier.key).toBe('PLATINUM');
    expect(agrees.body.official).toBeUndefined();

    // Audit: started, proposed, approved, applied — with the run's summary (counts, matrix hash).
    const events = await t.http.get(`/api/audit-events?entityType=rating_run&entityId=${second.id}`).set(approver.auth).expect(200);
    const actions = events.body.map((e: { action: string }) => e.action).sort();
    expect(actions).toEqual(['rating_run.apply', 'rating_run.approve', 'rating_run.propose', 'rating_run.start']);
    const applyEvent = events.body.find((e: { action: string }) => e.action === 'rating_run.apply');
    expect(applyEvent.after.summary).toMatchObject({ total: 3, upgrades: 1, downgrades: 1, unchanged: 1, matrixHash: second.result.matrixHash });

    // The database refuses any change of history except closing valid_to, and any delete.
    await expect(db.query(`UPDATE tier_history SET tier_key = 'GOLD' WHERE customer_id = $1`, [c(1)])).rejects.toThrow(/append-only/);
    await expect(db.query(`UPDATE tier_history SET valid_to = now() WHERE customer_id = $1 AND valid_to IS NOT NULL`, [c(1)])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM tier_history WHERE customer_id = $1`, [c(1)])).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE tier_history`)).rejects.toThrow(/append-only/);
    // History names the run that wrote it, and the database keeps it so (checked once per statement,
    // migration 1796135500000): a row naming no run is refused, and a run history names cannot be
    // deleted. Each attempt in a transaction rolled back, whatever happens (append-only rows stay).
    const refusal = async (sql: string, params: unknown[]) =>
      db
        .transaction(async (m) => {
          await m.query(sql, params);
          throw new Error('allowed');
        })
        .catch((e: Error) => e.message);
    expect(
      await refusal(
        `INSERT INTO tier_history (policy_id, customer_id, tier_key, change, reason, valid_from, run_id, version_id)
         SELECT policy_id, $1, tier_key, 'enter', reason, now(), gen_random_uuid(), version_id FROM tier_history WHERE customer_id = $2 LIMIT 1`,
        [c(99), c(1)],
      ),
    ).toMatch(/tier history names rating run [0-9a-f-]{36}, which does not exist/);
    // …also straight into the customer's partition (the foreign key covered the partitions too; a closed row, so the one-open-row index does not answer first)
    const [{ part }]: { part: string }[] = await db.query('SELECT tableoid::regclass::text AS part FROM tier_history WHERE customer_id = $1 LIMIT 1', [c(1)]);
    expect(
      await refusal(
        `INSERT INTO ${part} (id, policy_id, customer_id, tier_key, change, reason, valid_from, valid_to, run_id, version_id) OVERRIDING SYSTEM VALUE
         SELECT -1, policy_id, $1, tier_key, 'enter', reason, now() - interval '2 days', now() - interval '1 day', gen_random_uuid(), version_id
           FROM tier_history WHERE customer_id = $1 LIMIT 1`,
        [c(1)],
      ),
    ).toMatch(/tier history names rating run [0-9a-f-]{36}, which does not exist/);
    expect(await refusal('DELETE FROM rating_run WHERE id = $1', [first.id])).toMatch(/is named by the tier history: DELETE is not allowed/);
    expect(await refusal('UPDATE rating_run SET id = gen_random_uuid() WHERE id = $1', [first.id])).toMatch(
      /is named by the tier history: UPDATE is not allowed/,
    );
    expect(await ledgerRows()).toBe(6);

    // ---- rejected runs change nothing; out of order, concurrent and stale applies are refused, naming the other run.
    const mar = await snapshot(t, author.auth, '2026-03-31', [{ customerId: c(1), avgDailyAssets: 1_500_000 }]);
    const early = await t.http.post('/api/rating-runs').set(author.auth).send({ policy: POLICY, datasetId: mar, effectiveAt: between });
    expect([early.status, early.body.code]).toEqual([409, 'RATING_OUT_OF_ORDER']);
    expect(early.body.message).toContain(second.id);

    const rejected = await propose(t, author.auth, { policy: POLICY, datasetId: mar });
    const noComment = await t.http.post(`/api/rating-runs/${rejected.id}/reject`).set(approver.auth).send({});
    expect(noComment.status).toBe(422);
    await t.http.post(`/api/rating-runs/${rejected.id}/reject`).set(approver.auth).send({ comment: 'wrong month' }).expect(200);
    expect((await t.http.get(`/api/rating-runs/${rejected.id}`).set(author.auth).expect(200)).body.status).toBe('rejected');
    expect(await ledgerRows()).toBe(6);
    expect((await tierOf(t, service.auth, c(1), POLICY)).body.tier.key).toBe('PLATINUM');

    const a = await propose(t, author.auth, { policy: POLICY, datasetId: mar, effectiveAt: '2099-04-01T00:00:00+08:00' });
    const b = await propose(t, author.auth, { policy: POLICY, datasetId: mar, effectiveAt: '2099-05-01T00:00:00+08:00' });
    // a is approved for a future instant: approved, not applied; b cannot be approved meanwhile.
    expect((await t.http.post(`/api/rating-runs/${a.id}/approve`).set(approver.auth).send({}).expect(200)).body.status).toBe('approved');
    const concurrent = await t.http.post(`/api/rating-runs/${b.id}/approve`).set(approver.auth).send({});
    expect([concurrent.status, concurrent.body.code]).toEqual([409, 'RATING_APPLY_PENDING']);
    expect(concurrent.body.message).toContain(a.id);
    expect(await ledgerRows()).toBe(6);
    await t.http.post(`/api/rating-runs/${a.id}/cancel`).set(author.auth).expect(200);

    // Two proposals on the same ledger state: the second to be approved is stale once the first is applied.
    const x = await propose(t, author.auth, { policy: POLICY, datasetId: mar });
    const y = await propose(t, author.auth, { policy: POLICY, datasetId: mar });
    await t.http.post(`/api/rating-runs/${x.id}/approve`).set(approver.auth).send({}).expect(200);
    const stale = await t.http.post(`/api/rating-runs/${y.id}/approve`).set(approver.auth).send({});
    expect([stale.status, stale.body.code]).toEqual([409, 'RATING_STALE']);
    expect(stale.body.message).toContain(x.id);
    expect((await tierOf(t, service.auth, c(1), POLICY)).body.tier.key).toBe('BLACK');
  });

  it('bad input: unknown policy or dataset, a snapshot missing a fact the version needs, no customer ids → clear 4xx, nothing written', async () => {
    const runs = async () => Number((await db.query('SELECT count(*)::int AS n FROM rating_run'))[0].n);
    const before = await runs();
    const ds = await snapshot(t, author.auth, '2026-05-31', [{ customerId: c(9), avgDailyAssets: 1 }]);
    const unknownPolicy = await t.http.post('/api/rating-runs').set(author.auth).send({ policy: 'no-such-policy', datasetId: ds });
    expect([unknownPolicy.status, unknownPolicy.body.code, unknownPolicy.body.details]).toEqual([
      422,
      'RATING_UNKNOWN_POLICY',
      [{ path: 'policy', message: 'unknown policy' }],
    ]);
    const unknownDataset = await t.http.post('/api/rating-runs').set(author.auth).send({ policy: POLICY, datasetId: '00000000-0000-4000-8000-000000000000' });
    expect([unknownDataset.status, unknownDataset.body.code]).toEqual([422, 'RATING_UNKNOWN_DATASET']);
    const lacking = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: `${tag}-lacking`, asOf: '2026-05-31', rows: [{ customerId: c(9), avgDailyAssets: 5 }] })
      .expect(201);
    const missing = await t.http.post('/api/rating-runs').set(author.auth).send({ policy: POLICY, datasetId: lacking.body.id });
    expect([missing.status, missing.body.code]).toEqual([422, 'RATING_SNAPSHOT_MISSING_FACTS']);
    expect(missing.body.message).toContain('hasValidId');
    expect(missing.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'datasetId', message: expect.stringContaining('hasValidId') })]),
    );
    const noIds = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: `${tag}-noids`, rows: [{ avgDailyAssets: 5, hasValidId: true, familyAvgDailyAssets: 1 }] })
      .expect(201);
    const anonymous = await t.http.post('/api/rating-runs').set(author.auth).send({ policy: POLICY, datasetId: noIds.body.id });
    expect([anonymous.status, anonymous.body.code]).toEqual([422, 'RATING_SNAPSHOT_WITHOUT_IDS']);
    const badInstant = await t.http.post('/api/rating-runs').set(author.auth).send({ policy: POLICY, datasetId: ds, effectiveAt: 'tomorrow' });
    expect(badInstant.status).toBe(422);
    expect(await runs()).toBe(before);
  });
});
