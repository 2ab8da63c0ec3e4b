/**
 * Entry of a job worker thread (piscina, see executors.ts): one task = one chunk of one run, of any
 * job kind; the kind's handler module is loaded on first use and kept. Reads and writes PostgreSQL
 * over its own small pool.
 */
import { threadId, workerData } from 'node:worker_threads';
import { Pool } from 'pg';
import { ChunkDone, ChunkHandlers, ChunkTask } from './chunk-handler';

export interface ThreadData {
  databaseUrl: string;
  chunkDelayMs: number;
  /** Handler modules to warm up while the fresh thread is idle. */
  warm: string[];
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
  db.query('SELECT 1').catch(() => undefined);
});

export default function runChunk(task: ChunkTask): Promise<ChunkDone> {
  return handlers.run(task);
}
