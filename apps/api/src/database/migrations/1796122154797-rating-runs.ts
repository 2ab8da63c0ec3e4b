import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rating runs (contract §8) on the shared job machinery: the run (with the common job columns),
 * its per-chunk parts, and the staging rows of its proposal — only the customers whose ledger state
 * would change (a new tier, or a grace counter), written by COPY from the chunks and applied
 * set-based in one transaction after four-eyes approval.
 */
export class RatingRuns1796122154797 implements MigrationInterface {
  name = 'RatingRuns1796122154797';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rating_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        status text NOT NULL CHECK (status IN ('queued','running','proposed','approved','applied','rejected','failed','cancelled')),
        policy_id uuid NOT NULL REFERENCES policy(id),
        version_id uuid NOT NULL REFERENCES policy_version(id),
        dataset_id uuid NOT NULL REFERENCES dataset(id),
        requested_effective_at timestamptz,
        effective_at timestamptz,
        based_on_run_id uuid,
        group_by text[] NOT NULL,
        spec jsonb NOT NULL,
        progress_done integer NOT NULL DEFAULT 0,
        progress_total integer NOT NULL,
        result jsonb,
        error text,
        attempts integer NOT NULL DEFAULT 0,
        executor text,
        comment text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        heartbeat_at timestamptz,
        cancelled_by text,
        approved_by text,
        approved_at timestamptz,
        decision_comment text,
        rejected_by text,
        rejected_at timestamptz,
        applied_at timestamptz
      )`);
    await q.query(`CREATE INDEX rating_run_policy ON rating_run (policy_id, created_at DESC)`);
    await q.query(`CREATE INDEX rating_run_open ON rating_run (created_at) WHERE status IN ('queued','running')`);
    await q.query(`CREATE INDEX rating_run_due ON rating_run (effective_at) WHERE status = 'approved'`);
    await q.query(`
      CREATE TABLE rating_run_part (
        run_id uuid NOT NULL REFERENCES rating_run(id) ON DELETE CASCADE,
        chunk_no integer NOT NULL,
        row_count integer NOT NULL,
        summary jsonb NOT NULL,
        processed_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (run_id, chunk_no)
      )`);
    await q.query(`
      CREATE TABLE rating_run_change (
        run_id uuid NOT NULL REFERENCES rating_run(id) ON DELETE CASCADE,
        customer_id text NOT NULL,
        snapshot_row integer NOT NULL,
        from_tier text,
        to_tier text,
        rated_tier text,
        change text CHECK (change IN ('enter','upgrade','downgrade')),
        reason text NOT NULL,
        below_runs integer NOT NULL,
        PRIMARY KEY (run_id, customer_id)
      )`);
    await q.query(`ALTER TABLE tier_history ADD CONSTRAINT tier_history_run FOREIGN KEY (run_id) REFERENCES rating_run(id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tier_history DROP CONSTRAINT tier_history_run`);
    await q.query(`DROP TABLE rating_run_change`);
    await q.query(`DROP TABLE rating_run_part`);
    await q.query(`DROP TABLE rating_run`);
  }
}
