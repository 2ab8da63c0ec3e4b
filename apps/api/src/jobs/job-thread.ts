/**
 * Entry of a job worker thread (piscina, see executors.ts): one task = one chunk of one run, of any
 * job kind; the kind's handler module is loaded on first use and kept. Reads and writes PostgreSQL
 * over its own small pool. `call` (piscina's `name`) runs a ThreadCall instead: a module's
 * `threadTask`, its answer's buffers moved to the caller.
 */
import { threadId, workerData } from 'node:worker_threads';
import { Pool } from 'pg';
import { Piscina } from 'piscina';
import { ChunkDone, ChunkHandlers, ChunkTask, ThreadCall } from './chunk-handler';

export interface ThreadData {
  databaseUrl: string;
  chunkDelayMs: number;
  /** Handler modules to warm up while the fresh thread is idle. */
  warm: string[];
  /** ThreadCall modules whose `threadWarmUp` runs then too. */
  warmTasks: string[];
}

const data = workerData as ThreadData;
const db = new Pool({ connectionString: data.databaseUrl, max: 2, application_name: 'tierwise-job-thread' });
db.on('error', () => undefined); // an idle connection dropped: the next query reconnects
const handlers = new ChunkHandlers({ db, who: `thread:${process.pid}:${threadId}`, delayMs: data.chunkDelayMs });

setImmediate(() => {
  for (const id of data.warm) {
    try {
      handlers.get(id).warmUp?.();
    } catch {
      /* only an optimisation */
    }
  }
  for (const id of data.warmTasks ?? []) {
    try {
      handlers.warmTask(id);
    } catch {
      /* only an optimisation */
    }
  }
  db.query('SELECT 1').catch(() => undefined);
});

export default function runChunk(task: ChunkTask): Promise<ChunkDone> {
  return handlers.run(task);
}

export async function call(task: ThreadCall): Promise<unknown> {
  const { value, transfer } = await handlers.call(task);
  // piscina's Transferable (its symbols are typed as plain `symbol`)
  const movable = { [Piscina.transferableSymbol]: transfer, [Piscina.valueSymbol]: value };
  return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]);
}
