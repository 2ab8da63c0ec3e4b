import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retiring a version that is in effect (or scheduled) takes two people: one asks (these columns),
 * another approves. The version stays in effect until the approval.
 */
export class RetirementFourEyes1796122728851 implements MigrationInterface {
  name = 'RetirementFourEyes1796122728851';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE policy_version ADD COLUMN retire_requested_by text, ADD COLUMN retire_requested_at timestamptz, ADD COLUMN retire_request_comment text`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policy_version DROP COLUMN retire_requested_by, DROP COLUMN retire_requested_at, DROP COLUMN retire_request_comment`);
  }
}
