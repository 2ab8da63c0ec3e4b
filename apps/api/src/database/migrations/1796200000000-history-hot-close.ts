import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Free space left on each page of the history partitions and of tier_current, for the next run's updates. */
const FILLFACTOR = 90;

/**
 * Closing a history row and moving a customer's current row become HOT updates (issue 11 acceptance 5, the apply
 * of a 10,000,000-customer run).
 *
 * A close (`UPDATE tier_history SET valid_to`) was never HOT: valid_to is in the predicate of the unique partial
 * index `tier_history_open`, and the fill left no free space on the pages, so each closed row got a new heap tuple
 * on another page plus a new entry in the primary key, as-of and run indexes — and, after a checkpoint, a full-page
 * image of every index page it touched. Now:
 * - the history partitions and tier_current keep `fillfactor` 90 (pages written from now on keep 10 % free: room for
 *   the new version of the rows a run changes on the same page; pages already full stay as they are until rewritten);
 * - the one-open-row rule is enforced by a statement-level trigger instead of the index: after every INSERT into
 *   tier_history (or straight into a partition), for the statement's new open rows, another open row of the same
 *   customer and policy is refused with the unique index's own error code (23505). The trigger first locks the
 *   policies' `tier_ledger` rows (every writer of a ledger — apply, overrides — already holds that lock), so two
 *   transactions cannot each add an open row the other does not see. Only an INSERT can add an open row: the guard
 *   of 1796135400000 refuses every UPDATE but closing an open row, so no UPDATE can reopen one.
 * The append-only guards are unchanged.
 */
export class HistoryHotClose1796200000000 implements MigrationInterface {
  name = 'HistoryHotClose1796200000000';

  private async partitions(q: QueryRunner): Promise<string[]> {
    const rows: { name: string }[] = await q.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'tier_history'::regclass ORDER BY c.relname`,
    );
    return rows.map((r) => r.name);
  }

  public async up(q: QueryRunner): Promise<void> {
    // One probe of the customer's rows (an index, in their one partition) per new open row, whatever the statistics
    // say: LATERAL … LIMIT 1 cannot be turned into a join. As a semi join (EXISTS) on a ledger not yet analysed the
    // planner compared every new row with every open row (20,000 entered customers: 128 s; this way 0.27 s).
    await q.query(`
      CREATE FUNCTION tier_history_one_open() RETURNS trigger LANGUAGE plpgsql
      SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
      DECLARE dup record;
      BEGIN
        PERFORM 1 FROM tier_ledger l WHERE l.policy_id IN (SELECT n.policy_id FROM new_rows n WHERE n.valid_to IS NULL)
          ORDER BY l.policy_id FOR UPDATE;
        SELECT n.policy_id, n.customer_id INTO dup FROM new_rows n
          CROSS JOIN LATERAL (SELECT 1 FROM tier_history h
                               WHERE h.policy_id = n.policy_id AND h.customer_id = n.customer_id AND h.valid_to IS NULL AND h.id <> n.id
                               LIMIT 1) other
         WHERE n.valid_to IS NULL
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'tier history: customer % already has an open row for policy %', dup.customer_id, dup.policy_id
            USING ERRCODE = 'unique_violation';
        END IF;
        RETURN NULL;
      END $$`);
    for (const t of ['tier_history', ...(await this.partitions(q))]) {
      await q.query(
        `CREATE TRIGGER ${t}_one_open AFTER INSERT ON ${t} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tier_history_one_open()`,
      );
    }
    await q.query(`DROP INDEX tier_history_open`);
    for (const p of await this.partitions(q)) await q.query(`ALTER TABLE ${p} SET (fillfactor = ${FILLFACTOR})`);
    await q.query(`ALTER TABLE tier_current SET (fillfactor = ${FILLFACTOR})`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tier_current RESET (fillfactor)`);
    for (const p of await this.partitions(q)) await q.query(`ALTER TABLE ${p} RESET (fillfactor)`);
    await q.query(`CREATE UNIQUE INDEX tier_history_open ON tier_history (policy_id, customer_id) WHERE valid_to IS NULL`);
    for (const t of ['tier_history', ...(await this.partitions(q))]) await q.query(`DROP TRIGGER ${t}_one_open ON ${t}`);
    await q.query(`DROP FUNCTION tier_history_one_open()`);
  }
}
