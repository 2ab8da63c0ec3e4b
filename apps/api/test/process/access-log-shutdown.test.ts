/**
 * The access log is buffered (common/logging/logger.ts: written in 4 kB pieces, or after 200 ms): no line is lost
 * when the process stops. Requests with ids of their own, then SIGTERM at once: every request's line is in the
 * server's output, and so are the lines logged while shutting down. And the exit flush itself: a process that logs a
 * few lines (far less than 4 kB) and exits at once, by process.exit or by an uncaught error, has written them all.
 */

const LOGGER = path.join(path.dirname(MAIN), 'common', 'logging', 'logger.js');
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { MAIN, startServer } from '../helpers/server-process';

jest.setTimeout(180_000);

interface Line {
  msg?: string;
  req?: { id?: string };
}

describe('access log at shutdown', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tierwise-alog-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes every request line and the shutdown lines before the process exits', async () => {
    // no templates: the requests here are 404s; the demo users' creation is on the audit chain to anchor
    const server = await startServer({ TIERWISE_DATA_DIR: dataDir, DEMO_PASSWORD: 'demo-pass-1234', SEED_TEMPLATES: 'false', LOG_LEVEL: 'info' });
    const ids = Array.from({ length: 45 }, (_, i) => `alog-${i}`);
    for (const id of ids) {
      const res = await fetch(`${server.url}/api/no-such-route-${id}`, { headers: { 'x-request-id': id } });
      expect(res.status).toBe(404);
      await res.arrayBuffer();
    }
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Line);
    const logged = new Set(lines.filter((l) => l.msg === 'request completed').map((l) => l.req?.id));
    expect(ids.filter((id) => !logged.has(id))).toEqual([]);
    // the last line logged is the embedded database's stop, moments before process.exit
    const msgs = lines.map((l) => l.msg);
    // the audit chain's anchor is logged while shutting down, moments before process.exit
    expect(msgs.slice(msgs.indexOf('shutting down'))).toContain('audit chain anchor');
  });

  it.each([
    ['process.exit', 5, 'process.exit(3)', 3],
    ['an uncaught error', 5, "throw new Error('boom')", 1],
    ['process.exit, after many 4 kB pieces', 400, 'process.exit(0)', 0],
  ])('writes what it holds when the process ends by %s, in order', (_how, n, end, code) => {
    const script = `const { createLogger } = require(${JSON.stringify(LOGGER)});
      const log = createLogger('info');
      for (let i = 0; i < ${n}; i++) log.info({ i }, 'line ' + i);
      ${end};`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(run.status).toBe(code);
    const lines = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Line & { time: string });
    expect(lines.map((l) => l.msg)).toEqual(Array.from({ length: n }, (_, i) => `line ${i}`));
    // pino's ISO time, never going back
    expect(lines.every((l) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(l.time))).toBe(true);
    expect(lines.map((l) => l.time)).toEqual(lines.map((l) => l.time).sort());
  });
});
