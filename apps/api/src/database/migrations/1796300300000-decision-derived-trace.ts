import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A decision stores its inputs, version, outcome and the rating run whose frozen cut-offs its population
 * conditions used — not its trace (issue 17, test/bench/trace-storage.bench.mjs "derived"). The trace is a
 * pure function of those (the published version's definition and frozen catalog never change, the compiled
 * evaluator is deterministic and proven identical to json-rules-engine, an applied run's cut-offs are
 * frozen), so GET /api/decisions/:id re-derives it and checks the outcome it gives against the stored one.
 * That removes ~1–4 kB a row from every write. Rows written before keep their stored trace (shown as is).
 */
export class DecisionDerivedTrace1796300300000 implements MigrationInterface {
  name = 'DecisionDerivedTrace1796300300000';

  public async up(q: QueryRunner): Promise<void> {
    // on the partitioned parent: every month's partition follows, and partitions created later inherit both
    await q.query(`ALTER TABLE decision ALTER COLUMN trace DROP NOT NULL`);
    await q.query(`ALTER TABLE decision ADD COLUMN cutoff_run_id uuid`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE decision DROP COLUMN cutoff_run_id`);
    // decisions are append-only: rows written without a trace cannot be given one, so NOT NULL returns only if there are none
    await q.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM decision WHERE trace IS NULL) THEN ALTER TABLE decision ALTER COLUMN trace SET NOT NULL; END IF;
    END $$`);
  }
}
