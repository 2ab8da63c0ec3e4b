import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rating cycles (issue 11): a schedule per policy (monthly / quarterly / yearly and a deadline), and
 * one row per opened cycle (policy, period). A cycle's snapshot and run are found through datasets
 * (`policy_id`, `as_of` in the period) and rating runs (`dataset_id`), so they are never copied here.
 */
export class RatingCycles1796133118761 implements MigrationInterface {
  name = 'RatingCycles1796133118761';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rating_cycle_schedule (
        policy_id uuid PRIMARY KEY REFERENCES policy(id),
        frequency text NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'yearly')),
        deadline_days integer NOT NULL CHECK (deadline_days BETWEEN 0 AND 366),
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE rating_cycle (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES policy(id),
        frequency text NOT NULL,
        period text NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        deadline timestamptz NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        opened_by text NOT NULL,
        UNIQUE (policy_id, period_start)
      )`);
    await q.query(`CREATE INDEX rating_cycle_deadline ON rating_cycle (deadline)`);
    // the snapshot of a period: dataset_policy_as_of (policy_id, as_of DESC) exists already
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rating_cycle`);
    await q.query(`DROP TABLE rating_cycle_schedule`);
  }
}
