/**
 * Rating cycles (issue 11): a schedule per policy; opening a cycle (what the API process's cron does)
 * creates one row per period and nothing else; each cycle shows the snapshot expected for its period,
 * the run that rated it, and whether it is overdue — on the ICBC star policy, re-rated monthly.
 */
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../helpers/test-app';
import { seedCatalog } from './simulation-fixtures';
import { Auth, waitForRun } from './rating-fixtures';

const POLICY = 'icbc-star';

interface CycleView {
  id: string;
  period: string;
  status: string;
  overdue: boolean;
  late: boolean;
  deadline: string;
  snapshot: { id: string; asOf: string } | null;
  run: { id: string; status: string } | null;
  openedBy: string;
}

describe('rating cycles', () => {
  let t: TestApp;
  let admin: { auth: Auth; username: string };
  let author: { auth: Auth; username: string };
  let approver: { auth: Auth; username: string };
  let viewer: { auth: Auth };
  let db: DataSource;
  const cycles = async (query = ''): Promise<CycleView[]> =>
    (await t.http.get(`/api/rating-cycles?policy=${POLICY}${query}`).set(viewer.auth).expect(200)).body;
  const october = async () => (await cycles()).find((c) => c.period === '2025-10');

  beforeAll(async () => {
    t = await createTestApp();
    await seedCatalog(t.app);
    admin = await t.login(['admin']);
    author = await t.login(['author']);
    approver = await t.login(['approver']);
    viewer = await t.login(['viewer']);
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('a schedule is set by an admin only, validated with paths, and opens the current period at once', async () => {
    await t.http.put(`/api/rating-cycles/schedules/${POLICY}`).set(author.auth).send({ frequency: 'monthly', deadlineDays: 10 }).expect(403);
    const bad = await t.http.put(`/api/rating-cycles/schedules/${POLICY}`).set(admin.auth).send({ frequency: 'weekly', deadlineDays: -1 }).expect(422);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['deadlineDays', 'frequency']);
    const unknown = await t.http
      .put('/api/rating-cycles/schedules/no-such-policy')
      .set(admin.auth)
      .send({ frequency: 'monthly', deadlineDays: 10 })
      .expect(422);
    expect(unknown.body.code).toBe('RATING_UNKNOWN_POLICY');
    expect(Number((await db.query('SELECT count(*)::int AS n FROM rating_cycle_schedule'))[0].n)).toBe(0);

    const set = await t.http.put(`/api/rating-cycles/schedules/${POLICY}`).set(admin.auth).send({ frequency: 'monthly', deadlineDays: 10 }).expect(200);
    expect(set.body).toMatchObject({ policy: POLICY, frequency: 'monthly', deadlineDays: 10, updatedBy: admin.username });
    const now = new Date();
    const label = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    const current = (await cycles()).find((c) => c.period === label);
    expect(current).toMatchObject({ status: 'awaiting-snapshot', overdue: false, openedBy: admin.username, snapshot: null, run: null });
    const [audit] = await db.query(
      `SELECT after FROM audit_event WHERE action = 'rating_cycle.schedule' AND entity_id = (SELECT id::text FROM policy WHERE key = $1)`,
      [POLICY],
    );
    expect(audit.after).toEqual({ frequency: 'monthly', deadlineDays: 10 });
  });

  it('opening is idempotent and only opens: an October cycle past its deadline is overdue until a run for its snapshot is applied', async () => {
    await t.http.post('/api/rating-cycles/open').set(author.auth).send({}).expect(403);
    const opened = await t.http.post('/api/rating-cycles/open').set(admin.auth).send({ at: '2025-10-15T08:00:00Z', policy: POLICY }).expect(200);
    expect(opened.body.opened).toEqual([{ policy: POLICY, period: '2025-10' }]);
    const again = await t.http.post('/api/rating-cycles/open').set(admin.auth).send({ at: '2025-10-20T08:00:00Z', policy: POLICY }).expect(200);
    expect(again.body.opened).toEqual([]);
    expect(Number((await db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'rating_cycle.open'`))[0].n)).toBe(2);
    const runsBefore = Number((await db.query('SELECT count(*)::int AS n FROM rating_run'))[0].n);

    expect(await october()).toMatchObject({
      status: 'awaiting-snapshot',
      overdue: true,
      late: false,
      deadline: '2025-11-11T00:00:00.000Z',
      snapshot: null,
      run: null,
    });
    expect((await cycles('&overdue=true')).map((c) => c.period)).toEqual(['2025-10']);
    const badQuery = await t.http.get('/api/rating-cycles?overdue=maybe').set(viewer.auth).expect(400);
    expect(badQuery.body.details[0].path).toBe('overdue');
    expect(Number((await db.query('SELECT count(*)::int AS n FROM rating_run'))[0].n)).toBe(runsBefore); // opening never rates

    // the snapshot of October (a September one and one for no policy do not count)
    const rows = [
      { customerId: 'cy-1', starPoints: 6_000 },
      { customerId: 'cy-2', starPoints: 200 },
    ];
    await t.http.post('/api/datasets').set(author.auth).send({ name: 'september', asOf: '2025-09-30', policy: POLICY, rows }).expect(201);
    await t.http.post('/api/datasets').set(author.auth).send({ name: 'unassigned', asOf: '2025-10-31', rows }).expect(201);
    expect((await october())?.snapshot).toBeNull();
    const snap = await t.http.post('/api/datasets').set(author.auth).send({ name: 'october', asOf: '2025-10-31', policy: POLICY, rows }).expect(201);
    expect(await october()).toMatchObject({ status: 'awaiting-run', overdue: true, snapshot: { id: snap.body.id, asOf: '2025-10-31' } });

    // the run that rates it: proposed → awaiting approval, applied → rated (late: after the deadline)
    const started = await t.http.post('/api/rating-runs').set(author.auth).send({ policy: POLICY, datasetId: snap.body.id }).expect(201);
    await waitForRun(t, author.auth, started.body.id, ['proposed']);
    expect(await october()).toMatchObject({ status: 'awaiting-approval', overdue: true, run: { id: started.body.id, status: 'proposed' } });
    await t.http.post(`/api/rating-runs/${started.body.id}/approve`).set(approver.auth).send({}).expect(200);
    expect(await october()).toMatchObject({ status: 'rated', overdue: false, late: true, run: { id: started.body.id, status: 'applied' } });
    expect((await cycles('&overdue=true')).map((c) => c.period)).toEqual([]);
  });
});
