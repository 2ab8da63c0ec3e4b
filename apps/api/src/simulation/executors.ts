import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import type { DataSource } from 'typeorm';
import { ThreadPool } from './thread-pool';

/** How a run's chunks get evaluated: worker threads of this process, or BullMQ worker processes. */
export interface ChunkExecutor {
  /** Stored on the run; a process only takes over runs started with the same executor. */
  readonly name: string;
  /**
   * Evaluate these chunks (each stored as a part); `onPart` is told of each chunk stored. Resolves
   * when all are stored; rejects when one fails for good, or with `signal.reason` once the signal aborts.
   */
  run(simulationId: string, chunks: number[], signal: AbortSignal, onPart: (chunkNo: number, rows: number) => void): Promise<void>;
  warm(): void;
  close(): Promise<void>;
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

export class ThreadsExecutor implements ChunkExecutor {
  readonly name = 'threads';
  private readonly pool: ThreadPool;

  constructor(threads: number, databaseUrl: string, chunkDelayMs: number) {
    this.pool = new ThreadPool(threads, { databaseUrl, chunkDelayMs });
  }

  warm(): void {
    this.pool.warm();
  }

  async run(simulationId: string, chunks: number[], signal: AbortSignal, onPart: (chunkNo: number, rows: number) => void): Promise<void> {
    const all = Promise.all(
      chunks.map((chunkNo) =>
        this.pool.run({ simulationId, chunkNo }).then((r) => {
          if (!r.skipped) onPart(chunkNo, r.rows);
        }),
      ),
    );
    try {
      await Promise.race([all, aborted(signal)]);
    } catch (e) {
      this.pool.dropQueued(simulationId, e instanceof Error ? e : new Error(String(e)));
      await all.catch(() => undefined); // let chunks already in a thread finish before the run lets go
      throw e;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export interface ChunkJob {
  simulationId: string;
  chunkNo: number;
}

export const JOB_ATTEMPTS = 3;

export function jobId(simulationId: string, chunkNo: number): string {
  return `${simulationId}-${chunkNo}`;
}

export function redisConnection(url: string): IORedis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/**
 * With REDIS_URL: each chunk is a BullMQ job (id = run + chunk, so re-adding after a restart never
 * duplicates work), processed by any number of `npm run worker` processes. Completion is read from
 * PostgreSQL (the parts), which survives any process stopping; a worker that gives up on a chunk
 * marks the run failed, which the poll sees.
 */
export class BullmqExecutor implements ChunkExecutor {
  readonly name: string;
  private queue: Queue | null = null;
  private connection: IORedis | null = null;

  constructor(
    private readonly redisUrl: string,
    private readonly queueName: string,
    private readonly ds: DataSource,
  ) {
    this.name = `bullmq:${queueName}`;
  }

  private q(): Queue {
    if (!this.queue) {
      this.connection = redisConnection(this.redisUrl);
      this.connection.on('error', () => undefined); // reported through the failing calls
      this.queue = new Queue<ChunkJob>(this.queueName, { connection: this.connection });
    }
    return this.queue;
  }

  warm(): void {
    /* connects on first use */
  }

  async run(simulationId: string, chunks: number[], signal: AbortSignal, onPart: (chunkNo: number, rows: number) => void): Promise<void> {
    const queue = this.q();
    await queue.addBulk(
      chunks.map((chunkNo) => ({
        name: 'chunk',
        data: { simulationId, chunkNo } satisfies ChunkJob,
        opts: {
          jobId: jobId(simulationId, chunkNo),
          attempts: JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: 500 },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      })),
    );
    const waiting = new Set(chunks);
    try {
      for (;;) {
        if (signal.aborted) throw signal.reason as Error;
        const parts: { chunk_no: number; row_count: number }[] = await this.ds.query(
          'SELECT chunk_no, row_count FROM simulation_part WHERE simulation_id = $1',
          [simulationId],
        );
        for (const p of parts) {
          if (!waiting.delete(p.chunk_no)) continue;
          onPart(p.chunk_no, p.row_count);
        }
        if (waiting.size === 0) return;
        const [sim]: { status: string; error: string | null }[] = await this.ds.query('SELECT status, error FROM simulation WHERE id = $1', [simulationId]);
        if (sim?.status === 'failed') throw new Error(sim.error ?? 'a worker failed');
        await Promise.race([new Promise((resolve) => setTimeout(resolve, 100)), aborted(signal).catch(() => undefined)]);
      }
    } catch (e) {
      await Promise.all(chunks.map((n) => queue.remove(jobId(simulationId, n)).catch(() => 0)));
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
    this.connection?.disconnect();
  }
}
