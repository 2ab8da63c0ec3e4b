import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource, QueryRunner } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { PartSummary } from './chunk-evaluator';
import type { ChunkExecutor } from './executors';
import { SampleExplainer } from './sample-explainer';
import { SimulationRow } from './simulation.entity';
import { buildResult, mergeParts } from './simulation-result';
import { SIMULATION_SETTINGS, SimulationSettings } from '../config/simulation.settings';

export const SIMULATION_LOGGER = Symbol('SIMULATION_LOGGER');
export const CHUNK_EXECUTOR = Symbol('CHUNK_EXECUTOR');

/** Advisory-lock namespace of runs: whoever holds (namespace, hashtext(run id)) coordinates the run. */
const LOCK_NAMESPACE = 7_240_010;
/** A run interrupted this many times (its process stopped while running it) is failed, not resumed again. */
export const MAX_ATTEMPTS = 3;
/** Progress and heartbeat are written at least this often while a run is running. */
const TICK_MS = 400;

class Shutdown extends Error {
  override name = 'Shutdown';
}
class Cancelled extends Error {
  override name = 'Cancelled';
}

/**
 * Coordinates runs: claims them, dispatches their chunks to the executor, writes progress, merges.
 *
 * Ownership is a PostgreSQL session advisory lock held by the coordinating process for the whole
 * run: it disappears with that process's connection, however the process ends (crash, kill -9,
 * lost host). Every process sweeps at start and every SIMULATION_RECOVERY_MS for runs that are
 * `queued` or `running` and whose lock is free, and claims them (up to SIMULATION_MAX_RUNS at once):
 * a new run, one waiting for a slot, or one whose coordinator died. A run found `running` is
 * resumed, not restarted: its finished chunks are already stored as parts, only the missing ones
 * are evaluated (audit `simulation.recover`); after MAX_ATTEMPTS interruptions it is failed.
 * On a clean shutdown running runs are left `running` for the next process to resume.
 */
@Injectable()
export class SimulationRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly active = new Map<string, AbortController>();
  private timer: NodeJS.Timeout | null = null;
  private closing = false;
  private sweeping = false;
  private again = false;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CHUNK_EXECUTOR) private readonly executor: ChunkExecutor,
    @Inject(SIMULATION_SETTINGS) private readonly settings: SimulationSettings,
    @Inject(SIMULATION_LOGGER) private readonly logger: Logger,
    private readonly audit: AuditService,
  ) {}

  get executorName(): string {
    return this.executor.name;
  }

  onApplicationBootstrap(): void {
    this.executor.warm();
    this.timer = setInterval(() => this.poke(), this.settings.recoveryMs);
    this.timer.unref();
    this.poke();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    for (const ac of this.active.values()) ac.abort(new Shutdown('the process is stopping'));
    const until = Date.now() + 15_000;
    while ((this.active.size || this.sweeping) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await this.executor.close();
  }

  /** Look for work now (after a run is created or one finishes). */
  poke(): void {
    if (this.closing) return;
    if (this.sweeping) {
      this.again = true;
      return;
    }
    this.sweeping = true;
    this.sweep()
      .catch((e: unknown) => this.logger.error({ err: e }, 'simulation sweep failed'))
      .finally(() => {
        this.sweeping = false;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** Stop a run coordinated here at once (the cancel endpoint already marked it cancelled). */
  cancelLocal(id: string): void {
    this.active.get(id)?.abort(new Cancelled('cancelled'));
  }

  private async sweep(): Promise<void> {
    if (this.active.size >= this.settings.maxRuns) return;
    const open: { id: string }[] = await this.ds.query(
      `SELECT id FROM simulation WHERE status IN ('queued','running') AND executor = $1 ORDER BY created_at LIMIT 50`,
      [this.executor.name],
    );
    for (const { id } of open) {
      if (this.closing || this.active.size >= this.settings.maxRuns) return;
      if (!this.active.has(id)) await this.claim(id);
    }
  }

  private async claim(id: string): Promise<void> {
    const qr = this.ds.createQueryRunner();
    try {
      await qr.connect();
      const [{ locked }]: { locked: boolean }[] = await qr.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [LOCK_NAMESPACE, id]);
      if (!locked) {
        await qr.release();
        return;
      }
    } catch (e) {
      this.logger.warn({ err: e, simulationId: id }, 'could not claim a simulation run');
      await qr.release().catch(() => undefined);
      return;
    }
    const ac = new AbortController();
    this.active.set(id, ac);
    void this.execute(id, ac)
      .catch(async (e: unknown) => {
        this.logger.error({ err: e, simulationId: id }, 'simulation run failed');
        await this.fail(id, e instanceof Error ? e.message : String(e)).catch(() => undefined);
      })
      .finally(() => this.release(id, qr));
  }

  private async release(id: string, qr: QueryRunner): Promise<void> {
    try {
      await qr.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_NAMESPACE, id]);
    } catch {
      /* the connection is gone, and the lock with it */
    }
    await qr.release().catch(() => undefined);
    this.active.delete(id);
    this.poke();
  }

  private async fail(id: string, message: string): Promise<void> {
    await this.ds.query(
      `UPDATE simulation SET status = 'failed', error = $2, finished_at = now(), heartbeat_at = now() WHERE id = $1 AND status IN ('queued','running')`,
      [id, message.slice(0, 2000)],
    );
    await this.ds.query('DELETE FROM simulation_part WHERE simulation_id = $1', [id]);
  }

  /** Start (or resume) the run; returns the rows already done, or null when it must not run. */
  private async begin(sim: SimulationRow): Promise<number | null> {
    const parts: { n: number; rows: number }[] = await this.ds.query(
      'SELECT count(*)::int AS n, coalesce(sum(row_count), 0)::int AS rows FROM simulation_part WHERE simulation_id = $1',
      [sim.id],
    );
    const done = parts[0].rows;
    if (sim.status === 'running') {
      const giveUp = sim.attempts >= MAX_ATTEMPTS;
      await this.ds.transaction(async (m) => {
        if (giveUp) {
          await m.query(`UPDATE simulation SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status = 'running'`, [
            sim.id,
            `The run was interrupted ${sim.attempts} times (the process running it stopped each time); start it again`,
          ]);
        }
        await this.audit.record(m, {
          actor: 'system:recovery',
          action: 'simulation.recover',
          entityType: 'simulation',
          entityId: sim.id,
          before: { status: 'running', attempts: sim.attempts, progressDone: sim.progressDone },
          after: giveUp ? { status: 'failed' } : { status: 'running', resumedWithRowsDone: done, executor: this.executor.name },
          comment: giveUp ? 'interrupted too often: failed' : 'its process stopped during the run: resumed from the stored chunks',
        });
      });
      if (giveUp) {
        await this.ds.query('DELETE FROM simulation_part WHERE simulation_id = $1', [sim.id]);
        return null;
      }
    }
    const started: { n: number }[] = await this.ds.query(
      `WITH u AS (UPDATE simulation SET status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()), heartbeat_at = now(), progress_done = $2
                  WHERE id = $1 AND status IN ('queued','running') RETURNING 1) SELECT count(*)::int AS n FROM u`,
      [sim.id, done],
    );
    return started[0].n ? done : null;
  }

  private async execute(id: string, ac: AbortController): Promise<void> {
    const sim = await this.ds.getRepository(SimulationRow).findOneBy({ id });
    if (!sim || (sim.status !== 'queued' && sim.status !== 'running')) return;
    const resumedFrom = await this.begin(sim);
    if (resumedFrom === null) return;
    const spec = sim.spec;
    const stored: { chunk_no: number }[] = await this.ds.query('SELECT chunk_no FROM simulation_part WHERE simulation_id = $1', [id]);
    const have = new Set(stored.map((p) => p.chunk_no));
    const missing = Array.from({ length: spec.chunkCount }, (_v, i) => i).filter((i) => !have.has(i));
    let done = resumedFrom;
    const explainer = new SampleExplainer(spec);
    // The first chunk holds most of the report's samples (they are the first customers of each
    // cell): explain them on this thread while the other chunks are evaluated.
    const early = async () => {
      const [first]: { summary: PartSummary }[] = await this.ds.query('SELECT summary FROM simulation_part WHERE simulation_id = $1 AND chunk_no = 0', [id]);
      for (const s of first?.summary.samples ?? []) explainer.prefetch(s.rows);
    };
    const tick = async () => {
      const r: { status: string }[] = await this.ds.query(
        `WITH u AS (UPDATE simulation SET progress_done = $2, heartbeat_at = now() WHERE id = $1 AND status = 'running' RETURNING status) SELECT status FROM u`,
        [id, done],
      );
      if (!r.length && !ac.signal.aborted) ac.abort(new Cancelled('no longer running'));
    };
    const ticker = setInterval(() => void tick().catch((e: unknown) => this.logger.warn({ err: e, simulationId: id }, 'progress update failed')), TICK_MS);
    const t0 = Date.now();
    try {
      await this.executor.run(id, missing, ac.signal, (chunkNo, rows) => {
        done += rows;
        if (chunkNo === 0) void early().catch(() => undefined);
      });
    } catch (e) {
      clearInterval(ticker);
      const reason: unknown = ac.signal.aborted ? ac.signal.reason : null;
      if (reason instanceof Shutdown) {
        await this.ds.query(`UPDATE simulation SET progress_done = $2 WHERE id = $1 AND status = 'running'`, [id, done]).catch(() => undefined);
        return;
      }
      if (reason instanceof Cancelled) {
        await this.ds.query('DELETE FROM simulation_part WHERE simulation_id = $1', [id]);
        return;
      }
      throw e;
    }
    clearInterval(ticker);
    const t1 = Date.now();
    const rows: { summary: PartSummary }[] = await this.ds.query('SELECT summary FROM simulation_part WHERE simulation_id = $1 ORDER BY chunk_no', [id]);
    const merged = mergeParts(
      spec,
      rows.map((r) => r.summary),
    );
    if (merged.rows !== spec.rowCount || rows.length !== spec.chunkCount) {
      throw new Error(`the stored parts cover ${merged.rows} of ${spec.rowCount} customers`);
    }
    const t2 = Date.now();
    const explained = await explainer.explainAll(merged.samples);
    const t3 = Date.now();
    if (explained.mismatches)
      this.logger.error({ simulationId: id, mismatches: explained.mismatches }, 'compiled and json-rules-engine outcomes differ on samples');
    const result = {
      ...buildResult(spec, merged, explained.samples),
      sampleCheck: { checked: explained.checked, mismatches: explained.mismatches },
      executor: this.executor.name,
      evaluationMs: Date.now() - t0,
      timings: {
        chunksMs: t1 - t0,
        mergeMs: t2 - t1,
        explainMs: t3 - t2,
        resumedWithRows: resumedFrom,
        // Summed over chunks (they overlap on the threads): reading from PostgreSQL, evaluating.
        chunkReadMs: rows.reduce((s, r) => s + (r.summary.ms?.read ?? 0), 0),
        chunkEvaluateMs: rows.reduce((s, r) => s + (r.summary.ms?.evaluate ?? 0), 0),
      },
    };
    await this.ds.query(
      `UPDATE simulation SET status = 'succeeded', result = $2, progress_done = progress_total, finished_at = now(), heartbeat_at = now() WHERE id = $1 AND status = 'running'`,
      [id, JSON.stringify(result)],
    );
  }
}
