/**
 * Rating runs on BullMQ workers (this machine's Redis) give exactly the proposal of the in-process
 * threads: the same matrix, counts, groups, samples and matrix hash, over the same snapshot and the
 * same ledger state; and the same staging rows — during a regional rollout too (each customer rated
 * with the version their segment has at the run's instant, the same in a worker as in a thread).
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ChunkHandlers, ChunkTask } from '../../src/jobs/chunk-handler';
import { createTestApp, databaseUrl, TestApp } from '../helpers/test-app';
import { seedCatalog } from '../integration/simulation-fixtures';
import { waitForRun } from '../integration/rating-fixtures';
import { rolloutPolicy } from '../integration/rollout-fixtures';

jest.setTimeout(180_000);

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE = `tierwise-test-rating-${randomUUID().slice(0, 8)}`;
// A policy of its own: no other test file changes its ledger between the two proposals.
const POLICY = 'dealer-loyalty';

describe('rating runs: BullMQ workers = threads', () => {
  let threads: TestApp;
  let distributed: TestApp;
  let worker: Worker<ChunkTask>;
  let pool: Pool;
  let connection: IORedis;
  const saved = { rows: process.env.DATASET_CHUNK_ROWS, queue: process.env.SIMULATION_QUEUE };

  beforeAll(async () => {
    process.env.DATASET_CHUNK_ROWS = '700';
    process.env.SIMULATION_QUEUE = QUEUE;
    threads = await createTestApp();
    distributed = await createTestApp({ REDIS_URL });
    await seedCatalog(threads.app);
    pool = new Pool({ connectionString: databaseUrl(), max: 3 });
    const handlers = new ChunkHandlers({ db: pool, who: 'worker:test:rating', delayMs: 0 });
    connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    worker = new Worker<ChunkTask>(QUEUE, (job) => handlers.run(job.data), { connection, concurrency: 2 });
  });

  afterAll(async () => {
    await worker?.close();
    await distributed?.close();
    await threads?.close();
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

  it('the same proposal and staging rows either way', async () => {
    const author = await threads.login(['author']);
    const dataset = await threads.http
      .post('/api/datasets/synthetic')
      .set(author.auth)
      .send({ template: POLICY, size: 5_000, seed: 7, asOf: '2026-11-30' })
      .expect(201);
    const body = { policy: POLICY, datasetId: dataset.body.id, groupBy: ['district'] };
    const viaWorkers = await distributed.http.post('/api/rating-runs').set(author.auth).send(body).expect(201);
    expect(viaWorkers.body.executor).toBe(`bullmq:${QUEUE}`);
    const a = await waitForRun(distributed, author.auth, viaWorkers.body.id, ['proposed', 'failed'], 120_000);
    const inProcess = await threads.http.post('/api/rating-runs').set(author.auth).send(body).expect(201);
    expect(inProcess.body.executor).toBe('threads');
    const b = await waitForRun(threads, author.auth, inProcess.body.id, ['proposed', 'failed'], 120_000);
    expect([a.status, a.error, b.status, b.error]).toEqual(['proposed', null, 'proposed', null]);
    expect(a.result).toEqual(b.result);
    expect((a.result as { total: number }).total).toBe(5_000);

    const db = threads.app.get(DataSource);
    const by: { processed_by: string }[] = await db.query('SELECT DISTINCT processed_by FROM rating_run_part WHERE run_id = $1', [viaWorkers.body.id]);
    expect(by).toEqual([{ processed_by: 'worker:test:rating' }]);
    const staged = (id: string) =>
      db.query(
        'SELECT customer_id, snapshot_row, from_tier, to_tier, rated_tier, change, reason, below_runs FROM rating_run_change WHERE run_id = $1 ORDER BY customer_id',
        [id],
      );
    const [sa, sb] = [await staged(viaWorkers.body.id), await staged(inProcess.body.id)];
    expect(sa.length).toBe(5_000);
    expect(sa).toEqual(sb);
  });

  it('during a regional rollout: the same per-region versions, proposal and staging rows either way', async () => {
    const [author, approver] = await Promise.all([threads.login(['author']), threads.login(['approver'])]);
    const key = `rollout-workers-${randomUUID().slice(0, 8)}`;
    const now = Date.now();
    const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
    const { v1, v2 } = await rolloutPolicy(threads, { author: author.auth, approver: approver.auth }, key, [{ region: 'east', at: at(60) }], at(120));
    const regions = ['east', 'west', 'north'];
    const rows = Array.from({ length: 3_000 }, (_x, i) => ({ customerId: `rw-${i}`, rolloutStars: (i * 37) % 150, rolloutRegion: regions[i % 3] }));
    const dataset = await threads.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: `${key} snapshot`, asOf: at(0).slice(0, 10), rows })
      .expect(201);
    // between the east step and everyone's switch: east on version 2, west and north on version 1
    const body = { policy: key, datasetId: dataset.body.id, effectiveAt: at(90), groupBy: ['rolloutRegion'] };
    const viaWorkers = await distributed.http.post('/api/rating-runs').set(author.auth).send(body).expect(201);
    expect(viaWorkers.body.executor).toBe(`bullmq:${QUEUE}`);
    const a = await waitForRun(distributed, author.auth, viaWorkers.body.id, ['proposed', 'failed'], 120_000);
    const inProcess = await threads.http.post('/api/rating-runs').set(author.auth).send(body).expect(201);
    const b = await waitForRun(threads, author.auth, inProcess.body.id, ['proposed', 'failed'], 120_000);
    expect([a.status, a.error, b.status, b.error]).toEqual(['proposed', null, 'proposed', null]);
    expect(a.result).toEqual(b.result);
    expect((a.result as { rollout: unknown }).rollout).toEqual([
      { versionId: v1, number: 1, rolloutStep: null, customers: 2_000 },
      { versionId: v2, number: 2, rolloutStep: 0, customers: 1_000 },
    ]);
    // HIGH from 50 in east (version 2), from 100 elsewhere (version 1)
    const high = (region: string, from: number) => rows.filter((r) => r.rolloutRegion === region && r.rolloutStars >= from).length;
    const groups = (a.result as { groups: { group: { rolloutRegion: string }; after: Record<string, number> }[] }).groups;
    expect(Object.fromEntries(groups.map((g) => [g.group.rolloutRegion, g.after.HIGH ?? 0]))).toEqual({
      east: high('east', 50),
      north: high('north', 100),
      west: high('west', 100),
    });

    const db = threads.app.get(DataSource);
    const staged = (id: string) =>
      db.query(
        'SELECT customer_id, snapshot_row, from_tier, to_tier, rated_tier, change, reason, below_runs, version_id, rollout_step FROM rating_run_change WHERE run_id = $1 ORDER BY customer_id',
        [id],
      );
    const [sa, sb] = [await staged(viaWorkers.body.id), await staged(inProcess.body.id)];
    expect(sa.length).toBe(3_000);
    expect(sa).toEqual(sb);
    expect(sa.filter((r: { version_id: string; rollout_step: number | null }) => r.version_id === v2 && r.rollout_step === 0)).toHaveLength(1_000);
    for (const id of [viaWorkers.body.id, inProcess.body.id]) await threads.http.post(`/api/rating-runs/${id}/cancel`).set(author.auth).send({}).expect(200);
  });
});
