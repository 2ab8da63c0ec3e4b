import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The history's reference to its rating run, checked once per statement instead of once per row
 * (issue 11 acceptance 5: the foreign key `tier_history_run` looked up rating_run and locked its row
 * for every history row an apply writes — one SPI query per changed customer, 50,000 of them for a
 * 5 % run of 1,000,000, 1,000,000 for a first fill).
 *
 * What the foreign key guaranteed, and what guarantees it now:
 * - every history row's run_id names an existing run: an apply writes `run_id = $1`, the id of the
 *   run row it has locked FOR UPDATE in the same transaction — and the database still refuses any
 *   other value: a statement-level trigger checks the statement's new rows (its transition table)
 *   against rating_run with one anti-join, and raises (rolling the statement back) if one is missing;
 * - a run that history names cannot disappear: DELETE (or a change of id) of such a run, and
 *   TRUNCATE of rating_run while history names any run, raise.
 * The append-only guards of tier_history are unchanged (it still refuses every UPDATE but a plain
 * close of an open row, every DELETE and TRUNCATE).
 */
export class HistoryRunCheck1796135500000 implements MigrationInterface {
  name = 'HistoryRunCheck1796135500000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tier_history DROP CONSTRAINT tier_history_run`);
    await q.query(`
      CREATE FUNCTION tier_history_run_exists() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE missing uuid;
      BEGIN
        SELECT n.run_id INTO missing FROM new_rows n
         WHERE n.run_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM rating_run r WHERE r.id = n.run_id) LIMIT 1;
        IF missing IS NOT NULL THEN
          RAISE EXCEPTION 'tier history names rating run %, which does not exist', missing USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tier_history_run_exists AFTER INSERT ON tier_history REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tier_history_run_exists()`);
    await q.query(`
      CREATE FUNCTION rating_run_keep_history() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          IF EXISTS (SELECT 1 FROM tier_history WHERE run_id IS NOT NULL) THEN
            RAISE EXCEPTION 'rating runs are named by the tier history: TRUNCATE is not allowed' USING ERRCODE = 'foreign_key_violation';
          END IF;
          RETURN NULL;
        END IF;
        IF (TG_OP = 'DELETE' OR NEW.id IS DISTINCT FROM OLD.id) AND EXISTS (SELECT 1 FROM tier_history WHERE run_id = OLD.id) THEN
          RAISE EXCEPTION 'rating run % is named by the tier history: % is not allowed', OLD.id, TG_OP USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await q.query(`CREATE TRIGGER rating_run_keep_history BEFORE DELETE OR UPDATE OF id ON rating_run FOR EACH ROW EXECUTE FUNCTION rating_run_keep_history()`);
    await q.query(
      `CREATE TRIGGER rating_run_keep_history_truncate BEFORE TRUNCATE ON rating_run FOR EACH STATEMENT EXECUTE FUNCTION rating_run_keep_history()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER rating_run_keep_history_truncate ON rating_run`);
    await q.query(`DROP TRIGGER rating_run_keep_history ON rating_run`);
    await q.query(`DROP FUNCTION rating_run_keep_history()`);
    await q.query(`DROP TRIGGER tier_history_run_exists ON tier_history`);
    await q.query(`DROP FUNCTION tier_history_run_exists()`);
    await q.query(`ALTER TABLE tier_history ADD CONSTRAINT tier_history_run FOREIGN KEY (run_id) REFERENCES rating_run(id)`);
  }
}
