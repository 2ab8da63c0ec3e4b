/**
 * GET /api/decisions on a large log (issue 17): the total in Content-Range is exact up to COUNT_BEYOND_PAGE rows
 * beyond the page asked for, then capped there (a filtered list) or PostgreSQL's estimate of the log (the
 * unfiltered list), so a page never counts a year of decisions; and paging through decisions that share their
 * instant (a batch's) shows each exactly once.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import type { DecisionRow } from '../../src/evaluation/decision.entity';
import { DecisionLogService } from '../../src/evaluation/decision-log.service';
import { COUNT_BEYOND_PAGE } from '../../src/evaluation/decisions.service';
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

describe('GET /api/decisions: the total on a large log', () => {
  let t: TestApp & { db: Client };
  let auth: Auth;
  const policyId = randomUUID();
  const at = new Date();
  const row = (customerId: string, i: number): DecisionRow => ({
    id: randomUUID(),
    evaluatedAt: at, // one instant, as for a batch
    asOf: at,
    policyId,
    policyKey: 'count-policy',
    versionId: randomUUID(),
    versionNumber: 1,
    customerId,
    actor: 'svc',
    facts: { i },
    eligible: true,
    tierKey: 'GOLD',
    tierRank: 1,
    benefitPackageKey: null,
    scores: {},
    trace: null,
    rolloutStep: null,
    cutoffRunId: null,
  });
  const MANY = COUNT_BEYOND_PAGE + 100;
  const FEW = 30;

  beforeAll(async () => {
    t = await createIsolatedTestApp();
    auth = (await t.login(['compliance'])).auth;
    const log = t.app.get(DecisionLogService);
    for (let i = 0; i < MANY; i += 5000) await log.append(Array.from({ length: Math.min(5000, MANY - i) }, (_, k) => row('many', i + k)));
    await log.append(Array.from({ length: FEW }, (_, i) => row('few', i)));
  });
  afterAll(() => t.close());

  const list = async (range: [number, number], filter?: Record<string, string>, sort: [string, string] = ['evaluatedAt', 'DESC']) => {
    const res = await t.http
      .get('/api/decisions')
      .query({ range: JSON.stringify(range), sort: JSON.stringify(sort), ...(filter ? { filter: JSON.stringify(filter) } : {}) })
      .set(auth)
      .expect(200);
    const m = /^decisions (\d+)-(\d+)\/(\d+)$/.exec(res.headers['content-range']);
    if (!m) throw new Error(`Content-Range ${res.headers['content-range']}`);
    return { ids: (res.body as { id: string }[]).map((d) => d.id), from: +m[1], to: +m[2], total: +m[3] };
  };

  it('exact when fewer than COUNT_BEYOND_PAGE rows follow the page', async () => {
    expect(await list([0, 24], { customerId: 'few' })).toMatchObject({ from: 0, to: 24, total: FEW });
    expect(await list([25, 49], { customerId: 'few' })).toMatchObject({ from: 25, to: 29, total: FEW });
    // 100 + COUNT_BEYOND_PAGE: every row is within reach, the count is exact
    expect(await list([0, 99], { customerId: 'many' })).toMatchObject({ total: MANY });
    expect(await list([9000, 9024], { customerId: 'many' })).toMatchObject({ from: 9000, to: 9024, total: MANY });
  });

  it('capped at the page end + COUNT_BEYOND_PAGE for a filtered list with more behind it; the cap moves with the page', async () => {
    expect(await list([0, 24], { customerId: 'many' })).toMatchObject({ from: 0, to: 24, total: 25 + COUNT_BEYOND_PAGE });
    expect(await list([50, 74], { customerId: 'many' })).toMatchObject({ total: 75 + COUNT_BEYOND_PAGE });
    expect(await list([75, 99], { customerId: 'many' })).toMatchObject({ total: MANY });
  });

  it('the unfiltered list: the estimate of the log once analysed, the cap before', async () => {
    const exact = MANY + FEW;
    const before = await list([0, 24]);
    expect(before.total).toBeGreaterThanOrEqual(25 + COUNT_BEYOND_PAGE);
    expect(before.total).toBeLessThanOrEqual(exact);
    // a page beyond the end is counted exactly (how the evaluate bench counts the decisions it logged)
    expect(await list([1e12, 1e12])).toMatchObject({ ids: [], total: exact });
    await t.db.query('ANALYZE decision');
    expect((await list([0, 24])).total).toBe(exact);
    // the last page is counted exactly
    expect(await list([exact - 10, exact + 14])).toMatchObject({ from: exact - 10, to: exact - 1, total: exact });
  });

  it('paging through decisions of one instant shows each exactly once, whatever the sort', async () => {
    for (const sort of [
      ['evaluatedAt', 'DESC'],
      ['evaluatedAt', 'ASC'],
      ['customerId', 'ASC'],
      ['policyKey', 'DESC'],
    ] as [string, string][]) {
      const seen: string[] = [];
      for (let from = 0; from < FEW; from += 7) seen.push(...(await list([from, from + 6], { customerId: 'few' }, sort)).ids);
      expect(seen).toHaveLength(FEW);
      expect(new Set(seen).size).toBe(FEW);
    }
  });
});
