/**
 * The decision log for a year (issue 17): retention per policy, four-eyed and audited; whole months
 * dropped by the upkeep, a policy kept longer keeping its months; months created ahead; every table
 * of the partitioned log refusing UPDATE, DELETE and TRUNCATE.
 */
import type { Client } from 'pg';
import { DecisionPartitionsService } from '../../src/evaluation/decision-partitions.service';
import { cardDefinition, publishVersion, setupPolicy } from '../helpers/fixtures';
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

describe('decision retention per policy', () => {
  let t: TestApp & { db: Client };
  let author: { auth: Auth };
  let approver: { auth: Auth };
  let compliance: { auth: Auth; username: string };
  let admin: { auth: Auth; username: string };
  let short: { id: string; key: string };
  let long: { id: string; key: string };
  let shortFact: string;
  let longFact: string;
  beforeAll(async () => {
    t = await createIsolatedTestApp();
    author = await t.login(['author']);
    approver = await t.login(['approver']);
    compliance = await t.login(['compliance']);
    admin = await t.login(['admin']);
    ({ fact: shortFact, policy: short } = await setupPolicy(t, author.auth));
    ({ fact: longFact, policy: long } = await setupPolicy(t, author.auth));
    await publishVersion(t, author.auth, approver.auth, short.id, cardDefinition(shortFact));
    await publishVersion(t, author.auth, approver.auth, long.id, cardDefinition(longFact));
  });
  afterAll(() => t.close());

  const retention = (id: string) => `/api/policies/${id}/decision-retention`;

  it('a retention change waits for a second person: the requester cannot approve it; each step is audited', async () => {
    const before = await t.http.get(retention(short.id)).set(compliance.auth).expect(200);
    expect(before.body).toEqual({ policy: { id: short.id, key: short.key }, months: null, defaultMonths: null, effectiveMonths: null, request: null });

    const asked = await t.http.put(retention(short.id)).set(compliance.auth).send({ months: 12, comment: 'card decisions: one year' }).expect(200);
    expect(asked.body).toMatchObject({ months: null, effectiveMonths: null, request: { months: 12, requestedBy: compliance.username } });

    const self = await t.http
      .post(`${retention(short.id)}/approve`)
      .set(compliance.auth)
      .send({})
      .expect(403);
    expect(self.body.code).toBe('FOUR_EYES');
    expect((await t.http.get(retention(short.id)).set(compliance.auth).expect(200)).body.months).toBeNull();

    const approved = await t.http
      .post(`${retention(short.id)}/approve`)
      .set(admin.auth)
      .send({ comment: 'agreed' })
      .expect(200);
    expect(approved.body).toMatchObject({ months: 12, effectiveMonths: 12, request: null });
    // nothing left to approve
    expect(
      (
        await t.http
          .post(`${retention(short.id)}/approve`)
          .set(compliance.auth)
          .send({})
          .expect(404)
      ).body.code,
    ).toBe('NOT_FOUND');

    // the long policy: 36 months, asked by the admin, approved by compliance
    await t.http.put(retention(long.id)).set(admin.auth).send({ months: 36, comment: 'three years' }).expect(200);
    await t.http
      .post(`${retention(long.id)}/approve`)
      .set(compliance.auth)
      .send({})
      .expect(200);

    // a change turned down leaves the setting as it was
    await t.http.put(retention(long.id)).set(admin.auth).send({ months: 1, comment: 'too short?' }).expect(200);
    const rejected = await t.http
      .post(`${retention(long.id)}/reject`)
      .set(compliance.auth)
      .send({ comment: 'below the legal minimum' })
      .expect(200);
    expect(rejected.body).toMatchObject({ months: 36, request: null });

    const audit = await t.http.get('/api/audit-events').query({ entityId: short.id }).set(compliance.auth).expect(200);
    const actions = audit.body.map((e: { action: string; actor: string }) => `${e.action} by ${e.actor}`);
    expect(actions).toEqual(
      expect.arrayContaining([`decision_retention.request by ${compliance.username}`, `decision_retention.approve by ${admin.username}`]),
    );
    expect((await t.http.get('/api/audit-events/verify').set(compliance.auth).expect(200)).body.valid).toBe(true);
  });

  it('bad requests are refused with the path, never half-applied; only admin and compliance may ask', async () => {
    for (const months of [0, 1.5, 'twelve', 1201]) {
      const r = await t.http.put(retention(short.id)).set(compliance.auth).send({ months, comment: 'x' }).expect(422);
      expect(r.body.details.map((d: { path: string }) => d.path)).toEqual(['months']);
    }
    const noComment = await t.http.put(retention(short.id)).set(compliance.auth).send({ months: 6 }).expect(422);
    expect(noComment.body.details.map((d: { path: string }) => d.path)).toEqual(['comment']);
    await t.http.put(retention(short.id)).set(author.auth).send({ months: 6, comment: 'x' }).expect(403);
    await t.http.put(retention(short.id)).set(approver.auth).send({ months: 6, comment: 'x' }).expect(403);
    await t.http.put(retention('00000000-0000-4000-8000-000000000000')).set(compliance.auth).send({ months: 6, comment: 'x' }).expect(404);
    expect((await t.http.get(retention(short.id)).set(compliance.auth).expect(200)).body).toMatchObject({ months: 12, request: null });
  });

  it("the upkeep drops a month only when its policy's retention has passed: the policy kept longer keeps the same month", async () => {
    const partitions = t.app.get(DecisionPartitionsService);
    for (const p of [short, long]) {
      await t.db.query(`SELECT decision_partition_for($1, '2025-01-15T00:00:00Z')`, [p.id]);
    }
    await t.http
      .post('/api/evaluate')
      .set(author.auth)
      .send({ policy: short.key, customerId: 'S-NOW', facts: { [shortFact]: 1 } })
      .expect(200);
    await t.http
      .post('/api/evaluate')
      .set(author.auth)
      .send({ policy: long.key, customerId: 'L-NOW', facts: { [longFact]: 1 } })
      .expect(200);
    for (const [p, customer] of [
      [short, 'S-OLD'],
      [long, 'L-OLD'],
    ] as const) {
      await t.db.query(
        `INSERT INTO decision SELECT gen_random_uuid(), '2025-01-20T00:00:00Z', '2025-01-20T00:00:00Z', policy_id, policy_key, version_id, version_number, $2, actor, facts, eligible, tier_key, tier_rank, benefit_package_key, scores, trace FROM decision WHERE policy_id = $1 LIMIT 1`,
        [p.id, customer],
      );
    }
    // On 2026-06-01 January 2025 is 16 months old: past the short policy's 12 months, within the long one's 36.
    const dropped = await partitions.applyRetention(new Date('2026-06-01T00:00:00Z'));
    const hex = (id: string) => id.replace(/-/g, '');
    expect(dropped).toEqual([{ partition: `decision_${hex(short.id)}_202501`, policyId: short.id, from: new Date('2025-01-01T00:00:00Z'), rows: 1 }]);
    const left = (await t.db.query(`SELECT customer_id FROM decision WHERE policy_id = ANY($1) ORDER BY customer_id`, [[short.id, long.id]])).rows;
    expect(left.map((r) => r.customer_id)).toEqual(['L-NOW', 'L-OLD', 'S-NOW']);
    const audit = await t.http.get('/api/audit-events').query({ action: 'decision.retention' }).set(compliance.auth).expect(200);
    expect(audit.body).toEqual([
      expect.objectContaining({
        actor: 'system',
        entityId: `decision_${hex(short.id)}_202501`,
        before: expect.objectContaining({ policy: short.key, decisions: 1 }),
        comment: expect.stringContaining('retention 12 months'),
      }),
    ]);
  });

  it('the upkeep creates the current month and the two after it for every policy', async () => {
    const partitions = t.app.get(DecisionPartitionsService);
    const months = async (id: string) => (await partitions.partitions()).filter((p) => p.policyId === id).map((p) => p.name.slice(-6));
    const now = new Date();
    const ahead = [0, 1, 2].map((i) => {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1));
      return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    });
    await partitions.ensureAhead(now);
    expect(await months(short.id)).toEqual(expect.arrayContaining(ahead));
    await partitions.ensureAhead(new Date('2031-11-20T00:00:00Z'));
    expect(await months(long.id)).toEqual(expect.arrayContaining(['203111', '203112', '203201']));
    expect(await months(long.id)).not.toContain('203202');
  });

  it('every table of the log — the parent, each policy part, each month — refuses UPDATE, DELETE and TRUNCATE, even of no row', async () => {
    const tables: string[] = (await t.db.query(`SELECT relid::regclass::text AS t FROM pg_partition_tree('decision')`)).rows.map((r) => r.t);
    expect(tables.length).toBeGreaterThan(8);
    for (const table of tables) {
      await expect(t.db.query(`UPDATE ${table} SET tier_key = tier_key WHERE false`)).rejects.toThrow(/append-only: UPDATE/);
      await expect(t.db.query(`DELETE FROM ${table} WHERE false`)).rejects.toThrow(/append-only: DELETE/);
      await expect(t.db.query(`TRUNCATE ${table}`)).rejects.toThrow(/append-only: TRUNCATE/);
    }
    const [{ n }] = (await t.db.query(`SELECT count(*)::int AS n FROM decision`)).rows;
    expect(n).toBeGreaterThan(0);
  });

  it('a trace is stored as the json text the API wrote (the cheapest form that answers why) and served back unchanged', async () => {
    const e = await t.http
      .post('/api/evaluate')
      .set(author.auth)
      .send({ policy: short.key, customerId: 'TRACE', facts: { [shortFact]: 150_000 } })
      .expect(200);
    const [row] = (await t.db.query(`SELECT pg_typeof(trace)::text AS type FROM decision WHERE id = $1`, [e.body.decisionId])).rows;
    expect(row.type).toBe('json');
    const d = await t.http.get(`/api/decisions/${e.body.decisionId}`).set(compliance.auth).expect(200);
    expect(d.body.trace).toEqual(e.body.trace);
    expect(d.body.explanation.en.length).toBeGreaterThan(0);
  });
});
