// Starts the real API (apps/api/dist/main.js) for a benchmark: embedded PostgreSQL in a temp dir
// (or DATABASE_URL when set), seed templates loaded, and returns its URL and a way to stop it.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PASSWORD = 'bench-password-1';

/**
 * The node flags the checkout's own start command gives the API (`apps/api/package.json` scripts.start, e.g.
 * `--max-semi-space-size=64`), so that a bench runs the server as `npm start` and the Docker image do — and a
 * baseline checkout with its own.
 */
export function startFlags(root = ROOT) {
  const start = JSON.parse(readFileSync(path.join(root, 'apps/api/package.json'), 'utf8')).scripts?.start ?? '';
  const m = /\bnode ((?:--[\w-]+=\S+ )*)\S*dist\/main\.js\b/.exec(start);
  return m ? m[1].split(' ').filter(Boolean) : [];
}

/** `root`: another checkout's built API (e.g. main's, for an A/B in the same run); this one's by default. */
export async function startServer(env = {}, nodeArgs = [], root = ROOT) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tierwise-bench-'));
  const child = spawn(process.execPath, [...startFlags(root), ...nodeArgs, path.join(root, 'apps/api/dist/main.js')], {
    env: {
      ...process.env,
      // With DATABASE_URL the server needs an audit key (apps/api/src/audit/audit-key.ts).
      ...(process.env.DATABASE_URL && !process.env.AUDIT_KEY ? { AUDIT_KEY: 'bench-audit-key-0123456789abcdef-0123456789' } : {}),
      PORT: '0',
      TIERWISE_DATA_DIR: dataDir,
      DEMO_PASSWORD: PASSWORD,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    if (!out.includes('Ctrl+C')) out += d.toString();
  });
  // BENCH_SERVER_LOG=<file>: the server's whole stdout appended there (e.g. with --trace-gc in BENCH_API_NODE_ARGS).
  if (process.env.BENCH_SERVER_LOG) child.stdout.pipe(createWriteStream(process.env.BENCH_SERVER_LOG, { flags: 'a' }));
  child.stderr.on('data', (d) => (err += d.toString()));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${err}`)), 120_000);
    child.stdout.on('data', () => {
      const m = /Tierwise is running at (http:\/\/\S+?)\/?\s[\s\S]*Ctrl\+C/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}\n${err}`)));
  });
  return {
    url,
    child,
    dataDir,
    async login(username = 'admin') {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD }),
      });
      return (await res.json()).accessToken;
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      // BENCH_KEEP_DATA=1: leave the data dir (embedded PostgreSQL and its password) for measuring on it afterwards.
      if (process.env.BENCH_KEEP_DATA === '1') process.stderr.write(`kept the bench's data dir: ${dataDir}\n`);
      else rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
