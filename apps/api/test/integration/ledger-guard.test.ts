/**
 * The ledger's history stays append-only with the cheaper guard (migration 1796135300000), its column list extended by 1796135400000 (rollout_step): the
 * trigger's WHEN lets only a plain close of an open row through without calling the guard, so it
 * must compare every other column — a column added to tier_history and not to the guard's list
 * would be silently changeable. Each refusal is checked on a real row, inside a transaction that is
 * rolled back.
 */
import { DataSource } from 'typeorm';
import { TIER_HISTORY_FIXED_COLUMNS } from '../../src/database/migrations/1796135400000-rollout-ledger';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('tier history guard', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('compares every column but valid_to', async () => {
    const cols: { column_name: string }[] = await db.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'tier_history' ORDER BY ordinal_position`,
    );
    expect(TIER_HISTORY_FIXED_COLUMNS.slice().sort()).toEqual(
      cols
        .map((c) => c.column_name)
        .filter((c) => c !== 'valid_to')
        .sort(),
    );
    const [trigger]: { def: string }[] = await db.query(
      `SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = 'tier_history'::regclass AND tgname = 'tier_history_guard'`,
    );
    for (const c of TIER_HISTORY_FIXED_COLUMNS) expect(trigger.def).toContain(`new.${c}`);
  });

  it('lets a close through and refuses anything else, row by row', async () => {
    const qr = db.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      const customer = `guard-${Date.now()}`;
      const [row]: { id: string }[] = await qr.query(
        `INSERT INTO tier_history (policy_id, customer_id, tier_key, change, reason, valid_from, version_id)
         VALUES (gen_random_uuid(), $1, 'GOLD', 'enter', '{"code":"first"}', now() - interval '1 day', gen_random_uuid()) RETURNING id`,
        [customer],
      );
      const attempt = async (sql: string) => {
        await qr.query('SAVEPOINT s');
        try {
          await qr.query(sql, [customer]);
          await qr.query('RELEASE SAVEPOINT s');
          return 'allowed';
        } catch (e) {
          await qr.query('ROLLBACK TO SAVEPOINT s');
          return /append-only/.test((e as Error).message) ? 'refused' : (e as Error).message;
        }
      };
      // closing together with any other column, or not closing at all
      expect(await attempt(`UPDATE tier_history SET valid_to = now(), tier_key = 'PLATINUM' WHERE customer_id = $1`)).toBe('refused');
      expect(await attempt(`UPDATE tier_history SET valid_to = now(), reason = '{"code":"x"}' WHERE customer_id = $1`)).toBe('refused');
      expect(await attempt(`UPDATE tier_history SET valid_to = now(), snapshot_row = 7 WHERE customer_id = $1`)).toBe('refused');
      expect(await attempt(`UPDATE tier_history SET recorded_at = now() WHERE customer_id = $1`)).toBe('refused');
      expect(await attempt(`DELETE FROM tier_history WHERE customer_id = $1`)).toBe('refused');
      // the one change allowed: closing the open row; then it is closed for good
      expect(await attempt(`UPDATE tier_history SET valid_to = now() WHERE customer_id = $1`)).toBe('allowed');
      expect(await attempt(`UPDATE tier_history SET valid_to = now() + interval '1 day' WHERE customer_id = $1`)).toBe('refused');
      expect(await attempt(`UPDATE tier_history SET valid_to = NULL WHERE customer_id = $1`)).toBe('refused');
      const [after]: { id: string; tier_key: string; closed: boolean }[] = await qr.query(
        'SELECT id, tier_key, valid_to IS NOT NULL AS closed FROM tier_history WHERE customer_id = $1',
        [customer],
      );
      expect(after).toEqual({ id: row.id, tier_key: 'GOLD', closed: true });
    } finally {
      await qr.rollbackTransaction().catch(() => undefined);
      await qr.release();
    }
  });

  it('refuses a second open row for a customer and policy, however it is inserted (no unique index over valid_to any more)', async () => {
    const qr = db.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      const customer = `open-${Date.now()}`;
      const [{ policy }]: { policy: string }[] = await qr.query('SELECT gen_random_uuid() AS policy');
      // a closed row (history) tells which partition holds the customer
      const [{ partition }]: { partition: string }[] = await qr.query(
        `INSERT INTO tier_history (policy_id, customer_id, tier_key, change, reason, valid_from, valid_to, version_id)
         VALUES ($1, $2, 'BRONZE', 'enter', '{"code":"first"}', now() - interval '3 days', now() - interval '2 days', gen_random_uuid())
         RETURNING tableoid::regclass::text AS partition`,
        [policy, customer],
      );
      const row = (tier: string, validTo = 'NULL') =>
        `($1, $2, '${tier}', 'enter', '{"code":"first"}', now() - interval '2 days', ${validTo}, gen_random_uuid())`;
      // (straight into the partition: PostgreSQL 15's partition has no identity, 17+ inherits tier_history's ALWAYS one —
      // the id is given from tier_history's sequence, OVERRIDING SYSTEM VALUE on either)
      const insert = async (into: string, ...rows: string[]) => {
        const direct = into !== 'tier_history';
        const values = direct ? rows.map((r) => r.replace('($1', "(nextval(pg_get_serial_sequence('tier_history', 'id')), $1")) : rows;
        await qr.query('SAVEPOINT s');
        try {
          await qr.query(
            `INSERT INTO ${into} (${direct ? 'id, ' : ''}policy_id, customer_id, tier_key, change, reason, valid_from, valid_to, version_id)${direct ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES ${values.join(', ')}`,
            [policy, customer],
          );
          await qr.query('RELEASE SAVEPOINT s');
          return 'allowed';
        } catch (e) {
          await qr.query('ROLLBACK TO SAVEPOINT s');
          return (e as { code?: string }).code === '23505' && /already has an open row/.test((e as Error).message) ? 'refused' : (e as Error).message;
        }
      };
      // two open rows in one statement, through the table or straight into its partition
      expect(await insert('tier_history', row('GOLD'), row('SILVER'))).toBe('refused');
      expect(await insert(partition, row('GOLD'), row('SILVER'))).toBe('refused');
      // one open row, then a second one by another statement (either way in)
      expect(await insert('tier_history', row('GOLD'))).toBe('allowed');
      expect(await insert('tier_history', row('SILVER'))).toBe('refused');
      expect(await insert(partition, row('SILVER'))).toBe('refused');
      // closed rows are history: any number of them beside the open one
      expect(await insert('tier_history', row('SILVER', "now() - interval '1 day'"), row('BRONZE', "now() - interval '1 day'"))).toBe('allowed');
      // once the open row is closed, the next one may open (what an apply does)
      await qr.query('UPDATE tier_history SET valid_to = now() WHERE customer_id = $1 AND policy_id = $2 AND valid_to IS NULL', [customer, policy]);
      expect(await insert('tier_history', row('PLATINUM'))).toBe('allowed');
      const open: { tier_key: string }[] = await qr.query('SELECT tier_key FROM tier_history WHERE customer_id = $1 AND policy_id = $2 AND valid_to IS NULL', [
        customer,
        policy,
      ]);
      expect(open).toEqual([{ tier_key: 'PLATINUM' }]);
    } finally {
      await qr.rollbackTransaction().catch(() => undefined);
      await qr.release();
    }
  });
});
