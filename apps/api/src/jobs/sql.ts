import type { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The one query surface of the job machinery, over either database stack the API uses: TypeORM in
 * the Nest process (transactions with audit events), a small `pg` pool in worker threads and worker
 * processes (which need COPY streams and must not boot TypeORM). Statements through it are SELECTs
 * or DML wrapped in a CTE (`WITH u AS (UPDATE … RETURNING …) SELECT … FROM u`), which both stacks
 * answer with plain rows.
 */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export function typeormSql(db: DataSource | EntityManager): Sql {
  return { query: <T>(text: string, params: unknown[] = []) => db.query(text, params) as Promise<T[]> };
}

export function pgSql(db: Pool | PoolClient): Sql {
  return { query: async <T>(text: string, params: unknown[] = []) => (await db.query(text, params)).rows as T[] };
}
