import type { Logger } from 'pino';
import { DataSource, QueryRunner } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { JobObserver, JobOutcome } from '../metrics/metrics.service';
import type { ChunkExecutor } from './executors';
import type { JobKind } from './job-kind';
import { JobStore } from './job-store';
import { Sql, typeormSql } from './sql';

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

/** One run being coordinated: told of each stored chunk, asked to merge once all are stored. */
export interface JobSession {
  /**
   * Before any chunk is dispatched (on start and on every resume): work the chunks need first, e.g. a
   * rating run's population pass (its cut-offs). Must be idempotent; throwing fails the run with the message.
   */
  prepare?(signal: AbortSignal): Promise<void>;
  onPart?(chunkNo: number, rows: number): void;
  /**
   * Every chunk is stored: merge the parts and move the run to its done status (`store.finish`).
   * `timings` says where the coordinator's time went. Throwing fails the run with the message.
   */
  complete(timings: { startedAt: number; chunksDoneAt: number; resumedWithRows: number }): Promise<void>;
}

/** A kind of job the runner coordinates. */
export interface JobDefinition<S extends string = string, Spec = unknown> {
  kind: JobKind<S>;
  store: JobStore<S>;
  chunkCount(spec: Spec): number;
  /** A run starts or resumes on this process. */
  session(id: string, spec: Spec): JobSession;
}

/**
 * Coordinates chunked runs of every registered kind: claims them, dispatches their chunks to the
 * executor (threads or BullMQ workers), writes progress, merges.
 *
 * Ownership is a PostgreSQL session advisory lock held by the coordinating process for the whole
 * run: it disappears with that process's connection, however the process ends (crash, kill -9,
 * lost host). Every process sweeps at start and every `recoveryMs` for runs that are queued or
 * running and whose lock is free, and claims them (up to `maxRuns` at once): a new run, one waiting
 * for a slot, or one whose coordinator died. A run found running is resumed, not restarted: its
 * finished chunks are already stored as parts, only the missing ones are processed (audit
 * `<kind>.recover`); after MAX_ATTEMPTS interruptions it is failed. On a clean shutdown running runs
 * are left running for the next process to resume.
 */
export class JobRunner {
  private readonly kinds = new Map<string, JobDefinition>();
  private readonly active = new Map<string, AbortController>();
  private timer: NodeJS.Timeout | null = null;
  private closing = false;
  private sweeping = false;
  private again = false;
  private readonly sql: Sql;

  constructor(
    private readonly ds: DataSource,
    private readonly executor: ChunkExecutor,
    private readonly settings: { maxRuns: number; recoveryMs: number },
    private readonly logger: Logger,
    private readonly audit: AuditService,
    /** Metrics: which kinds run here, how and how long each run ended. */
    private readonly observer?: JobObserver,
  ) {
    this.sql = typeormSql(ds);
  }

  get executorName(): string {
    return this.executor.name;
  }

  /** Register a kind (at module init, before the application bootstraps). */
  register<S extends string, Spec>(def: JobDefinition<S, Spec>): void {
    this.kinds.set(def.kind.name, def as unknown as JobDefinition);
    this.observer?.kind(def.kind.name, def.kind.table);
  }

  start(): void {
    this.executor.warm([...this.kinds.values()].map((d) => d.kind.handler));
    this.timer = setInterval(() => this.poke(), this.settings.recoveryMs);
    this.timer.unref();
    this.poke();
  }

  async stop(): Promise<void> {
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
      .catch((e: unknown) => this.logger.error({ err: e }, 'job sweep failed'))
      .finally(() => {
        this.sweeping = false;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** Stop a run coordinated here at once (its status was already changed, e.g. to cancelled). */
  stopLocal(id: string): void {
    this.active.get(id)?.abort(new Cancelled('cancelled'));
  }

  private async sweep(): Promise<void> {
    for (const def of this.kinds.values()) {
      if (this.active.size >= this.settings.maxRuns) return;
      for (const id of await def.store.claimable(this.sql, this.executor.name)) {
        if (this.closing || this.active.size >= this.settings.maxRuns) return;
        if (!this.active.has(id)) await this.claim(def, id);
      }
    }
  }

  private async claim(def: JobDefinition, id: string): Promise<void> {
    const qr = this.ds.createQueryRunner();
    try {
      await qr.connect();
      const [{ locked }]: { locked: boolean }[] = await qr.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [def.kind.lockNamespace, id]);
      if (!locked) {
        await qr.release();
        return;
      }
    } catch (e) {
      this.logger.warn({ err: e, kind: def.kind.name, runId: id }, 'could not claim a run');
      await qr.release().catch(() => undefined);
      return;
    }
    const ac = new AbortController();
    this.active.set(id, ac);
    const started = Date.now();
    const ended = (outcome: JobOutcome | null) => {
      if (outcome) this.observer?.finished(def.kind.name, outcome, (Date.now() - started) / 1000);
    };
    void this.execute(def, id, ac)
      .then(ended, async (e: unknown) => {
        ended('failed');
        this.logger.error({ err: e, kind: def.kind.name, runId: id }, 'run failed');
        await def.store.fail(this.sql, id, e instanceof Error ? e.message : String(e)).catch(() => undefined);
      })
      .finally(() => this.release(def, id, qr));
  }

  private async release(def: JobDefinition, id: string, qr: QueryRunner): Promise<void> {
    try {
      await qr.query('SELECT pg_advisory_unlock($1, hashtext($2))', [def.kind.lockNamespace, id]);
    } catch {
      /* the connection is gone, and the lock with it */
    }
    await qr.release().catch(() => undefined);
    this.active.delete(id);
    this.poke();
  }

  /** Start (or resume) the run; returns the rows already done, or null when it must not run. */
  private async begin(def: JobDefinition, id: string): Promise<number | null> {
    const { store, kind } = def;
    const run = await store.state(this.sql, id);
    if (!run || !store.isOpen(run.status)) return null;
    const parts = await store.storedParts(this.sql, id);
    const done = parts.reduce((s, p) => s + p.rows, 0);
    if (run.status === 'running') {
      const giveUp = run.attempts >= MAX_ATTEMPTS;
      await this.ds.transaction(async (m) => {
        if (giveUp)
          await store.transition(typeormSql(m), id, 'failed', { error: '$3', finished_at: 'now()' }, [
            `The run was interrupted ${run.attempts} times (the process running it stopped each time); start it again`,
          ]);
        await this.audit.record(m, {
          actor: 'system:recovery',
          action: `${kind.name}.recover`,
          entityType: kind.entityType,
          entityId: id,
          before: { status: 'running', attempts: run.attempts, progressDone: run.progressDone },
          after: giveUp ? { status: 'failed' } : { status: 'running', resumedWithRowsDone: done, executor: this.executor.name },
          comment: giveUp ? 'interrupted too often: failed' : 'its process stopped during the run: resumed from the stored chunks',
        });
      });
      if (giveUp) {
        await store.deleteParts(this.sql, id);
        return null;
      }
    }
    return (await store.begin(this.sql, id, done)) ? done : null;
  }

  /** Runs it here; says how it ended (null: it was not this process's to run). */
  private async execute(def: JobDefinition, id: string, ac: AbortController): Promise<JobOutcome | null> {
    const { store } = def;
    const resumedFrom = await this.begin(def, id);
    if (resumedFrom === null) return null;
    const spec = await store.spec(this.sql, id);
    const have = new Set((await store.storedParts(this.sql, id)).map((p) => p.chunkNo));
    const missing = Array.from({ length: def.chunkCount(spec) }, (_v, i) => i).filter((i) => !have.has(i));
    let done = resumedFrom;
    const session = def.session(id, spec);
    const tick = async () => {
      if (!(await store.tick(this.sql, id, done)) && !ac.signal.aborted) ac.abort(new Cancelled('no longer running'));
    };
    const ticker = setInterval(() => void tick().catch((e: unknown) => this.logger.warn({ err: e, runId: id }, 'progress update failed')), TICK_MS);
    const startedAt = Date.now();
    try {
      if (missing.length > 0) await session.prepare?.(ac.signal);
      const job = { handler: def.kind.handler, runId: id, chunks: missing, stored: () => store.storedParts(this.sql, id) };
      await this.executor.run(job, ac.signal, (chunkNo, rows) => {
        done += rows;
        session.onPart?.(chunkNo, rows);
      });
    } catch (e) {
      clearInterval(ticker);
      const reason: unknown = ac.signal.aborted ? ac.signal.reason : null;
      if (reason instanceof Shutdown) {
        await store.tick(this.sql, id, done).catch(() => undefined);
        return 'interrupted';
      }
      if (reason instanceof Cancelled) {
        await store.deleteParts(this.sql, id);
        return 'cancelled';
      }
      throw e;
    }
    clearInterval(ticker);
    await session.complete({ startedAt, chunksDoneAt: Date.now(), resumedWithRows: resumedFrom });
    return 'completed';
  }
}
