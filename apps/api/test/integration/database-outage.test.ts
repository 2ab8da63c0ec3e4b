/**
 * Issue 14.12: while the database cannot be reached, every request that needs it answers 503 with
 * Retry-After and DATABASE_UNAVAILABLE (never 500), health says the database is down and why, and
 * the app recovers by itself when the database is back. The database "goes away" behind a TCP proxy
 * in front of the tests' PostgreSQL, which itself keeps running for everyone else.
 */
import { createTestApp, TestApp } from '../helpers/test-app';
import { startTcpProxy, TcpProxy } from '../helpers/tcp-proxy';
import { cardDefinition, publishVersion, setupPolicy } from '../helpers/fixtures';

jest.setTimeout(120_000);

describe('database outage', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let auth: { Authorization: string };
  let policyKey: string;
  let fact: string;

  beforeAll(async () => {
    proxy = await startTcpProxy(process.env.TEST_DATABASE_URL as string);
    const previous = process.env.TEST_DATABASE_URL;
    process.env.TEST_DATABASE_URL = proxy.url;
    try {
      t = await createTestApp();
    } finally {
      process.env.TEST_DATABASE_URL = previous;
    }
    const author = await t.login(['author', 'viewer', 'service', 'compliance'], 'outage');
    const approver = await t.login(['approver'], 'outage-approver');
    auth = author.auth;
    const setup = await setupPolicy(t, author.auth);
    fact = setup.fact;
    policyKey = setup.policy.key;
    await publishVersion(t, author.auth, approver.auth, setup.policy.id, cardDefinition(fact));
  });
  afterAll(async () => {
    await proxy.restore();
    await t?.close();
    await proxy.close();
  });

  const evaluate = () =>
    t.http
      .post('/api/evaluate')
      .set(auth)
      .send({ policy: policyKey, customerId: 'outage-1', facts: { [fact]: 5 } });
  // 150 decisions: a flush the log writes by binary COPY (COPY_MIN_ROWS)
  const batch = () =>
    t.http
      .post('/api/evaluate/batch')
      .set(auth)
      .send({ policy: policyKey, customers: Array.from({ length: 150 }, (_, i) => ({ customerId: `outage-b${i}`, facts: { [fact]: i } })) });

  it('answers 503 + Retry-After + DATABASE_UNAVAILABLE while the database is unreachable, health says why, and recovers', async () => {
    expect((await t.http.get('/api/policies').set(auth)).status).toBe(200);
    expect((await t.http.get('/api/health')).body).toMatchObject({ status: 'ok', database: 'up' });
    expect((await t.http.get('/api/health/ready')).body).toEqual({ status: 'ready', shuttingDown: false, database: 'up', migrations: 'applied' });

    await proxy.cut();

    // Issue 18.2: not ready while the database is unreachable; alive all the same.
    const ready = await t.http.get('/api/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'not ready', shuttingDown: false, database: expect.stringMatching(/^down: \w/) });
    expect((await t.http.get('/api/health/live')).status).toBe(200);

    const health = await t.http.get('/api/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', database: 'down', reason: expect.stringMatching(/\w/) });

    const needsDatabase: [string, () => Promise<{ status: number; body: { code?: string; params?: { reason?: string } }; headers: Record<string, string> }>][] =
      [
        ['GET /api/policies', () => t.http.get('/api/policies').set(auth)],
        ['GET /api/decisions', () => t.http.get('/api/decisions').set(auth)],
        ['GET /api/audit-events', () => t.http.get('/api/audit-events').set(auth)],
        ['POST /api/auth/login', () => t.http.post('/api/auth/login').send({ username: 'nobody-here', password: 'not-the-password-2026' })],
        ['POST /api/evaluate', evaluate],
        ['POST /api/evaluate/batch', batch],
      ];
    for (const [name, send] of needsDatabase) {
      const res = await send();
      expect({ name, status: res.status, code: res.body.code, reason: res.body.params?.reason, retryAfter: res.headers['retry-after'] }).toEqual({
        name,
        status: 503,
        code: 'DATABASE_UNAVAILABLE',
        reason: expect.stringMatching(/^(connection refused|connection lost|connection timed out)$/), // why, in words
        retryAfter: expect.stringMatching(/^\d+$/),
      });
    }

    await proxy.restore();

    // No restart: the same app answers again once the database is back.
    const deadline = Date.now() + 30_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await t.http.get('/api/policies').set(auth)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect((await t.http.get('/api/health')).body).toMatchObject({ status: 'ok', database: 'up' });
    expect((await evaluate()).status).toBe(200);
    const logged = await batch();
    expect(logged.status).toBe(200);
    expect(logged.body.results.filter((r: { decisionId?: string }) => r.decisionId)).toHaveLength(150);
    expect((await t.http.get('/api/health/ready')).status).toBe(200);
  });

  it('answers 503 (not a hang, not 500) when the database stops answering', async () => {
    proxy.hold();
    try {
      const started = Date.now();
      const res = await t.http.get('/api/health');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ database: 'down', reason: expect.stringMatching(/\w/) });
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      proxy.release();
    }
    expect((await t.http.get('/api/health')).status).toBe(200);
  });
});
