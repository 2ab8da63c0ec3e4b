/**
 * Population-relative tiers (issue 16 acceptance 2 and 4, contract §10): a rating run computes its cut-offs
 * over its snapshot before evaluating anyone, freezes them with its proposal, and approving the run approves
 * them; single evaluations then use the cut-offs of the last applied run (shown in the trace and the
 * explanation), as-of replay uses the ones in force then, and before any applied run they are refused (422).
 */
import { POLICY_FILE_FORMAT } from '@tierwise/policy-engine';
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';
import { propose, waitForRun } from './rating-fixtures';
import { waitForStatus } from './simulation-fixtures';

type User = { auth: { Authorization: string }; username: string };
const top = (value: number) => ({ all: [{ fact: 'profit', operator: 'topPercent', value }] });
const POLICY = 'pop-pyramid';

describe('population conditions in rating runs and evaluations', () => {
  let t: TestApp & { db: import('pg').Client };
  let author: User;
  let approver: User;
  let service: User;
  let compliance: User;
  let versionId: string;

  const evaluate = (facts: Record<string, unknown>, at?: string) =>
    t.http
      .post('/api/evaluate')
      .set(service.auth)
      .send({ policy: POLICY, facts, explain: true, ...(at ? { at } : {}) });
  const snapshotOf = async (asOf: string, profits: number[]) => {
    const rows = profits.map((profit, i) => ({ customerId: `c${i + 1}`, profit, region: i % 2 ? 'west' : 'east' }));
    const res = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: `profits ${asOf}`, asOf, rows })
      .expect(201);
    return res.body.id as string;
  };

  beforeAll(async () => {
    t = await createIsolatedTestApp();
    [author, approver, service, compliance] = await Promise.all([t.login(['author']), t.login(['approver']), t.login(['service']), t.login(['compliance'])]);
    const file = {
      format: POLICY_FILE_FORMAT,
      policy: { key: POLICY, name: '利润金字塔' },
      definition: {
        schemaVersion: 1,
        tiers: [
          { key: 'KEY', name: '关键客户', nameEn: 'Key', when: top(20) },
          { key: 'MAJOR', name: '主要客户', nameEn: 'Major', when: top(50) },
          { key: 'NORMAL', name: '普通客户', nameEn: 'Normal' },
        ],
      },
      // the test cases together are the population they are checked in: of these 10, the best 2 are 关键
      testCases: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((p) => ({
        name: `profit ${p}`,
        facts: { profit: p },
        expectedTier: p >= 90 ? 'KEY' : p >= 60 ? 'MAJOR' : 'NORMAL',
      })),
      catalog: {
        facts: [
          { key: 'profit', label: '利润', labelEn: 'Profit', type: 'number', unit: 'CNY' },
          { key: 'region', label: '地区', labelEn: 'Region', type: 'string' },
        ],
        benefits: [],
        benefitPackages: [],
      },
    };
    const imported = await t.http.post('/api/policies/import').set(author.auth).send(file).expect(201);
    versionId = imported.body.version.id;
    await t.http.post(`/api/policy-versions/${versionId}/submit`).set(author.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${versionId}/approve`).set(approver.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${versionId}/publish`).set(approver.auth).send({}).expect(200);
  }, 120_000);
  afterAll(() => t.close());

  it('refuses population conditions before any applied run with 422 POPULATION_CUTOFFS_MISSING, in every single evaluation', async () => {
    const one = await evaluate({ profit: 950_000 }).expect(422);
    expect(one.body).toMatchObject({ code: 'POPULATION_CUTOFFS_MISSING', details: [{ path: 'policy' }] });
    const batch = await t.http
      .post('/api/evaluate/batch')
      .set(service.auth)
      .send({ policy: POLICY, customers: [{ facts: { profit: 1 } }] })
      .expect(422);
    expect(batch.body.code).toBe('POPULATION_CUTOFFS_MISSING');
    const tryIt = await t.http
      .post(`/api/policy-versions/${versionId}/evaluate`)
      .set(author.auth)
      .send({ facts: { profit: 1 } })
      .expect(422);
    expect(tryIt.body.code).toBe('POPULATION_CUTOFFS_MISSING');
    // nothing was logged for the refused evaluations
    expect((await t.db.query('SELECT count(*)::int AS n FROM decision WHERE policy_key = $1', [POLICY])).rows[0].n).toBe(0);
  });

  it("freezes the run's cut-offs with its proposal, uses them after approval, replays them as of then, and never changes them", async () => {
    // run 1: ten customers 100,000 … 1,000,000 → the top 20% (2) start at 900,000, the top 50% (5) at 600,000
    const ds1 = await snapshotOf(
      '2026-03-31',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => k * 100_000),
    );
    const run1 = await propose(t, author.auth, { policy: POLICY, datasetId: ds1 });
    expect(run1.cutoffs).toMatchObject({
      asOf: '2026-03-31',
      population: 10,
      cuts: [
        { key: 'topPercent(profit, 20)', groups: [{ population: 10, cutoff: 900_000, qualifying: 2 }] },
        { key: 'topPercent(profit, 50)', groups: [{ population: 10, cutoff: 600_000, qualifying: 5 }] },
      ],
    });
    expect(run1.result.matrix).toMatchObject({ null: { KEY: 2, MAJOR: 3, NORMAL: 5 } });
    // the proposal's samples explain the cut they were rated against
    expect(JSON.stringify(run1.result.samples)).toContain('前 20% 的利润门槛为 900,000（2026-03-31，共 10 名客户）');
    // still proposed: single evaluations have no cut-offs yet
    await evaluate({ profit: 950_000 }).expect(422);

    const approved = await t.http.post(`/api/rating-runs/${run1.id}/approve`).set(approver.auth).send({}).expect(200);
    expect(approved.body.status).toBe('applied');
    const audit = await t.db.query(`SELECT after FROM audit_event WHERE action = 'rating_run.approve' AND entity_id = $1`, [run1.id]);
    expect(audit.rows[0].after.cutoffs).toMatchObject({ population: 10, cuts: [{ key: 'topPercent(profit, 20)', cutoff: 900_000 }, { cutoff: 600_000 }] });
    const appliedAt = new Date(approved.body.effectiveAt as string).getTime();

    // a later single evaluation uses run 1's cut-offs, shows them in the trace and says them
    const now1 = await evaluate({ profit: 950_000 }).expect(200);
    expect(now1.body).toMatchObject({ tier: { key: 'KEY' }, cutoffs: { runId: run1.id, asOf: '2026-03-31', population: 10 } });
    expect(now1.body.trace[0].condition.children[0]).toMatchObject({
      operator: 'topPercent',
      value: 20,
      factValue: 950_000,
      cutoff: { value: 900_000, population: 10, qualifying: 2, asOf: '2026-03-31' },
    });
    expect(now1.body.explanation['zh-CN'][0]).toBe('利润 950,000 ≥ 900,000：前 20% 的利润门槛为 900,000（2026-03-31，共 10 名客户） → 关键客户');
    expect(now1.body.explanation.en[0]).toContain('the top 20% threshold for Profit is 900,000 (2026-03-31, 10 customers)');
    // the next tier is aimed at the frozen cut
    expect((await evaluate({ profit: 700_000 }).expect(200)).body.next).toMatchObject({ tier: { key: 'KEY' }, options: [{ fact: 'profit', needed: 900_000 }] });
    // try-it (any version, not logged) uses them too
    const tryIt = await t.http
      .post(`/api/policy-versions/${versionId}/evaluate`)
      .set(author.auth)
      .send({ facts: { profit: 950_000 } })
      .expect(200);
    expect(tryIt.body).toMatchObject({ tier: { key: 'KEY' }, cutoffs: { runId: run1.id } });

    // the cut-offs are frozen: the database refuses to change them
    await expect(t.db.query(`UPDATE rating_run SET cutoffs = '{"cuts": []}' WHERE id = $1`, [run1.id])).rejects.toThrow(/frozen/);

    // run 2: a richer population (1,000,000 … 10,000,000): 950,000 is no longer in the top 50%
    await new Promise((r) => setTimeout(r, 20));
    const ds2 = await snapshotOf(
      '2026-04-30',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => k * 1_000_000),
    );
    // first simulated: how the cut-offs would move against run 1's
    const sim = await t.http.post('/api/simulations').set(author.auth).send({ candidateVersionId: versionId, datasetId: ds2 }).expect(201);
    const simulated = await waitForStatus(t, author.auth, sim.body.id as string, ['succeeded', 'failed']);
    expect(simulated).toMatchObject({ status: 'succeeded' });
    const report = (simulated.result as { cutoffs: Record<string, unknown> }).cutoffs;
    expect(report).toMatchObject({
      lastApplied: { runId: run1.id, asOf: '2026-03-31', population: 10 },
      moves: [
        { key: 'topPercent(profit, 20)', before: 900_000, after: 9_000_000, populationBefore: 10, populationAfter: 10 },
        { key: 'topPercent(profit, 50)', before: 600_000, after: 6_000_000 },
      ],
    });
    // the simulation's samples are explained against its own population's cut-offs
    expect(JSON.stringify(simulated.result)).toContain('前 20% 的利润门槛为 9,000,000（2026-04-30，共 10 名客户）');

    const run2 = await propose(t, author.auth, { policy: POLICY, datasetId: ds2 });
    expect(run2.cutoffs).toMatchObject({ asOf: '2026-04-30', cuts: [{ groups: [{ cutoff: 9_000_000 }] }, { groups: [{ cutoff: 6_000_000 }] }] });
    await t.http.post(`/api/rating-runs/${run2.id}/approve`).set(approver.auth).send({}).expect(200);
    await waitForRun(t, author.auth, run2.id, ['applied']);

    const now2 = await evaluate({ profit: 950_000 }).expect(200);
    expect(now2.body).toMatchObject({ tier: { key: 'NORMAL' }, cutoffs: { runId: run2.id, asOf: '2026-04-30' } });
    // as-of replay: the decision made under run 1 gives the same tier with the cut-offs in force then
    const d1 = await t.http.get(`/api/decisions/${now1.body.decisionId}`).set(compliance.auth).expect(200);
    const replay = await evaluate(d1.body.facts, d1.body.asOf).expect(200);
    expect(replay.body).toMatchObject({ tier: { key: 'KEY' }, cutoffs: { runId: run1.id } });
    expect(d1.body.tierKey).toBe('KEY');
    // its trace, re-derived with run 1's frozen cut-offs (not run 2's, in force now), is the one the evaluation answered
    expect(d1.body).toMatchObject({ cutoffRunId: run1.id, traceSource: 'derived', trace: now1.body.trace });
    expect(JSON.stringify(d1.body.trace)).toContain('900000');
    // and before run 1 took effect there were none
    const before = await evaluate({ profit: 950_000 }, new Date(appliedAt - 1).toISOString()).expect(422);
    expect(before.body.code).toBe('POPULATION_CUTOFFS_MISSING');
  }, 180_000);
});
