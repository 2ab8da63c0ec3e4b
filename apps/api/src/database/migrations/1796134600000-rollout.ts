import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Regional rollout (issue 13, contract §11): a published version may carry rollout steps — customers
 * matching a step's segment switch to it at that step's instant, all others at its effectiveFrom.
 * `policy_version.rollout` is set at publication and immutable afterwards (the published-version
 * guard compares whole rows). Each decision records the step that applied (`rollout_step`, null =
 * the version's own effectiveFrom).
 */
export class Rollout1796134600000 implements MigrationInterface {
  name = 'Rollout1796134600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policy_version ADD COLUMN rollout jsonb`);
    await q.query(`ALTER TABLE decision ADD COLUMN rollout_step integer`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE decision DROP COLUMN rollout_step`);
    await q.query(`ALTER TABLE policy_version DROP COLUMN rollout`);
  }
}
