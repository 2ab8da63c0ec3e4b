/**
 * A rating run compares each customer of a snapshot with their ledger state, whatever order the
 * snapshot lists them in: a chunk of customers who are neighbours in the ledger reads them as one
 * range of tier_current (and skips the ledger's customers between them that the snapshot lacks), a
 * chunk of scattered customers looks them up one by one — the proposal and the staging rows are the same.
 */
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../helpers/test-app';
import { seedCatalog } from './simulation-fixtures';
import { Auth, CardFacts, propose, snapshot } from './rating-fixtures';

const POLICY = 'cib-card';
jest.setTimeout(180_000);

describe('rating runs: the snapshot order does not matter', () => {
  let t: TestApp;
  let author: { auth: Auth };
  let approver: { auth: Auth };
  let db: DataSource;
  const saved = process.env.DATASET_CHUNK_ROWS;
  const tag = `O${Date.now().toString(36)}`;
  const c = (n: number) => `${tag}-${String(n).padStart(3, '0')}`;

  beforeAll(async () => {
    process.env.DATASET_CHUNK_ROWS = '10';
    t = await createTestApp();
    await seedCatalog(t.app);
    author = await t.login(['author']);
    approver = await t.login(['approver']);
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
    if (saved === undefined) delete process.env.DATASET_CHUNK_ROWS;
    else process.env.DATASET_CHUNK_ROWS = saved;
  });

  it('a snapshot in customer order and the same one shuffled propose the same changes against the ledger', async () => {
    const assets = [1_200_000, 350_000, 150_000, 50_000];
    // The ledger: 60 customers; the next snapshots hold only every other one, so the ledger has customers between theirs.
    const fill = await propose(t, author.auth, {
      policy: POLICY,
      datasetId: await snapshot(
        t,
        author.auth,
        '2026-01-31',
        Array.from({ length: 60 }, (_, n) => ({ customerId: c(n), avgDailyAssets: assets[n % 4] })),
      ),
    });
    await t.http.post(`/api/rating-runs/${fill.id}/approve`).set(approver.auth).send({}).expect(200);

    // Every other customer, with other assets (some move up, some down, some stay), plus two the ledger lacks.
    const rows: CardFacts[] = Array.from({ length: 30 }, (_, k) => ({ customerId: c(2 * k), avgDailyAssets: assets[(k * 3 + 1) % 4] }));
    rows.push({ customerId: `${tag}-new-1`, avgDailyAssets: 1_200_000 }, { customerId: `${tag}-new-2`, avgDailyAssets: 50_000 });
    // the same rows in another order (7 is prime to 32): each chunk of 10 then spans most of the ledger
    const shuffled = rows.map((_, i) => rows[(i * 7) % rows.length]);
    expect(shuffled.map((r) => r.customerId)).not.toEqual(rows.map((r) => r.customerId));

    const inOrder = await propose(t, author.auth, { policy: POLICY, datasetId: await snapshot(t, author.auth, '2026-02-28', rows) });
    const scattered = await propose(t, author.auth, { policy: POLICY, datasetId: await snapshot(t, author.auth, '2026-02-28', shuffled) });
    // Only the two customers the ledger lacks enter; everyone else is compared with their tier.
    expect(inOrder.result).toMatchObject({ total: 32, entered: 2 });
    expect((inOrder.result.upgrades as number) + (inOrder.result.downgrades as number)).toBeGreaterThan(10);
    for (const k of ['matrix', 'matrixHash', 'entered', 'upgrades', 'downgrades', 'unchanged', 'held', 'staged'])
      expect([k, scattered.result[k]]).toEqual([k, inOrder.result[k]]);
    const staged = async (runId: string) =>
      db.query(`SELECT customer_id, from_tier, to_tier, rated_tier, change, below_runs FROM rating_run_change WHERE run_id = $1 ORDER BY customer_id`, [runId]);
    expect(await staged(scattered.id)).toEqual(await staged(inOrder.id));
  });
});
