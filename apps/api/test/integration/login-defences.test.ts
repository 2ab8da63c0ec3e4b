import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/common/logging/logger';
import { ConfigError, loadConfig } from '../../src/config/config';
import { createIsolatedTestApp, createTestApp, TestApp } from '../helpers/test-app';

const PASSWORD = 'correct horse battery';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Issue 14 point 7: failed sign-ins are throttled per account and per address, with backoff, across processes. */
describe('login defences: per account', () => {
  let t: TestApp & { db: Client };
  beforeAll(async () => {
    t = await createIsolatedTestApp({ LOGIN_LOCKOUT_SECONDS: '4' });
  });
  afterAll(() => t.close());

  const attempt = (username: string, password: string) => t.http.post('/api/auth/login').send({ username, password });
  const events = async (action: string, actor: string) =>
    Number((await t.db.query('SELECT count(*) AS n FROM audit_event WHERE action = $1 AND actor = $2', [action, actor])).rows[0].n);

  it('the 5th failure locks: 429 with Retry-After even for the right password, audited once; each repeat lockout lasts twice as long', async () => {
    const { username } = await t.login(['viewer'], 'teller');
    for (let i = 1; i <= 5; i++) expect({ i, status: (await attempt(username, 'wrong password')).status }).toEqual({ i, status: 401 });
    const locked = await attempt(username, PASSWORD).expect(429);
    expect(locked.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', code: 'LOGIN_THROTTLED' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(4);
    for (let i = 0; i < 3; i++) await attempt(username, 'wrong again').expect(429);
    expect(await events('auth.login_failed', username)).toBe(5); // refused attempts are not audited one by one
    expect(await events('auth.locked_out', username)).toBe(1);

    // after the lockout one more failure locks again, for twice as long (8 s)
    await sleep(Number(locked.headers['retry-after']) * 1000 + 100);
    await attempt(username, 'still wrong').expect(401);
    const longer = await attempt(username, PASSWORD).expect(429);
    expect(Number(longer.headers['retry-after'])).toBeGreaterThanOrEqual(5);
    expect(Number(longer.headers['retry-after'])).toBeLessThanOrEqual(8);
    expect(await events('auth.locked_out', username)).toBe(1);

    // once it has passed, the right password signs in and ends the streak: 4 failures are fine again
    await sleep(Number(longer.headers['retry-after']) * 1000 + 100);
    await attempt(username, PASSWORD).expect(200);
    for (let i = 0; i < 4; i++) await attempt(username, 'wrong password').expect(401);
    await attempt(username, PASSWORD).expect(200);
  }, 120_000);
});

/** Lockouts long enough to outlast a burst of parallel guesses. */
describe('login defences: a burst of guesses', () => {
  let t: TestApp & { db: Client };
  beforeAll(async () => {
    t = await createIsolatedTestApp({ LOGIN_LOCKOUT_SECONDS: '60' });
  });
  afterAll(() => t.close());

  const attempt = (username: string, password: string) => t.http.post('/api/auth/login').send({ username, password });
  const events = async (action: string, actor: string) =>
    Number((await t.db.query('SELECT count(*) AS n FROM audit_event WHERE action = $1 AND actor = $2', [action, actor])).rows[0].n);

  it('20 guesses sent at once: at most 5 get their password checked, the rest are refused', async () => {
    const { username } = await t.login(['viewer'], 'clerk');
    const answers = await Promise.all(Array.from({ length: 20 }, () => attempt(username, 'parallel guess')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(await events('auth.locked_out', username)).toBe(1);
  });

  it('an unknown username is throttled the same way (nothing tells whether it exists)', async () => {
    for (let i = 0; i < 5; i++) await attempt('nobody-here', 'guess').expect(401);
    await attempt('nobody-here', 'guess').expect(429);
  });
});

describe('login defences: per address, shared by every worker process', () => {
  let t: TestApp & { url: string; db: Client };
  let other: INestApplication;
  beforeAll(async () => {
    t = await createIsolatedTestApp({ LOGIN_MAX_FAILURES_PER_ADDRESS: '8', LOGIN_LOCKOUT_SECONDS: '60' });
    // a second app on the same database: what a second HTTP worker (WEB_CONCURRENCY=2) is
    const config = { ...t.config, databaseUrl: t.url };
    other = await createApp(config, createLogger('silent'));
    await other.init();
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  it('8 failures from one address across two processes lock that address, right password or not', async () => {
    const { username } = await t.login(['viewer'], 'branch');
    const apps = [request(t.app.getHttpServer()), request(other.getHttpServer())];
    // each guess on another username: the per-account limit is never reached
    for (let i = 0; i < 8; i++) {
      const res = await apps[i % 2].post('/api/auth/login').send({ username: `sprayed-${i}`, password: 'Winter2026!' });
      expect({ i, status: res.status }).toEqual({ i, status: 401 });
    }
    for (const app of apps) {
      const res = await app.post('/api/auth/login').send({ username, password: PASSWORD }).expect(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(50);
    }
    const lockouts = await t.db.query(`SELECT entity_type, entity_id FROM audit_event WHERE action = 'auth.locked_out'`);
    expect(lockouts.rows).toEqual([{ entity_type: 'address', entity_id: expect.stringMatching(/127\.0\.0\.1/) }]);
  });
});

/** Issue 14 point 8: length ≥ 12, a strength estimate, never the username. */
describe('password policy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const refusal = (res: request.Response) => ({ status: res.status, code: res.body.code, details: res.body.details?.map((d: { code: string }) => d.code) });

  it('refuses weak, short and username passwords with 422 WEAK_PASSWORD and a code per reason; 12 strong characters pass', async () => {
    const admin = await t.login(['admin']);
    const create = (username: string, password: string) =>
      t.http
        .post('/api/users')
        .set(admin.auth)
        .send({ username, password, roles: ['approver'] });
    expect(refusal(await create('pw-a1', 'aaaaaaaaaaaa'))).toEqual({ status: 422, code: 'WEAK_PASSWORD', details: ['PASSWORD_TOO_WEAK'] });
    expect(refusal(await create('pw-a2', 'password'))).toEqual({ status: 422, code: 'WEAK_PASSWORD', details: ['PASSWORD_TOO_SHORT'] });
    expect(refusal(await create('pw-a3', 'password1234'))).toEqual({ status: 422, code: 'WEAK_PASSWORD', details: ['PASSWORD_TOO_WEAK'] });
    expect(refusal(await create('branch-manager-07', 'branch-manager-07'))).toEqual({
      status: 422,
      code: 'WEAK_PASSWORD',
      details: ['PASSWORD_CONTAINS_USERNAME'],
    });
    expect(refusal(await create('pw-a4', 'Xq7!vR2#mP9'))).toEqual({ status: 422, code: 'WEAK_PASSWORD', details: ['PASSWORD_TOO_SHORT'] }); // 11
    const weak = await create('pw-a5', 'aaaaaaaaaaaa');
    expect(weak.body.details[0]).toMatchObject({ path: 'password', message: expect.stringContaining('guess') });
    const made = await create('pw-a6', 'Xq7!vR2#mP9z').expect(201); // 12
    // a new password set by an admin obeys the same rules
    const reset = await t.http.patch(`/api/users/${made.body.id}`).set(admin.auth).send({ password: 'qwertyuiop12' });
    expect(refusal(reset)).toEqual({ status: 422, code: 'WEAK_PASSWORD', details: ['PASSWORD_TOO_WEAK'] });
    const listed = await t.http
      .get('/api/users')
      .query({ filter: JSON.stringify({ q: 'pw-a' }) })
      .set(admin.auth)
      .expect(200);
    expect(listed.body.map((u: { username: string }) => u.username)).toEqual(['pw-a6']);
  });

  it('refuses a weak first-admin or demo password at start, naming the setting', () => {
    expect(() => loadConfig({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'password1234' })).toThrow(ConfigError);
    expect(() => loadConfig({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'password1234' })).toThrow(/ADMIN_PASSWORD=\(hidden\): is too easy to guess/);
    expect(() => loadConfig({ DEMO_PASSWORD: 'aaaaaaaaaaaaaa' })).toThrow(/DEMO_PASSWORD/);
    expect(loadConfig({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'tierwise-admin-pass' }).adminPassword).toBe('tierwise-admin-pass');
  });
});
