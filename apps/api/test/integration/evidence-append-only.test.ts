/**
 * Append-only evidence in the database (issue 14 point 9): every column of a published, superseded
 * or retired version is immutable — only the workflow's own moves pass —, every decision row is
 * immutable, and decisions expire only by dropping a whole month of the partitioned log, audited.
 */
import type { Client } from 'pg';
import { DecisionPartitionsService } from '../../src/evaluation/decision-partitions.service';
import { cardDefinition, publishVersion, setupPolicy } from '../helpers/fixtures';
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

describe('published, superseded and retired versions: every column immutable', () => {
  let t: TestApp & { db: Client };
  let author: { auth: Auth };
  let approver: { auth: Auth };
  beforeAll(async () => {
    t = await createIsolatedTestApp();
    author = await t.login(['author']);
    approver = await t.login(['approver']);
  });
  afterAll(() => t.close());

  const refused = (sql: string, params: unknown[]) => expect(t.db.query(sql, params)).rejects.toThrow(/(published|retired): it cannot change/);

  it('who submitted, approved and when, and every other column of a published version, refuse UPDATE', async () => {
    const { fact, policy } = await setupPolicy(t, author.auth);
    const v = await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact));
    for (const set of [
      `submitted_by = 'mallory'`,
      `submitted_at = now() - interval '1 day'`,
      `approved_by = 'mallory'`,
      `approved_at = now() - interval '1 day'`,
      `published_at = now() - interval '1 day'`,
      `created_at = now() - interval '1 year'`,
      `based_on = id`,
      `updated_at = now() - interval '1 day'`,
      `retired_by = 'mallory'`,
      `status = 'draft'`,
    ]) {
      await refused(`UPDATE policy_version SET ${set} WHERE id = $1`, [v.id]);
    }
    await expect(t.db.query('TRUNCATE policy_version CASCADE')).rejects.toThrow(/cannot be truncated/);
  });

  it('the workflow still supersedes and retires; a superseded or retired version then refuses every change', async () => {
    const { fact, policy } = await setupPolicy(t, author.auth);
    const v1 = await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact, 1_000_000));
    const v2 = await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact, 900_000));
    const [old] = (await t.db.query('SELECT superseded_at FROM policy_version WHERE id = $1', [v1.id])).rows;
    expect(old.superseded_at).not.toBeNull();
    await refused(`UPDATE policy_version SET approved_by = 'mallory' WHERE id = $1`, [v1.id]);
    await refused(`UPDATE policy_version SET superseded_at = NULL WHERE id = $1`, [v1.id]);

    await t.http.post(`/api/policy-versions/${v1.id}/retire`).set(approver.auth).send({ comment: 'old' }).expect(200);
    const [retired] = (await t.db.query('SELECT status, retired_by FROM policy_version WHERE id = $1', [v1.id])).rows;
    expect(retired.status).toBe('retired');
    await refused(`UPDATE policy_version SET retired_by = 'mallory' WHERE id = $1`, [v1.id]);
    await refused(`UPDATE policy_version SET status = 'published', retired_by = NULL, retired_at = NULL WHERE id = $1`, [v1.id]);
    // A retirement must set who and when, together, once.
    await refused(`UPDATE policy_version SET status = 'retired' WHERE id = $1`, [v2.id]);
    await expect(t.db.query('DELETE FROM policy_version WHERE id = $1', [v2.id])).rejects.toThrow(/cannot be deleted/);
  });
});

describe('decisions: immutable rows in a log partitioned by policy and month', () => {
  let t: TestApp & { db: Client };
  let author: { auth: Auth };
  let compliance: { auth: Auth };
  let policy: { id: string; key: string };
  let fact: string;
  beforeAll(async () => {
    t = await createIsolatedTestApp();
    author = await t.login(['author', 'approver']);
    const approver = await t.login(['approver']);
    compliance = await t.login(['compliance']);
    ({ fact, policy } = await setupPolicy(t, author.auth));
    await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact));
  });
  afterAll(() => t.close());

  const evaluate = (customerId: string) =>
    t.http
      .post('/api/evaluate')
      .set(author.auth)
      .send({ policy: policy.key, customerId, facts: { [fact]: 1_000_000 } })
      .expect(200);

  it('a decision of a policy created a moment ago lands in its month; UPDATE, DELETE and TRUNCATE are refused', async () => {
    const d = await evaluate('C-1');
    const month = new Date().toISOString().slice(0, 7).replace('-', '');
    const leaf = `decision_${policy.id.replace(/-/g, '')}_${month}`;
    const where = await t.db.query(`SELECT tableoid::regclass::text AS part FROM decision WHERE id = $1`, [d.body.decisionId]);
    expect(where.rows).toEqual([{ part: leaf }]);
    expect((await t.db.query(`SELECT relkind FROM pg_class WHERE relname = 'decision'`)).rows[0].relkind).toBe('p');
    await expect(t.db.query(`UPDATE decision SET tier_key = 'SILVER' WHERE id = $1`, [d.body.decisionId])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`UPDATE "${leaf}" SET tier_key = 'SILVER'`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM decision WHERE id = $1`, [d.body.decisionId])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE decision`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE "${leaf}"`)).rejects.toThrow(/append-only/);
    // Still found by id, by customer, by policy.
    await t.http.get(`/api/decisions/${d.body.decisionId}`).set(compliance.auth).expect(200);
    const list = await t.http.get('/api/decisions').query({ customerId: 'C-1', policy: policy.key }).set(compliance.auth).expect(200);
    expect(list.body.map((x: { id: string }) => x.id)).toEqual([d.body.decisionId]);
  });

  it('retention drops whole months older than the setting, each audited; younger months and their decisions stay', async () => {
    const partitions = t.app.get(DecisionPartitionsService);
    await t.db.query(`SELECT decision_partition_for($1, '2025-01-15T00:00:00Z'), decision_partition_for($1, '2025-02-01T00:00:00Z')`, [policy.id]);
    const insertOld = (at: string, customer: string) =>
      t.db.query(
        `INSERT INTO decision SELECT gen_random_uuid(), $2::timestamptz, $2::timestamptz, policy_id, policy_key, version_id, version_number, $3, actor, facts, eligible, tier_key, tier_rank, benefit_package_key, scores, trace FROM decision WHERE policy_id = $1 LIMIT 1`,
        [policy.id, at, customer],
      );
    await insertOld('2025-01-31T23:59:59.999Z', 'OLD-1');
    await insertOld('2025-01-01T00:00:00Z', 'OLD-2');
    await insertOld('2025-02-01T00:00:00Z', 'KEPT');
    await evaluate('NOW');
    const hex = policy.id.replace(/-/g, '');
    // Twelve months kept, on 2026-02-01: January 2025 has expired in full, February 2025 has not.
    const dropped = await partitions.applyRetention(new Date('2026-02-01T00:00:00Z'), 12);
    expect(dropped).toEqual([{ partition: `decision_${hex}_202501`, policyId: policy.id, from: new Date('2025-01-01T00:00:00Z'), rows: 2 }]);
    const left = (await t.db.query(`SELECT customer_id FROM decision WHERE policy_id = $1 ORDER BY evaluated_at`, [policy.id])).rows.map((r) => r.customer_id);
    expect(left).toEqual(['KEPT', 'C-1', 'NOW']);
    const audit = await t.http.get('/api/audit-events').query({ action: 'decision.retention' }).set(compliance.auth).expect(200);
    expect(audit.body).toEqual([
      expect.objectContaining({
        actor: 'system',
        entityType: 'decision_partition',
        entityId: `decision_${hex}_202501`,
        before: expect.objectContaining({ policy: policy.key, decisions: 2, from: '2025-01-01T00:00:00.000Z', to: '2025-02-01T00:00:00.000Z' }),
      }),
    ]);
    expect(await partitions.applyRetention(new Date('2026-02-01T00:00:00Z'), 12)).toEqual([]); // nothing twice
    expect((await t.http.get('/api/audit-events/verify').set(compliance.auth).expect(200)).body.valid).toBe(true);
  });

  it('creates the current and next month ahead for every policy', async () => {
    const partitions = t.app.get(DecisionPartitionsService);
    await partitions.ensureAhead(new Date('2030-12-20T00:00:00Z'));
    const names = (await partitions.partitions()).filter((p) => p.policyId === policy.id).map((p) => p.name.slice(-6));
    expect(names).toEqual(expect.arrayContaining(['203012', '203101']));
  });
});
