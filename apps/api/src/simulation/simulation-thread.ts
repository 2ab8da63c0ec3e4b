/**
 * Entry of a simulation worker thread (see thread-pool.ts): evaluates chunks sent by the API's
 * coordinator, reading and writing PostgreSQL over its own small connection pool.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { Pool } from 'pg';
import { ChunkProcessor } from './chunk-processor';

interface ThreadData {
  databaseUrl: string;
  chunkDelayMs: number;
}

interface Task {
  id: number;
  simulationId: string;
  chunkNo: number;
}

const data = workerData as ThreadData;
const pool = new Pool({ connectionString: data.databaseUrl, max: 2, application_name: 'tierwise-simulation-thread' });
pool.on('error', () => undefined); // an idle connection dropped: the next query reconnects
const processor = new ChunkProcessor(pool, `thread:${process.pid}:${threadId}`, data.chunkDelayMs);
const port = parentPort;
if (!port) throw new Error('simulation-thread must run as a worker thread');

port.on('message', (m: Task | { close: true }) => {
  if ('close' in m) {
    void pool.end().finally(() => port.close());
    return;
  }
  processor.process(m.simulationId, m.chunkNo).then(
    (r) => port.postMessage({ id: m.id, ok: true, rows: r.rows, skipped: r.skipped }),
    (e: unknown) => port.postMessage({ id: m.id, ok: false, message: e instanceof Error ? e.message : String(e) }),
  );
});
