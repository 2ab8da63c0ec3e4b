import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TIER_HISTORY_FIXED_COLUMNS as BEFORE } from './1796135300000-ledger-apply';

/**
 * Every column of tier_history but `valid_to`, with `rollout_step` (below): the append-only guard's
 * list (see 1796135300000-ledger-apply). A column added to tier_history must be added here.
 */
export const TIER_HISTORY_FIXED_COLUMNS = [...BEFORE, 'rollout_step'];

const row = (columns: string[], side: 'OLD' | 'NEW') => `ROW(${columns.map((c) => `${side}.${c}`).join(', ')})`;
const guard = (columns: string[]) =>
  `CREATE TRIGGER tier_history_guard BEFORE UPDATE ON tier_history FOR EACH ROW
   WHEN (OLD.valid_to IS NOT NULL OR NEW.valid_to IS NULL OR ${row(columns, 'NEW')} IS DISTINCT FROM ${row(columns, 'OLD')})
   EXECUTE FUNCTION tier_history_guard()`;

/**
 * Rating runs during a regional rollout (issue 13 acceptance 3, contract §11): each customer is rated
 * with the version their segment has at the run's instant, so the ledger records it per customer.
 * - `rating_run_change.version_id` / `rollout_step`: the version a staged customer was rated with and
 *   the rollout step that applied (both null when one version rated the whole run: the run's version).
 * - `tier_history.rollout_step`: the step behind a history row (null: the version's own effectiveFrom,
 *   or no rollout); its `version_id` is the customer's version. The append-only guard compares it too.
 */
export class RolloutLedger1796135400000 implements MigrationInterface {
  name = 'RolloutLedger1796135400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rating_run_change ADD COLUMN version_id uuid, ADD COLUMN rollout_step integer`);
    await q.query(`ALTER TABLE tier_history ADD COLUMN rollout_step integer`);
    await q.query(`DROP TRIGGER tier_history_guard ON tier_history`);
    await q.query(guard(TIER_HISTORY_FIXED_COLUMNS));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tier_history_guard ON tier_history`);
    await q.query(guard(BEFORE));
    await q.query(`ALTER TABLE tier_history DROP COLUMN rollout_step`);
    await q.query(`ALTER TABLE rating_run_change DROP COLUMN version_id, DROP COLUMN rollout_step`);
  }
}
