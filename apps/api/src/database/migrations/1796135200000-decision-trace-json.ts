import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A decision's trace is stored as `json` (the text the API wrote), not `jsonb` (issue 17,
 * test/bench/trace-storage.bench.mjs): it is only ever read whole (the decision, its explanation),
 * never searched inside, and `json` is the cheapest form that still answers "why" — ~30 % fewer bytes
 * per decision than jsonb's binary form, written ~2–4× faster and read back faster (no re-rendering);
 * gzip by the API was smaller still but cost ~240 µs of API CPU per decision. Inputs, scores and the
 * outcome stay jsonb/columns (they are filtered on).
 */
export class DecisionTraceJson1796135200000 implements MigrationInterface {
  name = 'DecisionTraceJson1796135200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE decision ALTER COLUMN trace TYPE json USING trace::json`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE decision ALTER COLUMN trace TYPE jsonb USING trace::jsonb`);
  }
}
