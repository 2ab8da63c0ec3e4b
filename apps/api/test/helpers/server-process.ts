import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const MAIN = path.resolve(__dirname, '..', '..', 'dist', 'main.js');

/** The node flags of the API's start script (`node --max-semi-space-size=64 dist/main.js`): the server runs as it is started. */
export const START_FLAGS = ((): string[] => {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const m = /\bnode ((?:--[\w-]+=\S+ )*)dist\/main\.js\b/.exec(pkg.scripts.start);
  if (!m) throw new Error(`apps/api's start script is not "node [flags] dist/main.js": ${pkg.scripts.start}`);
  return m[1].split(' ').filter(Boolean);
})();

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/** Runs the built server (`node <start flags> dist/main.js`) as `npm start` does, and waits for its URL line. */
export function startServer(env: Record<string, string | undefined>, timeoutMs = 90_000): Promise<ServerProcess> {
  const clean = { ...process.env };
  delete clean.DATABASE_URL;
  // One job thread per process unless the test asks for more (each thread compiles as it starts).
  const threads = { SIMULATION_THREADS: '1' };
  const child = spawn(process.execPath, [...START_FLAGS, MAIN], {
    env: { ...threads, ...clean, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return new Promise((resolve, reject) => {
    // A server too slow to start is stopped (SIGTERM: its embedded PostgreSQL too), not left running beside the next files.
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const m = /Tierwise is running at (http:\/\/\S+?)\/?\s[\s\S]*Stop with Ctrl\+C/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out, exited });
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before starting:\n${out}`));
    });
  });
}

/** The environment `runToExit` gives the server: the test's own without DATABASE_URL, quiet logs, then `env`. */
export function refusalEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const clean = { ...process.env };
  delete clean.DATABASE_URL;
  return { ...clean, LOG_LEVEL: 'warn', ...env };
}

/** Run the server expecting it to refuse to start; returns its exit code and output. */
export function runToExit(env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...START_FLAGS, MAIN], { env: refusalEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** Sign in to a running server; anything but 200 fails the test with the server's answer. */
export async function loginTo(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { accessToken?: string };
  if (res.status !== 200 || typeof body.accessToken !== 'string') throw new Error(`login as ${username} answered ${res.status}: ${JSON.stringify(body)}`);
  return body.accessToken;
}
