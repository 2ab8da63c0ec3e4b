import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer data (issue 14 point 17): each fact has a sensitivity class (`public`, `internal`,
 * `sensitive`; existing facts are `internal`), which decides who reads its values (catalog/fact-masking.ts).
 * Datasets can be deleted: a finished simulation keeps its aggregate result and the id of the
 * dataset it ran on, but no longer a foreign key to it (its per-customer parts and samples go with
 * the dataset).
 */
export class FactSensitivity1796123268230 implements MigrationInterface {
  name = 'FactSensitivity1796123268230';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE fact ADD COLUMN sensitivity text NOT NULL DEFAULT 'internal' CHECK (sensitivity IN ('public', 'internal', 'sensitive'))`);
    await q.query(`ALTER TABLE simulation DROP CONSTRAINT IF EXISTS simulation_dataset_id_fkey`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE simulation ADD CONSTRAINT simulation_dataset_id_fkey FOREIGN KEY (dataset_id) REFERENCES dataset(id) NOT VALID`);
    await q.query(`ALTER TABLE fact DROP COLUMN sensitivity`);
  }
}
