import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Facts snapshots (contract §8): a dataset's `asOf` day and the policy it is meant for, listed per policy and period. */
export class DatasetAsOf1796118192417 implements MigrationInterface {
  name = 'DatasetAsOf1796118192417';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dataset ADD COLUMN as_of date, ADD COLUMN policy_id uuid REFERENCES policy(id)`);
    await q.query(`CREATE INDEX dataset_policy_as_of ON dataset (policy_id, as_of DESC) WHERE as_of IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dataset_policy_as_of`);
    await q.query(`ALTER TABLE dataset DROP COLUMN policy_id, DROP COLUMN as_of`);
  }
}
