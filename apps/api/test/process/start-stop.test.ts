import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { ConfigError, loadConfig } from '../../src/config/config';
import { loginTo, refusalEnv, runToExit, startServer } from '../helpers/server-process';
import { TEST_AUDIT_KEY } from '../helpers/test-keys';

/** PostgreSQL server processes whose data directory is inside `dir`. */
function postgresUnder(dir: string): number[] {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-f', `postgres -D ${dir}`], { encoding: 'utf8' });
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
  return out.split('\n').filter(Boolean).map(Number);
}

async function json(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

jest.setTimeout(180_000);

describe('npm start on embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tierwise-start-'));
  const env = { TIERWISE_DATA_DIR: dataDir, DEMO_PASSWORD: 'demo-pass-1234', SEED_TEMPLATES: 'false' };
  afterAll(() => {
    for (const pid of postgresUnder(dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts, serves health with the database up, stops on SIGINT with exit 0 and no PostgreSQL left, keeps data', async () => {
    const first = await startServer(env);
    expect(first.output()).toContain('Demo mode');
    expect(first.output()).toContain('demo-pass-1234');
    expect(await json(`${first.url}/api/health`)).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok', database: 'up' }) });
    expect(postgresUnder(dataDir).length).toBeGreaterThan(0);
    const admin = await loginTo(first.url, 'admin', 'demo-pass-1234');
    const created = await json(`${first.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ username: 'kept-user', password: 'kept-password-2026', roles: ['viewer'] }),
    });
    expect(created.status).toBe(201);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(postgresUnder(dataDir)).toEqual([]);

    const second = await startServer(env);
    await loginTo(second.url, 'kept-user', 'kept-password-2026');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(postgresUnder(dataDir)).toEqual([]);
  });

  it('recovers from kill -9 (a stale postmaster) on the next start', async () => {
    const crashed = await startServer(env);
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(true);
    const again = await startServer(env);
    expect((await json(`${again.url}/api/health`)).body).toMatchObject({ database: 'up' });
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
    expect(postgresUnder(dataDir)).toEqual([]);
  });
});

describe('npm start with HTTP workers (WEB_CONCURRENCY=2)', () => {
  it('serves from two worker processes and stops them all, then the database, on SIGINT', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tierwise-cluster-'));
    try {
      const server = await startServer({ TIERWISE_DATA_DIR: dataDir, DEMO_PASSWORD: 'demo-pass-1234', SEED_TEMPLATES: 'false', WEB_CONCURRENCY: '2' });
      expect(server.output()).toContain('2 HTTP workers');
      const workers = execFileSync('pgrep', ['-P', String(server.child.pid)], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
      expect(workers.length).toBeGreaterThanOrEqual(3); // two workers and the embedded postmaster
      const token = await loginTo(server.url, 'admin', 'demo-pass-1234');
      for (let i = 0; i < 20; i++) {
        const me = await json(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
        expect(me.body.username).toBe('admin');
      }
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);
      expect(postgresUnder(dataDir)).toEqual([]);
      for (const pid of workers.map(Number)) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm start with DATABASE_URL', () => {
  it('uses that server and starts no embedded PostgreSQL', async () => {
    const adminUrl = process.env.TEST_DATABASE_ADMIN_URL as string;
    const name = `tierwise_start_${Date.now()}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tierwise-ext-'));
    try {
      const server = await startServer({
        DATABASE_URL: url.toString(),
        TIERWISE_DATA_DIR: dataDir,
        AUDIT_KEY: TEST_AUDIT_KEY,
        ADMIN_USERNAME: 'root-admin',
        ADMIN_PASSWORD: 'vault-oak-ledger-42',
      });
      expect(server.output()).toContain('Database: DATABASE_URL');
      expect(server.output()).not.toContain('Demo mode');
      expect(existsSync(path.join(dataDir, 'pg'))).toBe(false);
      expect(postgresUnder(dataDir)).toEqual([]);
      await loginTo(server.url, 'root-admin', 'vault-oak-ledger-42');
      const users = await admin.query(`SELECT username FROM ${name}.public.app_user`).catch(() => undefined);
      expect(users).toBeUndefined(); // cross-database queries are impossible: check through a connection of its own
      const own = new Client({ connectionString: url.toString() });
      await own.connect();
      const rows = await own.query('SELECT username FROM app_user');
      await own.end();
      expect(rows.rows.map((r) => r.username)).toEqual(['root-admin']);
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

const NO_DB = 'postgres://postgres@127.0.0.1:1/nothing';

/** Settings the server refuses, each with the one line it prints (`tierwise: <ConfigError message>`). */
const REFUSED: [Record<string, string>, RegExp][] = [
  [{ PORT: 'abc' }, /^tierwise: Invalid setting PORT="abc": must be a whole number between 0 and 65535\n$/],
  [{ PORT: '70000' }, /^tierwise: Invalid setting PORT="70000": must be a whole number/],
  [{ DATABASE_URL: 'not a url' }, /^tierwise: Invalid setting DATABASE_URL="not a url": must be a URL like postgres:\/\//],
  [{ DATABASE_URL: 'mysql://x@localhost/db' }, /^tierwise: Invalid setting DATABASE_URL=.*must be a URL like postgres/],
  [{ LOG_LEVEL: 'loud' }, /^tierwise: Invalid setting LOG_LEVEL="loud"/],
  // the job, webhook and rating settings are part of the one configuration, checked before anything starts
  // (an unreachable database given, so nothing but the check can answer)
  [{ DATABASE_URL: NO_DB, SIMULATION_THREADS: '0' }, /^tierwise: Invalid setting SIMULATION_THREADS="0": must be between 1 and 64\n$/],
  [{ DATABASE_URL: NO_DB, DATASET_CHUNK_ROWS: 'lots' }, /^tierwise: Invalid setting DATASET_CHUNK_ROWS="lots": must be a whole number\n$/],
  [{ DATABASE_URL: NO_DB, WEBHOOK_BATCH: '0' }, /^tierwise: Invalid setting WEBHOOK_BATCH="0": must be between 1 and 10000\n$/],
  [{ DATABASE_URL: NO_DB, WEBHOOK_DELIVERY: 'maybe' }, /^tierwise: Invalid setting WEBHOOK_DELIVERY="maybe": must be on or off\n$/],
  [{ DATABASE_URL: NO_DB, OVERRIDE_SWEEP_MS: '10' }, /^tierwise: Invalid setting OVERRIDE_SWEEP_MS="10": must be between 50 and 3600000\n$/],
  [{ DATABASE_URL: NO_DB, RATING_CYCLE_CRON: 'every hour' }, /^tierwise: Invalid setting RATING_CYCLE_CRON="every hour": must be a cron pattern/],
  [{ DATABASE_URL: NO_DB, DECISION_UPKEEP_CRON: '61 * * * *' }, /^tierwise: Invalid setting DECISION_UPKEEP_CRON="61 \* \* \* \*": must be a cron pattern/],
  [{ DATABASE_URL: NO_DB, RATING_APPLY_DELAY_MS: '-1' }, /^tierwise: Invalid setting RATING_APPLY_DELAY_MS="-1": must be a whole number/],
];
/** Started as real processes (~2 s of node start each): a plain setting, a job setting beside an unreachable database. */
const STARTED = [0, 5];

describe('a bad setting', () => {
  // Every refused setting against the configuration the server reads first (loadConfig, on the environment
  // runToExit gives it); the server prints the error's message after `tierwise: ` and exits (shown below).
  it.each(REFUSED)('%j is refused by the configuration with one clear line', (env, expected) => {
    let error: unknown;
    try {
      loadConfig(refusalEnv(env));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const line = `tierwise: ${(error as ConfigError).message}\n`;
    expect(line).toMatch(expected);
    expect(line.trim().split('\n')).toHaveLength(1);
  });

  it.each(STARTED.map((i) => REFUSED[i]))('%j stops the server with one clear line and no stack trace', async (env, expected) => {
    const { code, stderr } = await runToExit(env);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(expected);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('an unreachable DATABASE_URL stops with one line naming the server', async () => {
    const { code, stderr } = await runToExit({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing', AUDIT_KEY: TEST_AUDIT_KEY });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/^tierwise: Cannot use the database at 127\.0\.0\.1:1\/nothing: /);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('never prints a secret it refuses', async () => {
    const { code, stderr } = await runToExit({ ADMIN_USERNAME: 'boss', ADMIN_PASSWORD: 'short' });
    expect(code).not.toBe(0);
    expect(stderr).toBe('tierwise: Invalid setting ADMIN_PASSWORD=(hidden): must be at least 12 characters\n');
  });
});
