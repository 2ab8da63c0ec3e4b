/**
 * kill -9 during a rating run's apply: the ledger is either fully before or fully after the run.
 * The API process (dist/main.js on this run's database) is killed while the apply transaction is
 * open (RATING_APPLY_DELAY_MS holds it open just before commit): nothing of the run is in the
 * ledger and the run is still approved; the next process applies it whole, once. Meanwhile the
 * apply sweep does not pile up transactions waiting for the ledger's lock.
 */
import { Client } from 'pg';
import { loginTo, startServer, ServerProcess } from '../helpers/server-process';
import { createTestApp, databaseUrl, TEST_AUDIT_KEY } from '../helpers/test-app';
import { UsersService } from '../../src/users/users.service';
import { seedCatalog } from './simulation-fixtures';

jest.setTimeout(180_000);

const PASSWORD = 'apply-kill-password-1';
// A policy of its own: no other test file rates its customers.
const POLICY = 'cib-asset-ladder';

async function api(server: ServerProcess, token: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('rating run: the API dies during apply', () => {
  let datasetId = '';
  const starter = `kill-author-${Date.now()}`;
  const checker = `kill-approver-${Date.now()}`;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    const t = await createTestApp();
    try {
      await seedCatalog(t.app);
      const author = await t.login(['author']);
      datasetId = (
        await t.http.post('/api/datasets/synthetic').set(author.auth).send({ template: POLICY, size: 20_000, seed: 11, asOf: '2026-11-30' }).expect(201)
      ).body.id;
      await t.app.get(UsersService).create('test-setup', { username: starter, password: PASSWORD, roles: ['author'] });
      await t.app.get(UsersService).create('test-setup', { username: checker, password: PASSWORD, roles: ['approver'] });
    } finally {
      await t.close();
    }
  });
  afterAll(() => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  });

  it('leaves the ledger fully before, and the next process applies the run whole', async () => {
    const env = { DATABASE_URL: databaseUrl(), AUDIT_KEY: TEST_AUDIT_KEY, SIMULATION_RECOVERY_MS: '500', LOG_LEVEL: 'warn' };
    const first = await startServer({ ...env, RATING_APPLY_DELAY_MS: '60000' });
    servers.push(first);
    const a = await loginTo(first.url, starter, PASSWORD);
    const b = await loginTo(first.url, checker, PASSWORD);
    const started = await api(first, a, 'POST', '/rating-runs', { policy: POLICY, datasetId });
    expect(started.status).toBe(201);
    const id = String(started.body.id);
    let run = started;
    for (const until = Date.now() + 60_000; run.body.status !== 'proposed';) {
      expect(['queued', 'running']).toContain(run.body.status);
      if (Date.now() > until) throw new Error('no proposal');
      await new Promise((r) => setTimeout(r, 100));
      run = await api(first, a, 'GET', `/rating-runs/${id}`);
    }
    const entered = (run.body.result as { entered: number }).entered;
    expect(entered).toBe(20_000);

    const db = new Client({ connectionString: databaseUrl() });
    await db.connect();
    try {
      const inLedger = async () => Number((await db.query('SELECT count(*)::int AS n FROM tier_history WHERE run_id = $1', [id])).rows[0].n);
      void api(first, b, 'POST', `/rating-runs/${id}/approve`, {}).catch(() => undefined);
      // Wait until the apply transaction has written its rows and sleeps before committing.
      for (const until = Date.now() + 60_000; ;) {
        const sleeping = await db.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep%' AND state = 'active'`,
        );
        if (sleeping.rows.length) break;
        if (Date.now() > until) throw new Error('the apply never reached its commit');
        await new Promise((r) => setTimeout(r, 50));
      }
      // While the apply holds the ledger, the sweep (every 500 ms here) does not queue behind it:
      // no transaction waits for the policy's ledger lock (each would hold a pool connection).
      await new Promise((r) => setTimeout(r, 3000));
      const waiting = await db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM tier_ledger%FOR UPDATE%'`,
      );
      expect(waiting.rows[0].n).toBe(0);
      first.child.kill('SIGKILL');
      await first.exited;
      // Fully before: no row of the run, no current tier from it, the head unmoved; the run stays approved.
      for (const until = Date.now() + 10_000; ;) {
        const open = await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep%'`);
        if (!open.rows.length || Date.now() > until) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await inLedger()).toBe(0);
      expect(Number((await db.query('SELECT count(*)::int AS n FROM tier_current WHERE run_id = $1', [id])).rows[0].n)).toBe(0);
      const [stuck] = (
        await db.query('SELECT r.status, l.head_run_id FROM rating_run r LEFT JOIN tier_ledger l ON l.policy_id = r.policy_id WHERE r.id = $1', [id])
      ).rows;
      expect(stuck).toEqual({ status: 'approved', head_run_id: null });

      // The next process applies it, whole and once.
      const second = await startServer(env);
      servers.push(second);
      const token = await loginTo(second.url, starter, PASSWORD);
      for (const until = Date.now() + 60_000; ;) {
        run = await api(second, token, 'GET', `/rating-runs/${id}`);
        if (run.body.status === 'applied') break;
        if (Date.now() > until) throw new Error(`still ${String(run.body.status)} after the restart`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await inLedger()).toBe(20_000);
      expect(Number((await db.query('SELECT count(*)::int AS n FROM tier_current WHERE run_id = $1', [id])).rows[0].n)).toBe(20_000);
      const events = await db.query(`SELECT action FROM audit_event WHERE entity_type = 'rating_run' AND entity_id = $1 ORDER BY seq`, [id]);
      expect(events.rows.map((e: { action: string }) => e.action)).toEqual([
        'rating_run.start',
        'rating_run.propose',
        'rating_run.approve',
        'rating_run.apply',
      ]);
    } finally {
      await db.end();
    }
  });
});
