/**
 * Entry of a simulation worker thread (see thread-pool.ts): evaluates chunks sent by the API's
 * coordinator, reading and writing PostgreSQL over its own small connection pool.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { getTemplate } from '@tierwise/policy-engine';
import { Pool } from 'pg';
import { ChunkBuilder, decodeChunk } from '../datasets/chunk-codec';
import { compileSpec, evaluateChunk } from './chunk-evaluator';
import { ChunkProcessor } from './chunk-processor';
import type { SimulationSpec, VersionSnapshot } from './simulation-spec';

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

/**
 * JIT warm-up while the thread is idle after start: decode and evaluate a synthetic chunk a few
 * times with a shipped template, so that the first real run does not pay for compilation, and open
 * a database connection.
 */
function warmUp(): void {
  const template = getTemplate('cib-card');
  if (!template) return;
  const version: VersionSnapshot = {
    id: 'warm-up',
    policyId: 'warm-up',
    number: 1,
    status: 'draft',
    definition: template.versions[0].definition,
    facts: template.facts,
    packages: {},
  };
  const keys = template.facts.map((f) => f.key);
  const raised = structuredClone(version.definition);
  raised.tiers = raised.tiers.slice(1);
  const spec: SimulationSpec = {
    baseline: version,
    candidate: { ...version, definition: raised },
    datasetId: 'warm-up',
    rowCount: 0,
    chunkCount: 1,
    inputFacts: keys,
    groupBy: ['group'],
    sampleFacts: [...keys, 'group'],
    columns: [],
    asOf: new Date().toISOString(),
  };
  const rows = 20_000;
  const builder = new ChunkBuilder([...template.facts.map((f) => ({ key: f.key, type: f.type })), { key: 'group', type: 'string' }], rows, true);
  for (let i = 0; i < rows; i++) {
    builder.append(`W${i}`, [
      ...template.facts.map((f) => (f.type === 'boolean' ? i % 7 !== 0 : f.type === 'number' ? (i % 3 ? (i * 7919) % 1_500_000 : null) : null)),
      `g${i % 7}`,
    ]);
  }
  const data = builder.encode();
  const compiled = compileSpec(spec);
  for (let k = 0; k < 12; k++) evaluateChunk(compiled, decodeChunk(data), 0);
}

setImmediate(() => {
  try {
    warmUp();
  } catch {
    /* only an optimisation */
  }
  pool.query('SELECT 1').catch(() => undefined);
});

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
