import type { JobKind } from './job-kind';
import { JobPhase, OPEN_PHASES } from './job-status';
import type { Sql } from './sql';

/** The columns every run table has (see job-kind.ts), as the machinery reads them. */
export interface JobRunState<S extends string = string> {
  id: string;
  status: S | JobPhase;
  attempts: number;
  progressDone: number;
  progressTotal: number;
  executor: string | null;
}

/**
 * The machinery's columns of a run as it is created (a simulation, a rating run): queued, none of
 * its `total` rows done, no attempt, result or error yet, to be run by `executor` (JobRunner.executorName).
 */
export function queuedRun(total: number, executor: string) {
  return { status: 'queued' as const, progressDone: 0, progressTotal: total, result: null, error: null, attempts: 0, executor };
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Every statement the job machinery runs on a kind's run and part tables, for the coordinator, the
 * API services, the worker threads and the worker processes alike (one data-access path). Status
 * changes go through `transition`, which only moves a run along the kind's status machine.
 */
export class JobStore<S extends string = string> {
  private readonly t: string;
  private readonly p: string;
  private readonly k: string;

  constructor(readonly kind: JobKind<S>) {
    for (const name of [kind.table, kind.partTable, kind.partKey]) if (!IDENT.test(name)) throw new Error(`not an identifier: ${name}`);
    this.t = kind.table;
    this.p = kind.partTable;
    this.k = kind.partKey;
  }

  private open(): string[] {
    return [...OPEN_PHASES];
  }

  /**
   * Move a run to `to` from any status the machine allows, setting `set` (column → SQL expression
   * over $1 = id and the values in `params`, from $3 on). Returns whether the run moved.
   */
  async transition(sql: Sql, id: string, to: S | JobPhase, set: Record<string, string> = {}, params: unknown[] = []): Promise<boolean> {
    const from = this.kind.machine.from(to);
    if (!from.length) throw new Error(`no status leads to ${to}`);
    const assignments = ['status = $2', ...Object.entries(set).map(([c, expr]) => `${c} = ${expr}`)].join(', ');
    const rows = await sql.query<{ id: string }>(
      `WITH u AS (UPDATE ${this.t} SET ${assignments} WHERE id = $1 AND status = ANY($${params.length + 3}::text[]) RETURNING id) SELECT id FROM u`,
      [id, to, ...params, from],
    );
    return rows.length > 0;
  }

  async state(sql: Sql, id: string): Promise<JobRunState<S> | null> {
    const [r] = await sql.query<JobRunState<S>>(
      `SELECT id, status, attempts, progress_done AS "progressDone", progress_total AS "progressTotal", executor FROM ${this.t} WHERE id = $1`,
      [id],
    );
    return r ?? null;
  }

  async spec<Spec>(sql: Sql, id: string): Promise<Spec | null> {
    const [r] = await sql.query<{ spec: Spec }>(`SELECT spec FROM ${this.t} WHERE id = $1`, [id]);
    return r?.spec ?? null;
  }

  async status(sql: Sql, id: string): Promise<S | JobPhase | null> {
    return (await this.state(sql, id))?.status ?? null;
  }

  /** Open runs started with this executor, oldest first: what a coordinator may claim. */
  async claimable(sql: Sql, executor: string, limit = 50): Promise<string[]> {
    const rows = await sql.query<{ id: string }>(`SELECT id FROM ${this.t} WHERE status = ANY($1::text[]) AND executor = $2 ORDER BY created_at LIMIT $3`, [
      this.open(),
      executor,
      limit,
    ]);
    return rows.map((r) => r.id);
  }

  /** queued/running → running, one more attempt, progress set to what the stored parts cover. */
  begin(sql: Sql, id: string, done: number): Promise<boolean> {
    return this.transition(
      sql,
      id,
      'running',
      { attempts: 'attempts + 1', started_at: 'coalesce(started_at, now())', heartbeat_at: 'now()', progress_done: '$3' },
      [done],
    );
  }

  /** Progress and heartbeat of a running run; false when it is no longer running (cancelled, failed elsewhere). */
  async tick(sql: Sql, id: string, done: number): Promise<boolean> {
    const rows = await sql.query(
      `WITH u AS (UPDATE ${this.t} SET progress_done = $2, heartbeat_at = now() WHERE id = $1 AND status = 'running' RETURNING 1) SELECT 1 FROM u`,
      [id, done],
    );
    return rows.length > 0;
  }

  /** The run failed: any open status → failed with the reason; its parts are dropped. */
  async fail(sql: Sql, id: string, message: string): Promise<boolean> {
    const moved = await this.transition(sql, id, 'failed', { error: '$3', finished_at: 'now()', heartbeat_at: 'now()' }, [message.slice(0, 2000)]);
    if (moved) await this.deleteParts(sql, id);
    return moved;
  }

  /** Cancelled by `actor`: parts dropped; false when the run was not in a status that can be cancelled. */
  async cancel(sql: Sql, id: string, actor: string): Promise<boolean> {
    const moved = await this.transition(sql, id, 'cancelled', { finished_at: 'now()', cancelled_by: '$3' }, [actor]);
    if (moved) await this.deleteParts(sql, id);
    return moved;
  }

  /** All chunks merged: running → the kind's done status, with `set` (e.g. the result). */
  finish(sql: Sql, id: string, set: Record<string, string>, params: unknown[]): Promise<boolean> {
    return this.transition(sql, id, this.kind.doneStatus, { progress_done: 'progress_total', finished_at: 'now()', heartbeat_at: 'now()', ...set }, params);
  }

  // ---- parts ------------------------------------------------------------------------------------

  async storedParts(sql: Sql, id: string): Promise<{ chunkNo: number; rows: number }[]> {
    return sql.query(`SELECT chunk_no AS "chunkNo", row_count AS rows FROM ${this.p} WHERE ${this.k} = $1`, [id]);
  }

  async summaries<T>(sql: Sql, id: string): Promise<T[]> {
    const rows = await sql.query<{ summary: T }>(`SELECT summary FROM ${this.p} WHERE ${this.k} = $1 ORDER BY chunk_no`, [id]);
    return rows.map((r) => r.summary);
  }

  async summary<T>(sql: Sql, id: string, chunkNo: number): Promise<T | null> {
    const [r] = await sql.query<{ summary: T }>(`SELECT summary FROM ${this.p} WHERE ${this.k} = $1 AND chunk_no = $2`, [id, chunkNo]);
    return r?.summary ?? null;
  }

  async deleteParts(sql: Sql, id: string): Promise<void> {
    await sql.query(`WITH d AS (DELETE FROM ${this.p} WHERE ${this.k} = $1 RETURNING 1) SELECT count(*) FROM d`, [id]);
  }

  /** For a worker about to process a chunk: the run's status, whether the chunk is stored, and (unless cached) its spec. */
  async chunkState<Spec>(sql: Sql, id: string, chunkNo: number, withSpec: boolean): Promise<{ status: string; done: boolean; spec: Spec | null } | null> {
    const [r] = await sql.query<{ status: string; done: boolean; spec: Spec | null }>(
      `SELECT status, EXISTS (SELECT 1 FROM ${this.p} WHERE ${this.k} = $1 AND chunk_no = $2) AS done, CASE WHEN $3::boolean THEN spec ELSE NULL END AS spec
       FROM ${this.t} WHERE id = $1`,
      [id, chunkNo, withSpec],
    );
    return r ?? null;
  }

  isOpen(status: string | null | undefined): boolean {
    return status !== null && status !== undefined && (OPEN_PHASES as readonly string[]).includes(status);
  }

  /**
   * Store one chunk's part, once: refused when the run is no longer open (a late worker cannot
   * resurrect a cancelled run) or the part exists (a retried job changes nothing). `columns` are
   * the kind's extra part columns. Returns whether it was stored.
   */
  async storePart(sql: Sql, id: string, chunkNo: number, rows: number, summary: unknown, who: string, columns: Record<string, unknown> = {}): Promise<boolean> {
    const extra = Object.keys(columns);
    for (const c of extra) if (!IDENT.test(c)) throw new Error(`not an identifier: ${c}`);
    const values = Object.values(columns);
    const names = [this.k, 'chunk_no', 'row_count', 'summary', 'processed_by', ...extra].join(', ');
    const placeholders = ['$1', '$2', '$3', '$4', '$5', ...extra.map((_c, i) => `$${i + 7}`)].join(', ');
    const stored = await sql.query(
      `WITH i AS (INSERT INTO ${this.p} (${names}) SELECT ${placeholders}
                  WHERE EXISTS (SELECT 1 FROM ${this.t} WHERE id = $1 AND status = ANY($6::text[]))
                  ON CONFLICT (${this.k}, chunk_no) DO NOTHING RETURNING 1) SELECT 1 FROM i`,
      [id, chunkNo, rows, JSON.stringify(summary), who, this.open(), ...values],
    );
    return stored.length > 0;
  }
}
