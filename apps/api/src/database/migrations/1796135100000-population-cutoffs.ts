import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Population-relative conditions (issue 16, contract §10): a rating run (and a simulation) freezes the
 * cut-offs its population conditions used — the value at each cut, the population size, the snapshot's
 * day — in `cutoffs`, computed once by the run's population pass before any customer is evaluated.
 * Once written they never change (a trigger refuses it): the proposal shows them, approving the run
 * approves them, and single evaluations after the run is applied use exactly them.
 */
export class PopulationCutoffs1796135100000 implements MigrationInterface {
  name = 'PopulationCutoffs1796135100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rating_run ADD COLUMN cutoffs jsonb`);
    await q.query(`ALTER TABLE simulation ADD COLUMN cutoffs jsonb`);
    await q.query(`
      CREATE FUNCTION tierwise_cutoffs_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.cutoffs IS NOT NULL AND NEW.cutoffs IS DISTINCT FROM OLD.cutoffs THEN
          RAISE EXCEPTION 'the cut-offs of % % are frozen', TG_TABLE_NAME, OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER rating_run_cutoffs_frozen BEFORE UPDATE OF cutoffs ON rating_run FOR EACH ROW EXECUTE FUNCTION tierwise_cutoffs_frozen()`);
    await q.query(`CREATE TRIGGER simulation_cutoffs_frozen BEFORE UPDATE OF cutoffs ON simulation FOR EACH ROW EXECUTE FUNCTION tierwise_cutoffs_frozen()`);
    // the last applied run's cut-offs of a policy as of an instant: one index range
    await q.query(`CREATE INDEX rating_run_applied_cutoffs ON rating_run (policy_id, effective_at DESC) WHERE status = 'applied' AND cutoffs IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX rating_run_applied_cutoffs`);
    await q.query(`DROP TRIGGER simulation_cutoffs_frozen ON simulation`);
    await q.query(`DROP TRIGGER rating_run_cutoffs_frozen ON rating_run`);
    await q.query(`DROP FUNCTION tierwise_cutoffs_frozen()`);
    await q.query(`ALTER TABLE simulation DROP COLUMN cutoffs`);
    await q.query(`ALTER TABLE rating_run DROP COLUMN cutoffs`);
  }
}
