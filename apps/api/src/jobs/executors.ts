import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import { Piscina } from 'piscina';
import type { ChunkDone, ChunkTask, ThreadCall } from './chunk-handler';
import type { ThreadData } from './job-thread';

/** How a run's chunks get processed: worker threads of this process, or BullMQ worker processes. */
export interface ChunkExecutor {
  /** Stored on the run; a process only takes over runs started with the same executor. */
  readonly name: string;
  /**
   * Process these chunks of one run (each stored as a part); `onPart` is told of each chunk stored.
   * Resolves when all are stored; rejects when one fails for good, or with `signal.reason` once the
   * signal aborts (after letting chunks already in a thread finish).
   */
  run(job: ChunkRun, signal: AbortSignal, onPart: (chunkNo: number, rows: number) => void): Promise<void>;
  warm(handlers: string[]): void;
  close(): Promise<void>;
}

/** The chunks of one run to process. */
export interface ChunkRun {
  /** The kind's handler module (JobKind.handler). */
  handler: string;
  runId: string;
  chunks: number[];
  /** The chunks of the run already stored (read from PostgreSQL). */
  stored(): Promise<{ chunkNo: number; rows: number }[]>;
}

/** Attempts per chunk (a crashed thread, a worker process that died or threw) before the run fails. */
export const JOB_ATTEMPTS = 3;

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

/**
 * The thread entry: job-thread.js beside this file when built; from sources (the tests), a loader
 * that compiles the current TypeScript in the thread, so threads never run a stale dist/.
 */
export function threadEntry(): string {
  const built = path.join(__dirname, 'job-thread.js');
  if (existsSync(built)) return built;
  if (__filename.endsWith('.ts')) return tsThreadLoader();
  throw new Error(`the job thread entry ${built} is missing: build the api`);
}

/**
 * The one loader of every worker thread of the API when it runs from its TypeScript sources (the
 * tests): test/helpers/ts-thread.js compiles the entry named by `workerData.tsEntry` (a path below
 * src/; default jobs/job-thread.ts, the piscina job threads) — the webhook delivery thread uses it too.
 */
export function tsThreadLoader(): string {
  return path.resolve(__dirname, '..', '..', 'test', 'helpers', 'ts-thread.js');
}

/** Tasks each thread holds at once: one evaluating while the next one's chunk is being read. */
const PER_THREAD = 2;

/** Work for this process's job threads that is not a run's chunk (ThreadCall): e.g. the parts of a CSV import. */
export interface ThreadTasks {
  readonly size: number;
  call<R>(task: ThreadCall): Promise<R>;
  /** Each thread started from now on runs this ThreadCall module's `threadWarmUp` while it is idle. */
  warmTask(module: string): void;
}

/** The executor's threads, when its chunks run in this process (not with BullMQ). */
export function threadTasksOf(executor: ChunkExecutor): ThreadTasks | null {
  return executor instanceof ThreadsExecutor ? executor : null;
}

/**
 * A fixed pool of `threads` worker threads (piscina: a thread that dies is replaced once, the pool
 * stays at its size), started on first use or by `warm()`, kept for the life of the process.
 */
export class ThreadsExecutor implements ChunkExecutor, ThreadTasks {
  readonly name = 'threads';
  private pool: Piscina<ChunkTask | ThreadCall, unknown> | null = null;
  private readonly warmTasks: string[] = [];

  constructor(
    private readonly threads: number,
    private readonly databaseUrl: string,
    private readonly chunkDelayMs: number,
    /** A thread died outside a task (an uncaught error): piscina replaces it; this only reports it. */
    private readonly onThreadError: (e: unknown) => void = () => undefined,
  ) {}

  private get(warm: string[] = []): Piscina<ChunkTask | ThreadCall, unknown> {
    if (!this.pool) {
      const workerData: ThreadData = { databaseUrl: this.databaseUrl, chunkDelayMs: this.chunkDelayMs, warm, warmTasks: this.warmTasks };
      this.pool = new Piscina<ChunkTask | ThreadCall, unknown>({
        filename: threadEntry(),
        minThreads: this.threads,
        maxThreads: this.threads,
        idleTimeout: 2 ** 31 - 1,
        concurrentTasksPerWorker: PER_THREAD,
        // Not Atomics.wait() while idle: that blocks the thread's event loop, so the warm-up and the
        // pool's idle database connections would stall until the first task arrives.
        atomics: 'disabled',
        workerData,
      });
      this.pool.on('error', (e: unknown) => this.onThreadError(e));
    }
    return this.pool;
  }

  /** The pool's size (its threads start on first use). */
  get size(): number {
    return this.threads;
  }

  /** The live threads (for tests and diagnostics). */
  get threadCount(): number {
    return this.pool?.threads.length ?? 0;
  }

  /** The pool's threads (tests kill one to check it is replaced). */
  get workers() {
    return this.pool?.threads ?? [];
  }

  warm(handlers: string[]): void {
    this.get(handlers);
  }

  warmTask(module: string): void {
    if (!this.warmTasks.includes(module)) this.warmTasks.push(module);
  }

  private async attempt(task: ChunkTask, signal: AbortSignal): Promise<ChunkDone> {
    for (let n = 1; ; n++) {
      try {
        return (await this.get().run(task)) as ChunkDone;
      } catch (e) {
        // A chunk is idempotent: retried when its thread died under it, unless the run was stopped meanwhile.
        if (n >= JOB_ATTEMPTS || signal.aborted) throw e;
      }
    }
  }

  async call<R>(task: ThreadCall): Promise<R> {
    return (await this.get().run(task, { name: 'call' })) as R;
  }

  async run({ handler, runId, chunks }: ChunkRun, signal: AbortSignal, onPart: (chunkNo: number, rows: number) => void): Promise<void> {
    // Chunks of a stopped run still queued here are skipped by their handler at once (the run is
    // no longer open), so the pool needs no per-run removal.
    const all = Promise.all(
      chunks.map((chunkNo) =>
        this.attempt({ handler, runId, chunkNo }, signal).then((r) => {
          if (!r.skipped) onPart(chunkNo, r.rows);
        }),
      ),
    );
    try {
      await Promise.race([all, aborted(signal)]);
    } catch (e) {
      await all.catch(() => undefined); // let chunks already in a thread finish before the run lets go
      throw e;
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy().catch(() => undefined);
  }
}

export function bullmqJobId(handler: string, runId: string, chunkNo: number): string {
  return `${handler.replace(/[^a-z0-9]+/g, '_')}-${runId}-${chunkNo}`;
}

export function redisConnection(url: string): IORedis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

interface Waiter {
  done(rows: number, skipped: boolean): void;
  failed(reason: string): void;
}

/**
 * With REDIS_URL: each chunk is a BullMQ job (id = kind + run + chunk, so re-adding after a restart
 * never duplicates work), processed by any number of `npm run worker` processes. Completion comes
 * through one QueueEvents stream per process (`completed` with the chunk's `{rows, skipped}`,
 * `failed` once a job has used its attempts); a run resumed after a restart first counts the parts
 * already stored in PostgreSQL (the coordinator does that), so events missed while no coordinator
 * listened lose nothing. `reconcile` re-reads the stored parts in case an event was lost on a
 * Redis reconnect.
 */
export class BullmqExecutor implements ChunkExecutor {
  readonly name: string;
  private queue: Queue | null = null;
  private events: QueueEvents | null = null;
  private connection: IORedis | null = null;
  private eventsConnection: IORedis | null = null;
  private ready: Promise<void> | null = null;
  private readonly waiters = new Map<string, Waiter>();

  constructor(
    private readonly redisUrl: string,
    private readonly queueName: string,
    private readonly reconcileMs = 5000,
  ) {
    this.name = `bullmq:${queueName}`;
  }

  private async connect(): Promise<Queue> {
    if (!this.queue) {
      this.connection = redisConnection(this.redisUrl);
      this.connection.on('error', () => undefined); // reported through the failing calls
      this.queue = new Queue<ChunkTask>(this.queueName, { connection: this.connection });
      // QueueEvents blocks on its stream: a connection of its own.
      this.eventsConnection = redisConnection(this.redisUrl);
      this.eventsConnection.on('error', () => undefined);
      this.events = new QueueEvents(this.queueName, { connection: this.eventsConnection });
      this.events.on('error', () => undefined);
      this.events.on('completed', ({ jobId, returnvalue }) => {
        const w = this.waiters.get(jobId);
        if (!w) return;
        const r = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as Partial<ChunkDone> | null;
        w.done(Number(r?.rows ?? 0), Boolean(r?.skipped));
      });
      this.events.on('failed', ({ jobId, failedReason }) => this.waiters.get(jobId)?.failed(failedReason));
      this.ready = this.events.waitUntilReady().then(() => undefined);
    }
    await this.ready;
    return this.queue;
  }

  warm(): void {
    /* connects on first use */
  }

  async run({ handler, runId, chunks, stored }: ChunkRun, signal: AbortSignal, onPart: (chunkNo: number, rows: number) => void): Promise<void> {
    const queue = await this.connect();
    const waiting = new Map(chunks.map((chunkNo) => [bullmqJobId(handler, runId, chunkNo), chunkNo]));
    let timer: NodeJS.Timeout | null = null;
    try {
      await new Promise<void>((resolve, reject) => {
        const settle = (jobId: string, rows: number, skipped: boolean) => {
          const chunkNo = waiting.get(jobId);
          if (chunkNo === undefined) return;
          waiting.delete(jobId);
          this.waiters.delete(jobId);
          if (!skipped) onPart(chunkNo, rows);
          if (!waiting.size) resolve();
        };
        for (const jobId of waiting.keys()) {
          this.waiters.set(jobId, {
            done: (rows, skipped) => settle(jobId, rows, skipped),
            failed: (reason) => reject(new Error(`chunk ${waiting.get(jobId)} failed after ${JOB_ATTEMPTS} attempts: ${reason}`)),
          });
        }
        // One listener for the whole run (never one per wait).
        void aborted(signal).catch(reject);
        const reconcile = async () => {
          for (const p of await stored()) settle(bullmqJobId(handler, runId, p.chunkNo), p.rows, false);
        };
        timer = setInterval(() => void reconcile().catch(() => undefined), this.reconcileMs);
        queue
          .addBulk(
            chunks.map((chunkNo) => ({
              name: 'chunk',
              data: { handler, runId, chunkNo } satisfies ChunkTask,
              opts: {
                jobId: bullmqJobId(handler, runId, chunkNo),
                attempts: JOB_ATTEMPTS,
                backoff: { type: 'exponential', delay: 500 },
                removeOnComplete: true,
                removeOnFail: 1000,
              },
            })),
          )
          .then(() => (waiting.size ? reconcile() : undefined))
          .catch(reject);
      });
    } catch (e) {
      await Promise.all([...waiting.keys()].map((jobId) => queue.remove(jobId).catch(() => 0)));
      throw e;
    } finally {
      if (timer) clearInterval(timer);
      for (const jobId of waiting.keys()) this.waiters.delete(jobId);
    }
  }

  async close(): Promise<void> {
    await this.events?.close().catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    this.connection?.disconnect();
    this.eventsConnection?.disconnect();
  }
}
