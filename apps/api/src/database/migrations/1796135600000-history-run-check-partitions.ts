import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The statement-level check that history names existing runs (1796135500000) fires for statements on
 * tier_history itself; an INSERT aimed straight at one of its partitions fires only that partition's
 * statement triggers. The foreign key it replaced covered both, so each partition gets the same check
 * (an INSERT through tier_history still runs the check once: a partition's statement triggers fire
 * only when the statement names the partition).
 */
export class HistoryRunCheckPartitions1796135600000 implements MigrationInterface {
  name = 'HistoryRunCheckPartitions1796135600000';

  private async partitions(q: QueryRunner): Promise<string[]> {
    const rows: { name: string }[] = await q.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'tier_history'::regclass ORDER BY c.relname`,
    );
    return rows.map((r) => r.name);
  }

  public async up(q: QueryRunner): Promise<void> {
    for (const p of await this.partitions(q)) {
      await q.query(
        `CREATE TRIGGER ${p}_run_exists AFTER INSERT ON ${p} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tier_history_run_exists()`,
      );
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const p of await this.partitions(q)) await q.query(`DROP TRIGGER ${p}_run_exists ON ${p}`);
  }
}
