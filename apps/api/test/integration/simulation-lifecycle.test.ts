/**
 * Run lifecycle in-process: progress while running, cancel, and a run left "running" by a dead
 * coordinator too many times. Chunks are slowed down (SIMULATION_CHUNK_DELAY_MS) so that a run
 * lasts long enough to watch.
 */
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../helpers/test-app';
import { raisedPlatinumDraft, seedCatalog, waitForStatus } from './simulation-fixtures';

// Two job threads (the test helper's default is one): progress must move at least once a second under load.
const ENV = { DATASET_CHUNK_ROWS: '1000', SIMULATION_CHUNK_DELAY_MS: '200', SIMULATION_RECOVERY_MS: '300', SIMULATION_THREADS: '2' };

describe('simulation lifecycle: progress, cancel, interrupted too often', () => {
  let t: TestApp;
  let author: { auth: { Authorization: string }; username: string };
  let draft: { id: string };
  let datasetId: string;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    for (const [k, v] of Object.entries(ENV)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    t = await createTestApp();
    await seedCatalog(t.app);
    author = await t.login(['author']);
    draft = await raisedPlatinumDraft(t, author.auth);
    const ds = await t.http.post('/api/datasets/synthetic').set(author.auth).send({ template: 'cib-card', size: 60_000, seed: 3 }).expect(201);
    datasetId = ds.body.id;
  });
  afterAll(async () => {
    await t.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('reports progress at least once a second while running, then cancels on request and stays cancelled', async () => {
    const created = await t.http.post('/api/simulations').set(author.auth).send({ candidateVersionId: draft.id, datasetId }).expect(201);
    const id = created.body.id as string;
    const seen: { at: number; done: number }[] = [];
    const started = Date.now();
    for (;;) {
      const s = await t.http.get(`/api/simulations/${id}`).set(author.auth).expect(200);
      if (s.body.status === 'running' && seen.at(-1)?.done !== s.body.progress.done) seen.push({ at: Date.now(), done: s.body.progress.done });
      if (seen.length >= 4 || Date.now() - started > 30_000) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].done).toBeGreaterThan(seen[i - 1].done);
      expect(seen[i].at - seen[i - 1].at).toBeLessThan(1100);
    }
    expect(seen.at(-1)?.done).toBeLessThan(60_000);

    const cancelled = await t.http.post(`/api/simulations/${id}/cancel`).set(author.auth).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledBy: author.username });
    await new Promise((r) => setTimeout(r, 1000));
    const after = await t.http.get(`/api/simulations/${id}`).set(author.auth).expect(200);
    expect(after.body).toMatchObject({ status: 'cancelled' });
    expect(after.body.result).toBeUndefined();
    const ds = t.app.get(DataSource);
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM simulation_part WHERE simulation_id = $1', [id]);
    expect(n).toBe(0);

    expect((await t.http.post(`/api/simulations/${id}/cancel`).set(author.auth).expect(409)).body.code).toBe('SIMULATION_NOT_CANCELLABLE');
    expect((await t.http.get(`/api/simulations/${id}/results.csv`).set(author.auth).expect(409)).body.code).toBe('SIMULATION_NOT_FINISHED');
    const events = await t.http.get(`/api/audit-events?entityType=simulation&entityId=${id}`).set(author.auth).expect(200);
    expect(events.body.map((e: { action: string }) => e.action).sort()).toEqual(['simulation.cancel', 'simulation.create']);

    // The slot is free again: a new run on the same dataset completes.
    const next = await t.http.post('/api/simulations').set(author.auth).send({ candidateVersionId: draft.id, datasetId }).expect(201);
    const done = await waitForStatus(t, author.auth, next.body.id, ['succeeded', 'failed'], 60_000);
    expect(done).toMatchObject({ status: 'succeeded', progress: { done: 60_000, total: 60_000 } });
  });

  it('a queued run can be cancelled before it starts', async () => {
    // SIMULATION_MAX_RUNS is 2: the third concurrent run waits in the queue.
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await t.http.post('/api/simulations').set(author.auth).send({ candidateVersionId: draft.id, datasetId }).expect(201)).body.id);
    const queued = await t.http.get(`/api/simulations/${ids[2]}`).set(author.auth).expect(200);
    expect(queued.body.status).toBe('queued');
    await t.http.post(`/api/simulations/${ids[2]}/cancel`).set(author.auth).expect(200);
    for (const id of ids.slice(0, 2)) await t.http.post(`/api/simulations/${id}/cancel`).set(author.auth).expect(200);
    await new Promise((r) => setTimeout(r, 700));
    for (const id of ids) expect((await t.http.get(`/api/simulations/${id}`).set(author.auth).expect(200)).body.status).toBe('cancelled');
  });

  it('a run found running without a coordinator after its last attempt is failed, not resumed forever', async () => {
    const ds = t.app.get(DataSource);
    const small = await t.http.post('/api/datasets/synthetic').set(author.auth).send({ template: 'cib-card', size: 2000, seed: 4 }).expect(201);
    const created = await t.http.post('/api/simulations').set(author.auth).send({ candidateVersionId: draft.id, datasetId: small.body.id }).expect(201);
    await waitForStatus(t, author.auth, created.body.id, ['succeeded']);
    // As if its process had died during the third attempt.
    await ds.query(`UPDATE simulation SET status = 'running', attempts = 3, result = NULL, finished_at = NULL WHERE id = $1`, [created.body.id]);
    const failed = await waitForStatus(t, author.auth, created.body.id, ['failed'], 10_000);
    expect(failed.error).toContain('interrupted 3 times');
    const events = await t.http
      .get(`/api/audit-events?entityType=simulation&entityId=${created.body.id}&action=simulation.recover`)
      .set(author.auth)
      .expect(200);
    expect(events.body).toEqual([expect.objectContaining({ actor: 'system:recovery', after: { status: 'failed' } })]);
  });
});
