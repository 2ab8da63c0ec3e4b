/**
 * Tier events delivered through BullMQ (issue 12: "BullMQ when REDIS_URL is set"), on this machine's
 * Redis: with REDIS_URL the API only dispatches the outbox into pending delivery rows and enqueues
 * delivery jobs on the jobs machinery's queue (SIMULATION_QUEUE); `npm run worker` processes
 * (dist/worker.js) deliver them. Nothing is delivered before a worker runs; two workers deliver a
 * run's 300 events, one is killed with SIGKILL in the middle, and the receiver still gets every
 * event id, signed, an id twice only for the batch the killed worker had claimed and not recorded.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';
import { seedCatalog } from '../integration/simulation-fixtures';

jest.setTimeout(360_000);

const WORKER = path.resolve(__dirname, '..', '..', 'dist', 'worker.js');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE = `tierwise-test-webhooks-${randomUUID().slice(0, 8)}`;
const SECRET = 'bullmq-receiver-secret-01';
const POLICY = 'cib-asset-ladder';
const CUSTOMERS = 300;
const BATCH = 20;
const SETTINGS = {
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  WEBHOOK_BATCH: String(BATCH),
  WEBHOOK_CONCURRENCY: '4',
  WEBHOOK_POLL_MS: '50',
  SIMULATION_QUEUE: QUEUE,
};

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, timeoutMs = 150_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<unknown>;
}

function startWorker(databaseUrl: string): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL, LOG_LEVEL: 'warn', WORKER_CONCURRENCY: '2', ...SETTINGS },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${out}`)), 120_000);
    const read = (d: Buffer) => {
      out += d.toString();
      if (out.includes('is processing queue')) {
        clearTimeout(timer);
        resolve({ child, exited });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    void exited.then((code) => reject(new Error(`worker exited (${String(code)}):\n${out}`)));
  });
}

describe('tier events on BullMQ workers', () => {
  let t: TestApp & { url: string; db: import('pg').Client };
  const saved = Object.fromEntries(Object.keys(SETTINGS).map((k) => [k, process.env[k]]));
  const workers: WorkerProcess[] = [];
  const received: string[] = [];
  let badSignatures = 0;
  // Once GATE_AT deliveries have arrived, the receiver holds every further one until `release()`: the
  // killed worker is then surely in the middle of delivering, however fast this machine is.
  const GATE_AT = 3 * BATCH;
  let arrived = 0;
  let held = 0;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let receiver: Server;
  let port = 0;

  beforeAll(async () => {
    Object.assign(process.env, SETTINGS);
    t = await createIsolatedTestApp({ REDIS_URL, SIMULATION_RECOVERY_MS: '500' });
    await seedCatalog(t.app);
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        if (req.headers['x-tierwise-signature'] !== `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`) badSignatures++;
        // Slow on purpose (8 POSTs in flight at most: 2 jobs × WEBHOOK_CONCURRENCY 4), so a worker can be
        // killed in the middle of delivering even on a busy machine.
        const answer = () =>
          setTimeout(() => {
            received.push((JSON.parse(raw) as { id: string }).id);
            if (!res.destroyed) res.writeHead(204).end();
          }, 50);
        if (++arrived > GATE_AT) {
          held++;
          void gate.then(answer);
        } else answer();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    await t?.close();
    const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUE, { connection });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    connection.disconnect();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('workers deliver every event exactly once per id (a killed worker’s batch again, same ids), signed', async () => {
    const admin = await t.login(['admin']);
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    const hook = await t.http
      .post('/api/webhooks')
      .set(admin.auth)
      .send({ url: `http://127.0.0.1:${port}/hook`, events: ['tier.changed'], secret: SECRET })
      .expect(201);
    const dataset = await t.http
      .post('/api/datasets/synthetic')
      .set(author.auth)
      .send({ template: POLICY, size: CUSTOMERS, seed: 7, asOf: '2026-11-30' })
      .expect(201);
    const run = await t.http.post('/api/rating-runs').set(author.auth).send({ policy: POLICY, datasetId: dataset.body.id }).expect(201);
    // The run's chunks are BullMQ jobs too: the first worker proposes it.
    workers.push(await startWorker(t.url));
    await until('the proposal', async () =>
      (await t.http.get(`/api/rating-runs/${run.body.id}`).set(author.auth)).body.status === 'proposed' ? true : undefined,
    );
    workers[0].child.kill('SIGKILL');
    await workers[0].exited;
    const approved = await t.http.post(`/api/rating-runs/${run.body.id}/approve`).set(approver.auth).send({}).expect(200);
    expect(approved.body.status).toBe('applied');
    const events = (await t.db.query<{ id: string }>('SELECT id FROM tier_event WHERE run_id = $1', [run.body.id])).rows.map((r) => r.id);
    expect(events).toHaveLength(CUSTOMERS);

    // No worker: the API dispatches (pending rows, cursor moved) but delivers nothing itself.
    await until('the dispatch', async () => {
      const r = await t.http.get(`/api/webhooks/${hook.body.id}`).set(admin.auth).expect(200);
      return r.body.deliveries.pending === CUSTOMERS ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(received).toHaveLength(0);

    // Two workers deliver; one is killed with SIGKILL in the middle.
    workers.push(await startWorker(t.url), await startWorker(t.url));
    await until('some deliveries, then the receiver holding the next', () => (received.length >= GATE_AT && held > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 500)); // both workers' batches reach the held receiver
    workers[1].child.kill('SIGKILL');
    await workers[1].exited;
    expect(received.length).toBeLessThan(CUSTOMERS);
    release();
    await until('every event', () => (events.every((e) => received.includes(e)) ? true : undefined));
    await new Promise((r) => setTimeout(r, 1000));
    expect(new Set(received)).toEqual(new Set(events));
    // Duplicates only from the killed worker's claimed batches (2 jobs at once per worker).
    expect(received.length - new Set(received).size).toBeLessThanOrEqual(2 * BATCH);
    expect(badSignatures).toBe(0);
    const w = await t.http.get(`/api/webhooks/${hook.body.id}`).set(admin.auth).expect(200);
    expect(w.body.deliveries).toEqual({ delivered: CUSTOMERS, retrying: 0, pending: 0, failed: 0 });
    const list = await t.http.get(`/api/webhooks/${hook.body.id}/deliveries`).set(admin.auth).expect(200);
    expect(list.body[0]).toMatchObject({ status: 'delivered', responseCode: 204 });
  });
});
