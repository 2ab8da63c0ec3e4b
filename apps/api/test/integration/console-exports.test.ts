/**
 * The console's downloads, in CSV and XLSX through the one writer. The simulation's: the report's figures (counts,
 * matrix, cost per tier and per package) equal the report's JSON; per-customer results have one row
 * per customer and keep a hostile customer id from becoming a formula.
 */
import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { createTestApp, TestApp } from '../helpers/test-app';
import { cardCustomers, PACKAGE_UNIT_COST, raisedPlatinumDraft, seedCatalog, waitForStatus } from './simulation-fixtures';

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const parts: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (d: Buffer) => parts.push(d));
  stream.on('end', () => cb(null, Buffer.concat(parts)));
};

async function sheetRows(body: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe("the console's downloads as XLSX too: simulation report, per-customer results, audit events", () => {
  let t: TestApp;
  let auth: { Authorization: string };
  let sim: { id: string; result: Record<string, unknown> & { total: number; candidate: Record<string, number>; baseline: Record<string, number> } };

  beforeAll(async () => {
    t = await createTestApp();
    await seedCatalog(t.app);
    auth = (await t.login(['author'])).auth;
    const draft = await raisedPlatinumDraft(t, auth);
    const rows = cardCustomers(400, 11).map((c, i) => ({ ...c, customerId: i === 0 ? '=HYPERLINK("http://evil","x")' : c.customerId }));
    const dataset = await t.http.post('/api/datasets').set(auth).send({ name: 'exports', rows, idColumn: 'customerId' }).expect(201);
    const created = await t.http.post('/api/simulations').set(auth).send({ candidateVersionId: draft.id, datasetId: dataset.body.id }).expect(201);
    sim = (await waitForStatus(t, auth, created.body.id, ['succeeded'])) as typeof sim;
  });
  afterAll(() => t.close());

  it('the report as XLSX holds the same numbers as the report (counts, cost per tier and per package), in Chinese', async () => {
    const res = await t.http.get(`/api/simulations/${sim.id}/report`).query({ format: 'xlsx', lang: 'zh-CN' }).set(auth).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const rows = await sheetRows(res.body as Buffer);
    expect(rows[0]).toEqual(['部分', '行', '列', '基准', '候选', '变化']);
    const distribution = rows.filter((r) => r[0] === '各等级客户数');
    const result = sim.result as unknown as {
      tiers: { key: string; name: string }[];
      cost: { packages: { name: string; baselineCost: number; candidateCost: number }[] };
    };
    for (const tier of result.tiers) {
      const row = distribution.find((r) => r[1] === tier.name)!;
      expect(row.slice(3)).toEqual([
        sim.result.baseline[tier.key],
        sim.result.candidate[tier.key],
        sim.result.candidate[tier.key] - sim.result.baseline[tier.key],
      ]);
    }
    expect(distribution.find((r) => r[1] === '合计')?.[4]).toBe(sim.result.total);
    // cost per tier = customers × the package's unit cost
    const tierCost = rows.filter((r) => r[0] === '各等级权益成本（元）');
    for (const tier of result.tiers) {
      const row = tierCost.find((r) => r[1] === tier.name)!;
      expect(row[4]).toBeCloseTo(PACKAGE_UNIT_COST[tier.key] * sim.result.candidate[tier.key], 2);
    }
    const packageCost = rows.filter((r) => r[0] === '各权益包成本（元）');
    for (const p of result.cost.packages) expect(packageCost.find((r) => r[1] === p.name)?.slice(3, 5)).toEqual([p.baselineCost, p.candidateCost]);
  });

  it('the report as CSV has English headers with lang=en', async () => {
    const res = await t.http.get(`/api/simulations/${sim.id}/report`).query({ format: 'csv', lang: 'en' }).set(auth).buffer(true).parse(binary).expect(200);
    const text = (res.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFFSection,Row,Column,Baseline,Candidate,Change\n')).toBe(true);
    expect(text).toContain(`Customers per tier,Total,,${sim.result.total},${sim.result.total},0`);
  });

  it('per-customer results as XLSX: one row per customer, a formula-looking id kept as text', async () => {
    const res = await t.http.get(`/api/simulations/${sim.id}/results`).query({ format: 'xlsx' }).set(auth).buffer(true).parse(binary).expect(200);
    const rows = await sheetRows(res.body as Buffer);
    expect(rows).toHaveLength(sim.result.total + 1);
    expect(rows[1][1]).toBe(`'=HYPERLINK("http://evil","x")`);
    await t.http.get(`/api/simulations/${sim.id}/results`).query({ format: 'pdf' }).set(auth).expect(400);
  });

  it('audit events as XLSX, with the list filters', async () => {
    const compliance = (await t.login(['compliance'])).auth;
    const res = await t.http
      .get('/api/audit-events/export')
      .query({ format: 'xlsx', filter: JSON.stringify({ entityId: sim.id }) })
      .set(compliance)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const rows = await sheetRows(res.body as Buffer);
    expect(rows.length).toBe(2); // header + simulation.create
    expect(rows[1]).toEqual(expect.arrayContaining(['simulation.create', 'simulation', sim.id]));
    await t.http.get('/api/audit-events/export').query({ format: 'xlsx' }).set(auth).expect(403);
  });
});
