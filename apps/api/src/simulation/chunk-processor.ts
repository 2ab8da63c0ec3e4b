import type { Pool } from 'pg';
import { decodeChunk } from '../datasets/chunk-codec';
import { CompiledSpec, compileSpec, evaluateChunk } from './chunk-evaluator';
import type { SimulationSpec } from './simulation-spec';

export interface ChunkDone {
  rows: number;
  /** True when nothing was done: the run is no longer open, or the part was already stored. */
  skipped: boolean;
}

const OPEN = ['queued', 'running'];

/**
 * One unit of work, wherever it runs (a worker thread of the API, or a `npm run worker` process):
 * read one dataset chunk, evaluate it with the run's compiled versions, store the part. Storing is
 * idempotent (a part is written once per chunk; a retried or duplicated job changes nothing) and
 * refused once the run is cancelled or finished, so a late worker cannot resurrect a cancelled run.
 */
export class ChunkProcessor {
  private readonly compiled = new Map<string, CompiledSpec>();

  constructor(
    private readonly db: Pool,
    private readonly who: string,
    private readonly delayMs = 0,
  ) {}

  private async spec(simulationId: string): Promise<{ status: string; compiled: CompiledSpec | null }> {
    const cached = this.compiled.get(simulationId);
    if (cached) {
      const r = await this.db.query<{ status: string }>('SELECT status FROM simulation WHERE id = $1', [simulationId]);
      return { status: r.rows[0]?.status ?? 'missing', compiled: cached };
    }
    const r = await this.db.query<{ status: string; spec: SimulationSpec }>('SELECT status, spec FROM simulation WHERE id = $1', [simulationId]);
    if (!r.rows.length) return { status: 'missing', compiled: null };
    const compiled = compileSpec(r.rows[0].spec);
    if (this.compiled.size >= 8) this.compiled.delete(this.compiled.keys().next().value as string);
    this.compiled.set(simulationId, compiled);
    return { status: r.rows[0].status, compiled };
  }

  async process(simulationId: string, chunkNo: number): Promise<ChunkDone> {
    const { status, compiled } = await this.spec(simulationId);
    if (!compiled || !OPEN.includes(status)) return { rows: 0, skipped: true };
    const done = await this.db.query('SELECT 1 FROM simulation_part WHERE simulation_id = $1 AND chunk_no = $2', [simulationId, chunkNo]);
    if (done.rows.length) return { rows: 0, skipped: true };
    const r = await this.db.query<{ row_start: number; row_count: number; data: Buffer }>('SELECT row_start, row_count, data FROM dataset_chunk WHERE dataset_id = $1 AND chunk_no = $2', [
      compiled.spec.datasetId,
      chunkNo,
    ]);
    if (!r.rows.length) throw new Error(`dataset ${compiled.spec.datasetId} has no chunk ${chunkNo}`);
    const { row_start: rowStart, data } = r.rows[0];
    const { summary, outcomes } = evaluateChunk(compiled, decodeChunk(data), rowStart);
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const stored = await this.db.query(
      `INSERT INTO simulation_part (simulation_id, chunk_no, row_count, summary, outcomes, processed_by)
       SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM simulation WHERE id = $1 AND status IN ('queued','running'))
       ON CONFLICT (simulation_id, chunk_no) DO NOTHING`,
      [simulationId, chunkNo, summary.rows, JSON.stringify(summary), outcomes, this.who],
    );
    return { rows: summary.rows, skipped: stored.rowCount === 0 };
  }

  forget(simulationId: string): void {
    this.compiled.delete(simulationId);
  }
}
