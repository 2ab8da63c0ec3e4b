import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Datasets (columnar chunks, written by COPY) and simulation runs with their per-chunk parts.
 * Chunk and part payloads are incompressible binary: stored out of line without compression
 * (STORAGE EXTERNAL), so reading a run's chunks costs no decompression.
 */
export class Simulation1732340000400 implements MigrationInterface {
  name = 'Simulation1732340000400';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dataset (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        source text NOT NULL CHECK (source IN ('csv','json','synthetic')),
        row_count integer NOT NULL CHECK (row_count >= 0),
        chunk_rows integer NOT NULL CHECK (chunk_rows > 0),
        chunk_count integer NOT NULL CHECK (chunk_count >= 0),
        columns jsonb NOT NULL,
        id_column text,
        details jsonb NOT NULL DEFAULT '{}',
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX dataset_created ON dataset (created_at DESC)`);
    await q.query(`
      CREATE TABLE dataset_chunk (
        dataset_id uuid NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
        chunk_no integer NOT NULL,
        row_start integer NOT NULL,
        row_count integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (dataset_id, chunk_no)
      )`);
    await q.query(`ALTER TABLE dataset_chunk ALTER COLUMN data SET STORAGE EXTERNAL`);
    await q.query(`
      CREATE TABLE simulation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        status text NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled')),
        policy_id uuid NOT NULL REFERENCES policy(id),
        candidate_version_id uuid NOT NULL REFERENCES policy_version(id),
        baseline_version_id uuid NOT NULL REFERENCES policy_version(id),
        dataset_id uuid NOT NULL REFERENCES dataset(id),
        group_by text[] NOT NULL,
        as_of timestamptz NOT NULL,
        spec jsonb NOT NULL,
        progress_done integer NOT NULL DEFAULT 0,
        progress_total integer NOT NULL,
        result jsonb,
        error text,
        attempts integer NOT NULL DEFAULT 0,
        executor text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        heartbeat_at timestamptz,
        cancelled_by text
      )`);
    await q.query(`CREATE INDEX simulation_created ON simulation (created_at DESC)`);
    await q.query(`CREATE INDEX simulation_open ON simulation (created_at) WHERE status IN ('queued','running')`);
    await q.query(`
      CREATE TABLE simulation_part (
        simulation_id uuid NOT NULL REFERENCES simulation(id) ON DELETE CASCADE,
        chunk_no integer NOT NULL,
        row_count integer NOT NULL,
        summary jsonb NOT NULL,
        outcomes bytea NOT NULL,
        processed_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (simulation_id, chunk_no)
      )`);
    await q.query(`ALTER TABLE simulation_part ALTER COLUMN outcomes SET STORAGE EXTERNAL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE simulation_part`);
    await q.query(`DROP TABLE simulation`);
    await q.query(`DROP TABLE dataset_chunk`);
    await q.query(`DROP TABLE dataset`);
  }
}
