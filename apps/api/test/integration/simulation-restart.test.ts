/**
 * The API process is killed (SIGKILL) in the middle of a run; the next start resumes the run from
 * its stored chunks and finishes it with the right counts — it is never left "running".
 * The servers are the built `dist/main.js` on a database of this file's own: an in-process app of
 * another test file (the other jest worker) would otherwise sweep the killed run up too.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { decodeChunk, DecodedColumn, valueAt } from '../../src/datasets/chunk-codec';
import { loginTo, startServer, ServerProcess } from '../helpers/server-process';
import { createMigratedDatabase } from '../helpers/databases';
import { createTestApp, TEST_AUDIT_KEY } from '../helpers/test-app';
import { UsersService } from '../../src/users/users.service';
import { cardTier, raisedPlatinumDraft, seedCatalog } from './simulation-fixtures';

jest.setTimeout(180_000);

const PASSWORD = 'restart-password-1';

async function api(server: ServerProcess, token: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { progress: { done: number; total: number } } };
}

describe('simulation: the API dies during a run', () => {
  let draftId = '';
  let datasetId = '';
  let username = '';
  const saved = process.env.DATASET_CHUNK_ROWS;
  const servers: ServerProcess[] = [];
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL });
  let dbName = '';
  let databaseUrl = '';
  const runDatabase = process.env.TEST_DATABASE_URL;

  beforeAll(async () => {
    process.env.DATASET_CHUNK_ROWS = '1000';
    await admin.connect();
    ({ name: dbName, url: databaseUrl } = await createMigratedDatabase(admin, 'tierwise_restart'));
    process.env.TEST_DATABASE_URL = databaseUrl;
    const t = await createTestApp();
    try {
      await seedCatalog(t.app);
      const author = await t.login(['author']);
      draftId = (await raisedPlatinumDraft(t, author.auth)).id;
      datasetId = (await t.http.post('/api/datasets/synthetic').set(author.auth).send({ template: 'cib-card', size: 40_000, seed: 9 }).expect(201)).body.id;
      username = `restart-${Date.now()}`;
      await t.app.get(UsersService).create('test-setup', { username, password: PASSWORD, roles: ['author'] });
    } finally {
      await t.close(); // no in-process coordinator of this file may pick the run up
      process.env.TEST_DATABASE_URL = runDatabase;
      if (saved === undefined) delete process.env.DATASET_CHUNK_ROWS;
      else process.env.DATASET_CHUNK_ROWS = saved;
    }
  });
  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    if (dbName) await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it('is resumed at the next start and finishes with the right counts', async () => {
    const env = {
      DATABASE_URL: databaseUrl,
      AUDIT_KEY: TEST_AUDIT_KEY,
      TIERWISE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'tierwise-restart-')),
      // Two threads and a longer pause per chunk, so the kill lands mid-run
      // (under load, 40 chunks of 150 ms were once all stored before the poll saw 4,000 done).
      SIMULATION_THREADS: '2',
      SIMULATION_CHUNK_DELAY_MS: '400',
      SIMULATION_RECOVERY_MS: '500',
      LOG_LEVEL: 'warn',
    };
    const first = await startServer(env);
    servers.push(first);
    let token = await loginTo(first.url, username, PASSWORD);
    const created = await api(first, token, 'POST', '/simulations', { candidateVersionId: draftId, datasetId });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    for (;;) {
      const s = await api(first, token, 'GET', `/simulations/${id}`);
      if (s.body.status === 'running' && s.body.progress.done >= 4000) break;
      expect(['queued', 'running']).toContain(s.body.status);
      await new Promise((r) => setTimeout(r, 50));
    }
    first.child.kill('SIGKILL');
    await first.exited;

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const [stuck] = (
        await db.query('SELECT status, attempts, (SELECT count(*)::int FROM simulation_part WHERE simulation_id = $1) AS parts FROM simulation WHERE id = $1', [
          id,
        ])
      ).rows;
      expect(stuck.status).toBe('running'); // what a crash leaves behind
      expect(stuck.parts).toBeGreaterThan(0);
      expect(stuck.parts).toBeLessThan(40);

      const second = await startServer({ ...env, SIMULATION_CHUNK_DELAY_MS: '0' });
      servers.push(second);
      token = await loginTo(second.url, username, PASSWORD);
      let done: Awaited<ReturnType<typeof api>>;
      const until = Date.now() + 60_000;
      for (;;) {
        done = await api(second, token, 'GET', `/simulations/${id}`);
        if (!['queued', 'running'].includes(String(done.body.status))) break;
        if (Date.now() > until) throw new Error(`still ${done.body.status} after the restart`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(done.body).toMatchObject({ status: 'succeeded', attempts: 2, progress: { done: 40_000, total: 40_000 } });
      const result = done.body.result as { matrix: Record<string, Record<string, number>>; timings: { resumedWithRows: number } };
      expect(result.timings.resumedWithRows).toBeGreaterThanOrEqual(4000);

      // Every cell against the card rules applied by hand to the stored customers.
      const want: Record<string, Record<string, number>> = {};
      const chunks = (await db.query('SELECT data FROM dataset_chunk WHERE dataset_id = $1 ORDER BY chunk_no', [datasetId])).rows as { data: Buffer }[];
      for (const { data } of chunks) {
        const chunk = decodeChunk(data);
        const col = (k: string) => chunk.columns.get(k) as DecodedColumn;
        for (let i = 0; i < chunk.rows; i++) {
          const c = {
            avgDailyAssets: (valueAt(col('avgDailyAssets'), i) as number | undefined) ?? null,
            familyAvgDailyAssets: (valueAt(col('familyAvgDailyAssets'), i) as number | undefined) ?? null,
            hasValidId: (valueAt(col('hasValidId'), i) as boolean | undefined) ?? null,
          };
          const b = String(cardTier(c, 300_000));
          const k = String(cardTier(c, 500_000));
          (want[b] ??= {})[k] = (want[b][k] ?? 0) + 1;
        }
      }
      for (const [b, row] of Object.entries(result.matrix)) for (const [k, n] of Object.entries(row)) expect([b, k, n]).toEqual([b, k, want[b]?.[k] ?? 0]);

      const audit = await db.query(`SELECT actor, action FROM audit_event WHERE entity_id = $1 ORDER BY seq`, [id]);
      expect(audit.rows).toEqual([
        { actor: username, action: 'simulation.create' },
        { actor: 'system:recovery', action: 'simulation.recover' },
      ]);
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    } finally {
      await db.end();
    }
  });
});
