/**
 * Distributed simulation: with REDIS_URL the API splits a run into BullMQ chunk jobs; two
 * `npm run worker` processes (dist/worker.js) on this machine's Redis evaluate them; the merged
 * result equals the in-process (worker-thread) result of the same run. Also: the worker refuses to
 * start without its settings.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { createTestApp, databaseUrl, TestApp } from '../helpers/test-app';
import { raisedPlatinumDraft, seedCatalog, waitForStatus } from '../integration/simulation-fixtures';

jest.setTimeout(180_000);

const WORKER = path.resolve(__dirname, '..', '..', 'dist', 'worker.js');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE = `tierwise-test-${randomUUID().slice(0, 8)}`;

interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | string>;
}

function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const clean = { ...process.env };
  delete clean.DATABASE_URL;
  delete clean.REDIS_URL;
  const child = spawn(process.execPath, [WORKER], { env: { ...clean, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${out}`)), 30_000);
    child.stdout?.on('data', () => {
      if (out.includes('is processing queue')) {
        clearTimeout(timer);
        resolve({ child, output: () => out, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}):\n${out}`));
    });
  });
}

/** The result without what legitimately differs between two runs. */
function comparable(result: Record<string, unknown>) {
  const { executor: _e, evaluationMs: _m, timings: _t, ...rest } = result;
  return rest;
}

describe('npm run worker: distributed simulation on Redis', () => {
  let threads: TestApp;
  let distributed: TestApp;
  let author: { auth: { Authorization: string } };
  const workers: WorkerProcess[] = [];
  const saved = { rows: process.env.DATASET_CHUNK_ROWS, queue: process.env.SIMULATION_QUEUE };

  beforeAll(async () => {
    process.env.DATASET_CHUNK_ROWS = '1000';
    process.env.SIMULATION_QUEUE = QUEUE;
    threads = await createTestApp();
    distributed = await createTestApp({ REDIS_URL });
    await seedCatalog(threads.app);
    author = await threads.login(['author']);
    const env = { DATABASE_URL: databaseUrl(), REDIS_URL, SIMULATION_QUEUE: QUEUE, WORKER_CONCURRENCY: '2', SIMULATION_CHUNK_DELAY_MS: '20' };
    workers.push(await startWorker(env), await startWorker(env));
  });

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await distributed?.close();
    await threads?.close();
    const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUE, { connection });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    connection.disconnect();
    process.env.DATASET_CHUNK_ROWS = saved.rows;
    process.env.SIMULATION_QUEUE = saved.queue;
    if (saved.rows === undefined) delete process.env.DATASET_CHUNK_ROWS;
    if (saved.queue === undefined) delete process.env.SIMULATION_QUEUE;
  });

  it('two worker processes give exactly the in-process result', async () => {
    const draft = await raisedPlatinumDraft(threads, author.auth);
    const dataset = await threads.http.post('/api/datasets/synthetic').set(author.auth).send({ template: 'cib-card', size: 30_000, seed: 21 }).expect(201);
    const body = { candidateVersionId: draft.id, datasetId: dataset.body.id, groupBy: ['district', 'ageCohort'] };

    const viaWorkers = await distributed.http.post('/api/simulations').set(author.auth).send(body).expect(201);
    expect(viaWorkers.body.executor).toBe(`bullmq:${QUEUE}`);
    const a = await waitForStatus(distributed, author.auth, viaWorkers.body.id, ['succeeded', 'failed'], 120_000);
    expect([a.status, a.error]).toEqual(['succeeded', null]);

    const inProcess = await threads.http.post('/api/simulations').set(author.auth).send(body).expect(201);
    expect(inProcess.body.executor).toBe('threads');
    const b = await waitForStatus(threads, author.auth, inProcess.body.id, ['succeeded', 'failed'], 120_000);
    expect([b.status, b.error]).toEqual(['succeeded', null]);

    expect(comparable(a.result as Record<string, unknown>)).toEqual(comparable(b.result as Record<string, unknown>));
    expect((a.result as { total: number }).total).toBe(30_000);

    // Both worker processes took part; no worker thread of the API did.
    const ds = threads.app.get(DataSource);
    const by: { processed_by: string; n: number }[] = await ds.query(
      'SELECT processed_by, count(*)::int AS n FROM simulation_part WHERE simulation_id = $1 GROUP BY processed_by',
      [viaWorkers.body.id],
    );
    expect(by.every((r) => r.processed_by.startsWith('worker:'))).toBe(true);
    expect(new Set(by.map((r) => r.processed_by.split(':')[2])).size).toBe(2);
    expect(by.reduce((s, r) => s + r.n, 0)).toBe(30);

    // The same per-customer CSV either way.
    const csv = async (t: TestApp, id: string) =>
      (
        await t.http
          .get(`/api/simulations/${id}/results.csv`)
          .set(author.auth)
          .buffer(true)
          .parse((res, cb) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (text += d));
            res.on('end', () => cb(null, text));
          })
      ).body as string;
    expect(await csv(distributed, viaWorkers.body.id)).toBe(await csv(threads, inProcess.body.id));
  });

  it('stops cleanly on SIGTERM', async () => {
    const w = workers[1];
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  });
});

describe('npm run worker: settings', () => {
  it('refuses to start without DATABASE_URL and REDIS_URL, with one clear line', async () => {
    const clean = { ...process.env };
    delete clean.DATABASE_URL;
    delete clean.REDIS_URL;
    const child = spawn(process.execPath, [WORKER], { env: clean, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(err.trim()).toBe('tierwise worker: set DATABASE_URL and REDIS_URL: workers share PostgreSQL and Redis with the API');
  });

  it.each([
    [{ WORKER_CONCURRENCY: '0' }, 'tierwise worker: Invalid setting WORKER_CONCURRENCY="0": must be between 1 and 64'],
    [{ SIMULATION_QUEUE: 'a queue' }, 'tierwise worker: Invalid setting SIMULATION_QUEUE="a queue": must be letters, digits, _ or - (at most 64)'],
    [{ DATASET_CHUNK_ROWS: '5' }, 'tierwise worker: Invalid setting DATASET_CHUNK_ROWS="5": must be between 10 and 1000000'],
  ])("refuses %j with one line naming it (the API's one configuration)", async (bad, expected) => {
    const env = { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing', REDIS_URL, ...bad };
    const child = spawn(process.execPath, [WORKER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(err.trim()).toBe(expected);
  });
});
