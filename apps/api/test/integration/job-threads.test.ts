/**
 * The job machinery's worker threads (piscina): a thread killed mid-life is replaced once, so the
 * pool stays at its configured size, and runs still complete; threads run the current TypeScript
 * sources under the tests, never a stale dist/.
 */
import { DataSource } from 'typeorm';
import { CHUNK_EXECUTOR } from '../../src/jobs/jobs.module';
import { threadEntry, ThreadsExecutor } from '../../src/jobs/executors';
import { createTestApp, TestApp } from '../helpers/test-app';
import { raisedPlatinumDraft, seedCatalog, waitForStatus } from './simulation-fixtures';

describe('job threads (piscina)', () => {
  let t: TestApp;
  let author: { auth: { Authorization: string } };
  const saved = process.env.SIMULATION_THREADS;

  beforeAll(async () => {
    process.env.SIMULATION_THREADS = '3';
    t = await createTestApp();
    await seedCatalog(t.app);
    author = await t.login(['author']);
  });
  afterAll(async () => {
    await t.close();
    if (saved === undefined) delete process.env.SIMULATION_THREADS;
    else process.env.SIMULATION_THREADS = saved;
  });

  it('threads load the TypeScript sources through the test loader, not dist/', () => {
    expect(threadEntry()).toMatch(/test\/helpers\/ts-thread\.js$/);
  });

  it('killing a thread leaves the pool at its configured size, and a run still completes on it', async () => {
    const executor = t.app.get<ThreadsExecutor>(CHUNK_EXECUTOR);
    expect(executor).toBeInstanceOf(ThreadsExecutor);
    const until = Date.now() + 20_000;
    while (executor.threadCount < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(executor.threadCount).toBe(3);

    const victims = executor.workers.slice(0, 2);
    const ids = victims.map((w) => w.threadId);
    // One crashes (an uncaught error inside the thread: 'error' then 'exit', which the former pool
    // answered with two replacements), one is terminated.
    const crashed = new Promise((r) => victims[0].once('exit', r));
    victims[0].postMessage({ crash: true });
    await crashed;
    await victims[1].terminate();
    // Replaced, once each: back to 3 and not more, also a while later.
    const back = Date.now() + 20_000;
    while (executor.workers.filter((w) => !ids.includes(w.threadId)).length < 3 && Date.now() < back) await new Promise((r) => setTimeout(r, 50));
    expect(executor.threadCount).toBe(3);
    await new Promise((r) => setTimeout(r, 1500));
    expect(executor.threadCount).toBe(3);
    expect(executor.workers.some((w) => ids.includes(w.threadId))).toBe(false);

    const draft = await raisedPlatinumDraft(t, author.auth);
    const ds = await t.http.post('/api/datasets/synthetic').set(author.auth).send({ template: 'cib-card', size: 12_000, seed: 9 }).expect(201);
    const run = await t.http.post('/api/simulations').set(author.auth).send({ candidateVersionId: draft.id, datasetId: ds.body.id }).expect(201);
    const done = await waitForStatus(t, author.auth, run.body.id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'succeeded', progress: { done: 12_000, total: 12_000 } });
    expect(executor.threadCount).toBe(3);
    const by: { processed_by: string }[] = await t.app
      .get(DataSource)
      .query('SELECT DISTINCT processed_by FROM simulation_part WHERE simulation_id = $1', [run.body.id]);
    expect(by.every((r) => r.processed_by.startsWith('thread:'))).toBe(true);
  });
});
