/**
 * kill -9 of the API between commit and delivery loses no tier event (issue 12 acceptance 3).
 * On a database of its own: the first API process (dist/main.js, delivery off) applies a rating
 * run — its events are committed with it — and is killed with SIGKILL before delivering any. The
 * second process delivers to a slow local receiver and is killed in the middle of it. The third
 * delivers the rest: the receiver has every event id, signed; an id twice only where a process died
 * after its POST and before writing the outcome (at most one batch).
 */
import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loginTo, startServer, ServerProcess } from '../helpers/server-process';
import { createIsolatedTestApp, TEST_AUDIT_KEY, TestApp } from '../helpers/test-app';
import { UsersService } from '../../src/users/users.service';
import { seedCatalog } from '../integration/simulation-fixtures';

jest.setTimeout(240_000);

const PASSWORD = 'webhook-kill-password-1';
const SECRET = 'kill-test-receiver-secret';
const POLICY = 'cib-asset-ladder';
const CUSTOMERS = 300;
const BATCH = 20;

async function api(server: ServerProcess, token: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('tier events: the API killed between commit and delivery', () => {
  let t: TestApp & { url: string; db: import('pg').Client };
  const previous = process.env.WEBHOOK_DELIVERY;
  const servers: ServerProcess[] = [];
  const received: string[] = [];
  let badSignatures = 0;
  let receiver: Server;
  let port = 0;
  const starter = `wk-author-${Date.now()}`;
  const checker = `wk-approver-${Date.now()}`;
  const adminName = `wk-admin-${Date.now()}`;
  let datasetId = '';

  beforeAll(async () => {
    process.env.WEBHOOK_DELIVERY = 'off'; // the in-process app only prepares the database
    t = await createIsolatedTestApp();
    await seedCatalog(t.app);
    const author = await t.login(['author']);
    datasetId = (
      await t.http.post('/api/datasets/synthetic').set(author.auth).send({ template: POLICY, size: CUSTOMERS, seed: 5, asOf: '2026-11-30' }).expect(201)
    ).body.id;
    const users = t.app.get(UsersService);
    await users.create('test-setup', { username: starter, password: PASSWORD, roles: ['author'] });
    await users.create('test-setup', { username: checker, password: PASSWORD, roles: ['approver'] });
    await users.create('test-setup', { username: adminName, password: PASSWORD, roles: ['admin'] });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        if (req.headers['x-tierwise-signature'] !== `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`) badSignatures++;
        // Slow on purpose, so the second process can be killed in the middle of delivering.
        setTimeout(() => {
          received.push((JSON.parse(raw) as { id: string }).id);
          res.writeHead(200).end();
        }, 20);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    await t.close();
    if (previous === undefined) delete process.env.WEBHOOK_DELIVERY;
    else process.env.WEBHOOK_DELIVERY = previous;
  });

  it('loses nothing', async () => {
    const env = {
      DATABASE_URL: t.url,
      AUDIT_KEY: TEST_AUDIT_KEY,
      SIMULATION_RECOVERY_MS: '500',
      LOG_LEVEL: 'warn',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_BATCH: String(BATCH),
      WEBHOOK_CONCURRENCY: '4',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_DELIVERY: 'on',
    };
    const first = await startServer({ ...env, WEBHOOK_DELIVERY: 'off' });
    servers.push(first);
    const admin = await loginTo(first.url, adminName, PASSWORD);
    const hook = await api(first, admin, 'POST', '/webhooks', { url: `http://127.0.0.1:${port}/hook`, events: ['tier.changed'], secret: SECRET });
    expect(hook.status).toBe(201);
    const a = await loginTo(first.url, starter, PASSWORD);
    const b = await loginTo(first.url, checker, PASSWORD);
    const started = await api(first, a, 'POST', '/rating-runs', { policy: POLICY, datasetId });
    expect(started.status).toBe(201);
    const id = String(started.body.id);
    await until('the proposal', async () => ((await api(first, a, 'GET', `/rating-runs/${id}`)).body.status === 'proposed' ? true : undefined));
    const approved = await api(first, b, 'POST', `/rating-runs/${id}/approve`, {});
    expect(approved.body.status).toBe('applied');
    const events = (await t.db.query<{ id: string }>('SELECT id FROM tier_event WHERE run_id = $1', [id])).rows.map((r) => r.id);
    expect(events.length).toBe(CUSTOMERS);
    // Committed, not delivered: kill -9.
    first.child.kill('SIGKILL');
    await first.exited;
    expect(received).toHaveLength(0);

    // The second process starts delivering and is killed in the middle.
    const second = await startServer(env);
    servers.push(second);
    await until('some deliveries', () => (received.length >= 3 * BATCH ? true : undefined));
    second.child.kill('SIGKILL');
    await second.exited;
    const atKill = received.length;
    expect(atKill).toBeLessThan(CUSTOMERS);

    const third = await startServer(env);
    servers.push(third);
    await until('every event', () => (events.every((e) => received.includes(e)) ? true : undefined));
    await new Promise((r) => setTimeout(r, 500));
    expect(new Set(received)).toEqual(new Set(events));
    expect(received.length - new Set(received).size).toBeLessThanOrEqual(BATCH);
    expect(badSignatures).toBe(0);
    const delivered = await t.db.query(`SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'delivered'`);
    expect(delivered.rows[0].n).toBe(CUSTOMERS);
  });
});
