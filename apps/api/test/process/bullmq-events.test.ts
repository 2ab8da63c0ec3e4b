/**
 * BullMQ completion comes through QueueEvents, with one abort listener per run: a 20-second run of
 * 20 chunks on this machine's Redis raises no MaxListenersExceededWarning (the former polling added a
 * listener on every poll, and Node warned after about a second; a listener per chunk would warn at
 * the 11th of the 20) and completes with every chunk counted. (It was a 60 s run of 60 chunks: the
 * extra 40 s caught nothing these 20 do not, and cost 40 s of every CI run.)
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import { ChunkHandlers, ChunkTask } from '../../src/jobs/chunk-handler';
import { createTestApp, databaseUrl, TestApp } from '../helpers/test-app';
import { raisedPlatinumDraft, seedCatalog, waitForStatus } from '../integration/simulation-fixtures';

jest.setTimeout(180_000);

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE = `tierwise-test-events-${randomUUID().slice(0, 8)}`;

describe('BullMQ executor: QueueEvents, no listener leak', () => {
  let t: TestApp;
  let worker: Worker<ChunkTask>;
  let pool: Pool;
  let connection: IORedis;
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  const saved = { rows: process.env.DATASET_CHUNK_ROWS, queue: process.env.SIMULATION_QUEUE };

  beforeAll(async () => {
    process.env.DATASET_CHUNK_ROWS = '1000';
    process.env.SIMULATION_QUEUE = QUEUE;
    t = await createTestApp({ REDIS_URL });
    await seedCatalog(t.app);
    pool = new Pool({ connectionString: databaseUrl(), max: 2 });
    // One chunk a second: 20 chunks → a run of about 20 s.
    const handlers = new ChunkHandlers({ db: pool, who: 'worker:test:1', delayMs: 1000 });
    connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    worker = new Worker<ChunkTask>(QUEUE, (job) => handlers.run(job.data), { connection, concurrency: 1 });
    process.on('warning', onWarning);
  });

  afterAll(async () => {
    process.off('warning', onWarning);
    await worker?.close();
    await t?.close();
    await pool?.end();
    const queue = new Queue(QUEUE, { connection });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    connection.disconnect();
    for (const [k, v] of [
      ['DATASET_CHUNK_ROWS', saved.rows],
      ['SIMULATION_QUEUE', saved.queue],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('a 20 s run of 20 chunks completes and Node never warns of a listener leak', async () => {
    const author = await t.login(['author']);
    const draft = await raisedPlatinumDraft(t, author.auth);
    const dataset = await t.http.post('/api/datasets/synthetic').set(author.auth).send({ template: 'cib-card', size: 20_000, seed: 5 }).expect(201);
    const started = Date.now();
    const run = await t.http.post('/api/simulations').set(author.auth).send({ candidateVersionId: draft.id, datasetId: dataset.body.id }).expect(201);
    expect(run.body.executor).toBe(`bullmq:${QUEUE}`);
    const done = await waitForStatus(t, author.auth, run.body.id, ['succeeded', 'failed', 'cancelled'], 170_000);
    expect([done.status, done.error]).toEqual(['succeeded', null]);
    expect(done.progress).toEqual({ done: 20_000, total: 20_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(20_000);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
  });
});
