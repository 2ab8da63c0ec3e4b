import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const DEMO_PASSWORD = 'browser-test-pass';
const READY_LINE = 'Tierwise is running at http://';
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

export interface AppServer {
  url: string;
  /** Recent stdout/stderr lines, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

/**
 * A data directory the API made on its first start (embedded PostgreSQL initialised and migrated, the
 * demo users and the shipped templates loaded), made once per run by global-setup.ts: each server then
 * starts on a copy of it, the state any fresh install reaches on its first start, instead of repeating
 * that start (initdb, migrations, templates, argon2 for every demo user) for each of the ~19 servers.
 */
export const SEEDED_DATA_DIR_ENV = 'TIERWISE_BROWSER_SEEDED_DATA_DIR';

/**
 * Starts the built API (which also serves the built console) the way a user does, on a free
 * port, with a data directory of its own and its embedded PostgreSQL (DATABASE_URL is removed), and
 * `extraEnv` (e.g. WEBHOOK_ALLOWED_HOSTS for a local webhook receiver). The data directory is a copy of
 * the run's first-started one (SEEDED_DATA_DIR_ENV) when there is one, else empty (a first start).
 */
export async function startAppServer(extraEnv: Record<string, string> = {}): Promise<AppServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tierwise-browser-'));
  const seeded = process.env[SEEDED_DATA_DIR_ENV];
  // -a: PostgreSQL's files keep their owner (the postgres user when run as root) and modes (0700 data folder)
  let server: AppServer;
  try {
    if (seeded) execFileSync('cp', ['-a', `${seeded}/.`, dataDir]);
    server = await startAppServerIn(dataDir, extraEnv);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...server,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts the API on `dataDir` (kept when it stops). */
export async function startAppServerIn(dataDir: string, extraEnv: Record<string, string> = {}): Promise<AppServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    // One job thread unless the environment asks for more, as the API tests' servers (the browser tests run
    // one rating or simulation at a time; each thread is one more module load at start).
    SIMULATION_THREADS: '1',
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    TIERWISE_DATA_DIR: dataDir,
    DEMO_PASSWORD,
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const entry = path.resolve(REPO_ROOT, process.env.TIERWISE_API_ENTRY ?? 'apps/api/dist/main.js');
  const child = spawn(process.execPath, [entry], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const output = () => lines.slice(-60).join('\n');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), STOP_TIMEOUT_MS);
      await exited(child);
      clearTimeout(timer);
    }
  };

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`server did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${error.message}\n--- server output ---\n${output()}`)));
    };
    const collect = (stream: NodeJS.ReadableStream) => {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        pending += chunk;
        const parts = pending.split('\n');
        pending = parts.pop() ?? '';
        for (const line of parts) {
          lines.push(line);
          if (line.includes(READY_LINE)) {
            clearTimeout(timer);
            resolve();
          }
        }
      });
    };
    collect(child.stdout!);
    collect(child.stderr!);
    child.once('exit', (code, signal) => fail(new Error(`server exited early (code ${code}, signal ${signal})`)));
    child.once('error', (error) => fail(error));
  });

  return { url: `http://127.0.0.1:${port}`, output, stop };
}
