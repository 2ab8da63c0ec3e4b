/**
 * Period reports of the official ledger (issue 11, contract §8): tier counts at two instants per
 * district, percent of total, the movement matrix, CSV and XLSX through the one writer — on a
 * policy of its own (cib-card's rules), two applied runs; a customer who moved district with the
 * same tier counts in the new district.
 */
import ExcelJS from 'exceljs';
import { createTestApp, TestApp } from '../helpers/test-app';
import { seedCatalog } from './simulation-fixtures';
import { Auth, waitForRun } from './rating-fixtures';

const POLICY = 'report-card';

describe('period reports of the tier ledger', () => {
  let t: TestApp;
  let author: { auth: Auth };
  let approver: { auth: Auth };
  let viewer: { auth: Auth };
  let between = '';

  const snapshotOf = async (asOf: string, rows: { customerId: string; avgDailyAssets: number; district: string }[]) =>
    (
      await t.http
        .post('/api/datasets')
        .set(author.auth)
        .send({ name: `report ${asOf}`, asOf, rows: rows.map((r) => ({ hasValidId: true, familyAvgDailyAssets: null, ...r })) })
        .expect(201)
    ).body.id as string;
  const rate = async (datasetId: string) => {
    const started = await t.http.post('/api/rating-runs').set(author.auth).send({ policy: POLICY, datasetId }).expect(201);
    await waitForRun(t, author.auth, started.body.id, ['proposed']);
    const applied = await t.http.post(`/api/rating-runs/${started.body.id}/approve`).set(approver.auth).send({}).expect(200);
    expect(applied.body.status).toBe('applied');
    return applied.body as { effectiveAt: string };
  };

  beforeAll(async () => {
    t = await createTestApp();
    await seedCatalog(t.app);
    author = await t.login(['author']);
    approver = await t.login(['approver']);
    viewer = await t.login(['viewer']);
    const card = (await t.http.get('/api/policies').query({ range: '[0,999]' }).set(author.auth).expect(200)).body.find(
      (p: { key: string }) => p.key === 'cib-card',
    );
    const active = (await t.http.get(`/api/policy-versions/${card.activeVersionId}`).set(author.auth).expect(200)).body;
    const policy = (await t.http.post('/api/policies').set(author.auth).send({ key: POLICY, name: 'report card' }).expect(201)).body;
    const draft = (await t.http.post(`/api/policies/${policy.id}/versions`).set(author.auth).send({ definition: active.definition }).expect(201)).body;
    await t.http.post(`/api/policy-versions/${draft.id}/submit`).set(author.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${draft.id}/approve`).set(approver.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${draft.id}/publish`).set(approver.auth).send({}).expect(200);
    await new Promise((r) => setTimeout(r, 1100)); // the evaluation timeline cache
    const first = await rate(
      await snapshotOf('2025-01-31', [
        { customerId: 'rp-1', avgDailyAssets: 50_000, district: '惠城区' },
        { customerId: 'rp-2', avgDailyAssets: 350_000, district: '惠城区' },
        { customerId: 'rp-3', avgDailyAssets: 150_000, district: '博罗县' },
      ]),
    );
    between = new Date(new Date(first.effectiveAt).getTime() + 1).toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await rate(
      await snapshotOf('2025-02-28', [
        { customerId: 'rp-1', avgDailyAssets: 150_000, district: '惠城区' }, // SILVER → GOLD
        { customerId: 'rp-2', avgDailyAssets: 350_000, district: '博罗县' }, // moved district, still PLATINUM (no ledger row)
        { customerId: 'rp-3', avgDailyAssets: 150_000, district: '博罗县' },
        { customerId: 'rp-4', avgDailyAssets: 1_200_000, district: '惠城区' }, // first rated
      ]),
    );
  });
  afterAll(() => t.close());

  it('counts per district at two instants, percent of total, and the movement between them', async () => {
    const r = (await t.http.get('/api/reports/tiers').query({ policy: POLICY, compareTo: between, groupBy: 'district' }).set(viewer.auth).expect(200)).body;
    expect(r.customers).toEqual({ at: 4, compareTo: 3 });
    expect(r.groups).toEqual([
      {
        group: { district: '博罗县' },
        at: { PLATINUM: 1, GOLD: 1 },
        compareTo: { GOLD: 1 },
        percent: { at: { PLATINUM: 25, GOLD: 25 }, compareTo: { GOLD: 33.33 } },
      },
      {
        group: { district: '惠城区' },
        at: { GOLD: 1, BLACK: 1 },
        compareTo: { SILVER: 1, PLATINUM: 1 },
        percent: { at: { GOLD: 25, BLACK: 25 }, compareTo: { SILVER: 33.33, PLATINUM: 33.33 } },
      },
    ]);
    expect(r.total).toEqual({ at: { GOLD: 2, PLATINUM: 1, BLACK: 1 }, compareTo: { SILVER: 1, PLATINUM: 1, GOLD: 1 } });
    expect(r.movement).toEqual({ SILVER: { GOLD: 1 }, PLATINUM: { PLATINUM: 1 }, GOLD: { GOLD: 1 }, null: { BLACK: 1 } });
    expect(r.tiers.map((x: { key: string }) => x.key)).toEqual(['BLACK', 'PLATINUM', 'GOLD', 'SILVER']);
    // one instant, no grouping: the totals only
    const plain = (await t.http.get('/api/reports/tiers').query({ policy: POLICY, at: between }).set(viewer.auth).expect(200)).body;
    expect(plain).toMatchObject({ customers: { at: 3 }, total: { at: { SILVER: 1, PLATINUM: 1, GOLD: 1 } }, groups: [] });
    expect(plain.movement).toBeUndefined();
  });

  it('downloads as CSV and XLSX through the one writer, headers in the asked language', async () => {
    const csv = await t.http
      .get('/api/reports/tiers')
      .query({ policy: POLICY, compareTo: between, groupBy: 'district', format: 'csv', lang: 'en' })
      .set(viewer.auth)
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toMatch(/^district,Tier,Customers at .*,% of total,Customers at .*,% of total,Change$/);
    // 惠城区: its Silver customer of January is Gold now; its Platinum one moved to 博罗县 — 0 now, 1 before (33.33 %), change -1
    expect(lines).toContain('惠城区,Small customer (Silver card),0,0,1,33.33,-1');
    expect(lines).toContain('惠城区,Major customer (Platinum card),0,0,1,33.33,-1');
    expect(lines).toContain('博罗县,Major customer (Platinum card),1,25,0,0,1');
    expect(lines[lines.length - 1]).toMatch(/^Total,/);
    const xlsx = await t.http
      .get('/api/reports/tiers')
      .query({ policy: POLICY, compareTo: between, groupBy: 'district', format: 'xlsx', lang: 'zh-CN' })
      .set(viewer.auth)
      .buffer(true)
      .parse((res, cb) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => cb(null, Buffer.concat(parts)));
      })
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).getCell(2).value).toBe('等级');
    const total = sheet.getColumn(1).values.filter((v) => v === '合计').length;
    expect(total).toBe(4); // BLACK, PLATINUM, GOLD, SILVER at one instant or the other
    expect(typeof sheet.getRow(2).getCell(3).value).toBe('number');
  });

  it('bad input: unknown policy or fact → 422 with the path, a bad instant → 400 with the path', async () => {
    const unknown = await t.http.get('/api/reports/tiers').query({ policy: 'no-such' }).set(viewer.auth).expect(422);
    expect(unknown.body.code).toBe('RATING_UNKNOWN_POLICY');
    const fact = await t.http.get('/api/reports/tiers').query({ policy: POLICY, groupBy: 'noSuchFact' }).set(viewer.auth).expect(422);
    expect(fact.body.details).toEqual([{ path: 'groupBy', message: 'unknown fact' }]);
    const at = await t.http.get('/api/reports/tiers').query({ policy: POLICY, at: 'yesterday' }).set(viewer.auth).expect(400);
    expect(at.body.details[0].path).toBe('at');
    await t.http.get('/api/reports/tiers').query({ policy: POLICY }).expect(401);
  });
});
