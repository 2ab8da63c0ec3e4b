/**
 * Tier events and webhooks (issue 12 acceptance 3 and 4, contract §9), each on a database of its
 * own (one delivering process per database): a local receiver gets each change (run, override,
 * revert) exactly once per event id with a signature that verifies; a receiver down for 30 s
 * receives everything after it comes back; a delivery that keeps failing is parked `failed`, visible
 * with attempts and response code, and retried by hand; webhook targets on private addresses → 422.
 */
import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Conformance } from '../contract/conformance';
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';
import { seedCatalog } from './simulation-fixtures';
import { Auth, propose, snapshot, tierOf } from './rating-fixtures';
import { ownPolicy } from './overrides-fixtures';
import { EVENTS_SETTINGS, EventsSettings } from '../../src/config/config';

jest.setTimeout(180_000);

const SECRET = 'receiver-shared-secret-0001';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Received {
  id: string;
  type: string;
  customerId: string;
  from: string | null;
  to: string | null;
  change: string | null;
  runId?: string;
  policy: string;
}

/** A local webhook receiver: records every POST, checks its signature, answers `status()`. */
class Receiver {
  server: Server | null = null;
  port = 0;
  readonly got: Received[] = [];
  badSignatures = 0;
  status: () => number = () => 200;

  async start(port = 0): Promise<void> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const expected = `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;
        if (req.headers['x-tierwise-signature'] !== expected) this.badSignatures++;
        const code = this.status();
        if (code === 200) this.got.push(JSON.parse(raw) as Received);
        res.writeHead(code).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    s?.closeAllConnections();
    await new Promise((resolve) => s?.close(resolve));
  }

  ids(): string[] {
    return this.got.map((g) => g.id);
  }
}

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function withEnv(env: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

describe('webhooks: tier events delivered from the outbox', () => {
  let t: TestApp & { db: import('pg').Client };
  let admin: { auth: Auth };
  let author: { auth: Auth };
  let approver: { auth: Auth };
  let restore: () => void;
  const receiver = new Receiver();
  const POLICY = `wh-${Date.now().toString(36)}`;
  const c = (n: number) => `${POLICY}-${n}`;
  let hookId = '';

  beforeAll(async () => {
    restore = withEnv({
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_BACKOFF_MS: '200',
      WEBHOOK_BACKOFF_CAP_MS: '2000',
      WEBHOOK_MAX_ATTEMPTS: '50',
      OVERRIDE_SWEEP_MS: '200',
    });
    t = await createIsolatedTestApp();
    await seedCatalog(t.app);
    admin = await t.login(['admin']);
    author = await t.login(['author']);
    approver = await t.login(['approver']);
    await ownPolicy(t, author.auth, approver.auth, POLICY, { downgradeGraceRuns: 1 });
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
    restore();
  });

  const events = async () =>
    (await t.db.query<{ id: string; type: string; customer_id: string }>('SELECT id, type, customer_id FROM tier_event ORDER BY seq')).rows;

  it('refuses targets on private, loopback and link-local addresses (unless allowed), and non-admins', async () => {
    for (const url of ['http://10.1.2.3/hook', 'http://169.254.169.254/latest', 'http://[::1]:8080/x', 'http://192.168.1.10/x', 'http://localhost:9/x']) {
      const r = await t.http
        .post('/api/webhooks')
        .set(admin.auth)
        .send({ url, events: ['tier.changed'], secret: SECRET });
      expect([url, r.status, r.body.code, r.body.details?.[0]?.path]).toEqual([url, 422, 'WEBHOOK_PRIVATE_ADDRESS', 'url']);
    }
    const scheme = await t.http
      .post('/api/webhooks')
      .set(admin.auth)
      .send({ url: 'ftp://example.com/x', events: ['tier.changed'], secret: SECRET });
    expect([scheme.status, scheme.body.details[0].path]).toEqual([422, 'url']);
    const type = await t.http
      .post('/api/webhooks')
      .set(admin.auth)
      .send({ url: `http://127.0.0.1:${receiver.port}/`, events: ['tier.gone'], secret: SECRET });
    expect([type.status, type.body.details[0].path]).toEqual([422, 'events[0]']);
    await t.http
      .post('/api/webhooks')
      .set(author.auth)
      .send({ url: `http://127.0.0.1:${receiver.port}/`, events: ['tier.changed'], secret: SECRET })
      .expect(403);
    expect((await t.db.query('SELECT count(*)::int AS n FROM webhook')).rows[0].n).toBe(0);
  });

  it('each change of a run and of an override reaches the receiver exactly once per event id, signed', async () => {
    const created = await t.http
      .post('/api/webhooks')
      .set(admin.auth)
      .send({ url: `http://127.0.0.1:${receiver.port}/tierwise`, events: ['tier.changed', 'tier.downgrade_pending'], secret: SECRET })
      .expect(201);
    hookId = created.body.id;
    expect(created.body).toMatchObject({ secretSet: true, active: true });
    expect(created.body.secret).toBeUndefined();

    const jan = await snapshot(t, author.auth, '2026-01-31', [
      { customerId: c(1), avgDailyAssets: 1_200_000 },
      { customerId: c(2), avgDailyAssets: 350_000 },
      { customerId: c(3), avgDailyAssets: 150_000 },
    ]);
    const run = await propose(t, author.auth, { policy: POLICY, datasetId: jan });
    await t.http.post(`/api/rating-runs/${run.id}/approve`).set(approver.auth).send({}).expect(200);
    const set = await t.http
      .post(`/api/customers/${c(3)}/overrides`)
      .set(author.auth)
      .send({ policy: POLICY, tier: 'BLACK', mode: 'set', reason: 'campaign' })
      .expect(201);
    await t.http.post(`/api/overrides/${set.body.id}/approve`).set(approver.auth).send({}).expect(200);
    // February: c2 rated lower enters its grace run (tier.downgrade_pending); c1 unchanged.
    const feb = await snapshot(t, author.auth, '2026-02-28', [
      { customerId: c(1), avgDailyAssets: 1_200_000 },
      { customerId: c(2), avgDailyAssets: 150_000 },
    ]);
    const second = await propose(t, author.auth, { policy: POLICY, datasetId: feb });
    expect(second.result).toMatchObject({ held: 1, preNotice: 1 });
    // Pre-notice: c2's next run below would move them down.
    const notice = await t.http.get(`/api/rating-runs/${second.id}/pre-notice`).set(author.auth).expect(200);
    expect(notice.body).toEqual([{ customerId: c(2), tier: 'PLATINUM', ratedTier: 'GOLD', graceRunsUsed: 1, graceRuns: 1, snapshotRow: 2 }]);
    expect(notice.headers['content-range']).toBe('pre-notice 0-0/1');
    await t.http.post(`/api/rating-runs/${second.id}/approve`).set(approver.auth).send({}).expect(200);

    const outbox = await events();
    expect(outbox.map((e) => `${e.type} ${e.customer_id}`)).toEqual([
      `tier.changed ${c(1)}`,
      `tier.changed ${c(2)}`,
      `tier.changed ${c(3)}`,
      `tier.changed ${c(3)}`,
      `tier.downgrade_pending ${c(2)}`,
    ]);
    await until('every event delivered', () => (receiver.got.length >= outbox.length ? true : undefined));
    await sleep(500); // nothing more arrives
    expect(receiver.ids().sort()).toEqual(outbox.map((e) => e.id).sort());
    expect(new Set(receiver.ids()).size).toBe(receiver.ids().length);
    expect(receiver.badSignatures).toBe(0);
    const byCustomer = (id: string) => receiver.got.filter((g) => g.customerId === id);
    expect(byCustomer(c(1))[0]).toMatchObject({ type: 'tier.changed', policy: POLICY, from: null, to: 'BLACK', change: 'enter', runId: run.id });
    expect(byCustomer(c(3)).map((g) => [g.change, g.from, g.to])).toEqual([
      ['enter', null, 'GOLD'],
      ['override', 'GOLD', 'BLACK'],
    ]);
    expect(byCustomer(c(2)).find((g) => g.type === 'tier.downgrade_pending')).toMatchObject({ from: 'PLATINUM', to: 'GOLD', runId: second.id });

    const deliveries = await t.http.get(`/api/webhooks/${hookId}/deliveries`).set(admin.auth).expect(200);
    expect(deliveries.headers['content-range']).toBe(`deliveries 0-${outbox.length - 1}/${outbox.length}`);
    expect(deliveries.body[0]).toMatchObject({ status: 'delivered', attempts: 1, responseCode: 200 });
    // … every row as the contract declares it (the console's delivery table is typed from it), pre-notices with no change included
    expect(deliveries.body.some((d: { change: string | null }) => d.change === null)).toBe(true);
    new Conformance((await t.http.get('/api/openapi.json').expect(200)).body).check(deliveries);
    // The outbox is append-only.
    await expect(t.db.query('DELETE FROM tier_event')).rejects.toThrow(/append-only/);
  });

  it('a receiver down for 30 s receives everything after it comes back', async () => {
    const before = receiver.got.length;
    const port = receiver.port;
    await receiver.stop();
    // Changes while it is down: an override (pins c1 at GOLD), a run (c3 is held by its set; c4 enters).
    const ceiling = await t.http
      .post(`/api/customers/${c(1)}/overrides`)
      .set(author.auth)
      .send({ policy: POLICY, tier: 'GOLD', mode: 'ceiling', reason: 'review', expiresAt: new Date(Date.now() + 3000).toISOString() })
      .expect(201);
    await t.http.post(`/api/overrides/${ceiling.body.id}/approve`).set(approver.auth).send({}).expect(200);
    const mar = await snapshot(t, author.auth, '2026-03-31', [
      { customerId: c(4), avgDailyAssets: 350_000 },
      { customerId: c(5), avgDailyAssets: 50_000 },
    ]);
    const run = await propose(t, author.auth, { policy: POLICY, datasetId: mar });
    await t.http.post(`/api/rating-runs/${run.id}/approve`).set(approver.auth).send({}).expect(200);
    // The ceiling expires meanwhile: a revert.
    await until('the ceiling to expire', async () => ((await tierOf(t, author.auth, c(1), POLICY)).body.change === 'revert' ? true : undefined), 20_000);
    const expected = (await events()).slice(-4);
    expect(expected.map((e) => e.customer_id).sort()).toEqual([c(1), c(1), c(4), c(5)].sort());
    await sleep(30_000);
    expect(receiver.got.length).toBe(before);
    const waiting = await t.http.get(`/api/webhooks/${hookId}/deliveries`).query({ status: 'retrying' }).set(admin.auth).expect(200);
    expect(waiting.body.length).toBeGreaterThan(0);
    expect(waiting.body[0]).toMatchObject({ responseCode: null, error: expect.stringMatching(/ECONNREFUSED/) });
    expect((await t.http.get(`/api/webhooks/${hookId}`).set(admin.auth).expect(200)).body.failStreak).toBeGreaterThan(0);

    await receiver.start(port);
    await until('the missed events', () => (expected.every((e) => receiver.ids().includes(e.id)) ? true : undefined), 30_000);
    const got = receiver.ids().slice(before);
    expect(new Set(got)).toEqual(new Set(expected.map((e) => e.id)));
    expect(receiver.badSignatures).toBe(0);
    const after = await t.http.get(`/api/webhooks/${hookId}`).set(admin.auth).expect(200);
    await until('the webhook to recover', async () => {
      const w = (await t.http.get(`/api/webhooks/${hookId}`).set(admin.auth).expect(200)).body;
      return w.failStreak === 0 && w.deliveries.retrying === 0 ? w : undefined;
    });
    expect(after.body.deliveries.failed).toBe(0);
  }, 120_000);
});

describe('webhooks: a delivery that keeps failing', () => {
  let t: TestApp & { db: import('pg').Client };
  let restore: () => void;
  const receiver = new Receiver();

  beforeAll(async () => {
    restore = withEnv({
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_BACKOFF_MS: '50',
      WEBHOOK_BACKOFF_CAP_MS: '200',
      WEBHOOK_MAX_ATTEMPTS: '3',
    });
    t = await createIsolatedTestApp();
    await seedCatalog(t.app);
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
    restore();
  });

  it('is retried with back-off, parked failed with its attempts and response code, and retried by hand', async () => {
    const admin = await t.login(['admin']);
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    const policy = `whf-${Date.now().toString(36)}`;
    await ownPolicy(t, author.auth, approver.auth, policy);
    receiver.status = () => 500;
    const hook = await t.http
      .post('/api/webhooks')
      .set(admin.auth)
      .send({ url: `http://127.0.0.1:${receiver.port}/`, events: ['tier.changed'], secret: SECRET })
      .expect(201);
    const ds = await snapshot(t, author.auth, '2026-01-31', [{ customerId: `${policy}-1`, avgDailyAssets: 150_000 }]);
    const run = await propose(t, author.auth, { policy, datasetId: ds });
    await t.http.post(`/api/rating-runs/${run.id}/approve`).set(approver.auth).send({}).expect(200);
    const failed = await until('the delivery to be parked', async () => {
      const r = await t.http.get(`/api/webhooks/${hook.body.id}/deliveries`).set(admin.auth).expect(200);
      return r.body[0]?.status === 'failed' ? r.body[0] : undefined;
    });
    expect(failed).toMatchObject({ attempts: 3, responseCode: 500, customerId: `${policy}-1`, type: 'tier.changed' });
    expect(receiver.got).toHaveLength(0);
    const again = await t.http.post(`/api/webhooks/${hook.body.id}/deliveries/${failed.id}/retry`).set(admin.auth).expect(200);
    expect(again.body.status).toBe('retrying');
    receiver.status = () => 200;
    await until('the hand retry', () => (receiver.got.length ? true : undefined));
    expect(receiver.got[0].id).toBe(failed.eventId);
    const done = await until('the outcome written', async () => {
      const r = await t.http.get(`/api/webhooks/${hook.body.id}/deliveries`).set(admin.auth).expect(200);
      return r.body[0]?.status === 'delivered' ? r.body[0] : undefined;
    });
    expect(done).toMatchObject({ status: 'delivered', attempts: 4, responseCode: 200 });
    const notFailed = await t.http.post(`/api/webhooks/${hook.body.id}/deliveries/${failed.id}/retry`).set(admin.auth);
    expect([notFailed.status, notFailed.body.code]).toEqual([409, 'WEBHOOK_DELIVERY_NOT_FAILED']);
    const audit = await t.http.get(`/api/audit-events?entityType=webhook&entityId=${hook.body.id}`).set(admin.auth).expect(200);
    expect(audit.body.map((e: { action: string }) => e.action).sort()).toEqual(['webhook.create', 'webhook.retry']);
  });

  it('a test delivery is sent signed at once and its answer reported; not an event, no delivery row; a private target → 422', async () => {
    const admin = await t.login(['admin']);
    receiver.status = () => 200;
    const hook = await t.http
      .post('/api/webhooks')
      .set(admin.auth)
      .send({ url: `http://127.0.0.1:${receiver.port}/ping`, events: ['tier.changed'], secret: SECRET })
      .expect(201);
    const before = receiver.got.length;
    const bad = receiver.badSignatures;
    const ok = await t.http.post(`/api/webhooks/${hook.body.id}/test`).set(admin.auth).send({}).expect(200);
    expect(ok.body).toMatchObject({ ok: true, responseCode: 200, error: null });
    expect(receiver.got.slice(before)).toEqual([expect.objectContaining({ id: ok.body.id, type: 'webhook.test', customerId: null })]);
    expect(receiver.badSignatures).toBe(bad);
    receiver.status = () => 503;
    const refused = await t.http.post(`/api/webhooks/${hook.body.id}/test`).set(admin.auth).send({}).expect(200);
    expect(refused.body).toMatchObject({ ok: false, responseCode: 503, error: 'answered 503' });
    const deliveries = await t.http.get(`/api/webhooks/${hook.body.id}/deliveries`).set(admin.auth).expect(200);
    expect(deliveries.body).toEqual([]);
    // A target that is no longer allowed (the host taken off WEBHOOK_ALLOWED_HOSTS) is refused as on create.
    const settings = t.app.get<EventsSettings>(EVENTS_SETTINGS);
    settings.allowedHosts.delete('127.0.0.1');
    try {
      const r = await t.http.post(`/api/webhooks/${hook.body.id}/test`).set(admin.auth).send({});
      expect([r.status, r.body.code, r.body.details?.[0]?.path]).toEqual([422, 'WEBHOOK_PRIVATE_ADDRESS', 'url']);
    } finally {
      settings.allowedHosts.add('127.0.0.1');
    }
    await t.http.post('/api/webhooks/00000000-0000-4000-8000-000000000000/test').set(admin.auth).send({}).expect(404);
    const audit = await t.http.get(`/api/audit-events?entityType=webhook&entityId=${hook.body.id}`).set(admin.auth).expect(200);
    expect(audit.body.filter((e: { action: string }) => e.action === 'webhook.test')).toHaveLength(2);
  });
});
