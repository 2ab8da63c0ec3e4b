/** Regional rollout (issue 13 acceptance 3, contract §11): publish with rollout segments; the customer's segment and the instant pick the version; decisions record the step; as-of replay agrees. */
import { POLICY_FILE_FORMAT } from '@tierwise/policy-engine';
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';

type User = { auth: { Authorization: string }; username: string };
const gte = (value: number) => ({ all: [{ fact: 'starPoints', operator: 'greaterThanInclusive', value }] });
const definition = (high: number) => ({
  schemaVersion: 1,
  tiers: [
    { key: 'HIGH', name: '高', when: gte(high) },
    { key: 'LOW', name: '低' },
  ],
});
const east = { all: [{ fact: 'region', operator: 'equal', value: 'east' }] };

describe('regional rollout', () => {
  let t: TestApp & { db: import('pg').Client };
  let author: User;
  let approver: User;
  let service: User;
  let compliance: User;
  let policyId: string;
  let v1: string;
  let v2: string;
  const base = Date.now();
  const inMinutes = (m: number) => new Date(base + m * 60_000).toISOString();
  const rate = (facts: Record<string, unknown>, at: string, customerId?: string) =>
    t.http
      .post('/api/evaluate')
      .set(service.auth)
      .send({ policy: 'rollout-stars', facts, at, ...(customerId ? { customerId } : {}) })
      .expect(200);

  beforeAll(async () => {
    t = await createIsolatedTestApp();
    [author, approver, service, compliance] = await Promise.all([t.login(['author']), t.login(['approver']), t.login(['service']), t.login(['compliance'])]);
    const file = {
      format: POLICY_FILE_FORMAT,
      policy: { key: 'rollout-stars', name: '星级（分地区上线）' },
      definition: definition(100),
      testCases: [
        { name: '200 → 高', facts: { starPoints: 200 }, expectedTier: 'HIGH' },
        { name: '10 → 低', facts: { starPoints: 10 }, expectedTier: 'LOW' },
      ],
      catalog: {
        facts: [
          { key: 'starPoints', label: '星点值', type: 'number' },
          { key: 'region', label: '地区', type: 'string' },
        ],
        benefits: [],
        benefitPackages: [],
      },
    };
    const imported = await t.http.post('/api/policies/import').set(author.auth).send(file).expect(201);
    policyId = imported.body.policy.id;
    v1 = imported.body.version.id;
    await t.http.post(`/api/policy-versions/${v1}/submit`).set(author.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${v1}/approve`).set(approver.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${v1}/publish`).set(approver.auth).send({}).expect(200);
    const draft = await t.http
      .post(`/api/policies/${policyId}/versions`)
      .set(author.auth)
      .send({ definition: definition(50), changeNote: '门槛 50，分地区上线' })
      .expect(201);
    v2 = draft.body.id;
    await t.http.post(`/api/policy-versions/${v2}/submit`).set(author.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${v2}/approve`).set(approver.auth).send({}).expect(200);
  });
  afterAll(() => t.close());

  it('refuses a bad segment or a step in the past with 422 and the path; four-eyes unchanged', async () => {
    const bad = await t.http
      .post(`/api/policy-versions/${v2}/publish`)
      .set(approver.auth)
      .send({
        effectiveFrom: inMinutes(120),
        rollout: [{ segment: { all: [{ fact: 'noSuchFact', operator: 'equal', value: 1 }] }, effectiveFrom: inMinutes(60) }],
      })
      .expect(422);
    expect(bad.body.details[0].path).toBe('rollout[0].segment.all[0].fact');
    const past = await t.http
      .post(`/api/policy-versions/${v2}/publish`)
      .set(approver.auth)
      .send({ effectiveFrom: inMinutes(120), rollout: [{ segment: east, effectiveFrom: inMinutes(-60) }] })
      .expect(422);
    expect(past.body.details[0].path).toBe('rollout[0].effectiveFrom');
    await t.http
      .post(`/api/policy-versions/${v2}/publish`)
      .set(author.auth)
      .send({ effectiveFrom: inMinutes(120), rollout: [{ segment: east, effectiveFrom: inMinutes(60) }] })
      .expect(403);
    expect((await t.http.get(`/api/policy-versions/${v2}`).set(author.auth).expect(200)).body.status).toBe('approved');
  });

  it('the same facts on one date rate with the new version in one region and the old in another; decisions record it; as-of replay agrees', async () => {
    const published = await t.http
      .post(`/api/policy-versions/${v2}/publish`)
      .set(approver.auth)
      .send({ effectiveFrom: inMinutes(120), rollout: [{ segment: east, effectiveFrom: inMinutes(60) }] })
      .expect(200);
    expect(published.body.rollout).toEqual([{ segment: east, effectiveFrom: inMinutes(60), facts: [expect.objectContaining({ key: 'region' })] }]);

    const when = inMinutes(90);
    const e = await rate({ starPoints: 60, region: 'east' }, when, 'c-east');
    const w = await rate({ starPoints: 60, region: 'west' }, when, 'c-west');
    expect(e.body).toMatchObject({ policy: { versionId: v2, number: 2, rolloutStep: 0 }, tier: { key: 'HIGH' } });
    expect(w.body).toMatchObject({ policy: { versionId: v1, number: 1 }, tier: { key: 'LOW' } });
    // before the east step both are on version 1; after effectiveFrom everyone is on version 2 (west by the version's own date)
    await expect(rate({ starPoints: 60, region: 'east' }, inMinutes(30)).then((r) => r.body.policy.number)).resolves.toBe(1);
    const later = await rate({ starPoints: 60, region: 'west' }, inMinutes(180));
    expect(later.body).toMatchObject({ policy: { number: 2, rolloutStep: null }, tier: { key: 'HIGH' } });

    // the decisions record the version and the step that applied
    const de = await t.http.get(`/api/decisions/${e.body.decisionId}`).set(compliance.auth).expect(200);
    const dw = await t.http.get(`/api/decisions/${w.body.decisionId}`).set(compliance.auth).expect(200);
    expect(de.body).toMatchObject({ versionId: v2, versionNumber: 2, rolloutStep: 0, tierKey: 'HIGH', customerId: 'c-east' });
    expect(dw.body).toMatchObject({ versionId: v1, versionNumber: 1, rolloutStep: null, tierKey: 'LOW', customerId: 'c-west' });
    expect((await t.db.query('SELECT rollout_step FROM decision WHERE id = $1', [e.body.decisionId])).rows[0].rollout_step).toBe(0);
    // each shows the trace its evaluation answered (re-derived with the version that applied through the step)
    expect([de.body.trace, dw.body.trace]).toEqual([e.body.trace, w.body.trace]);
    expect([de.body.traceSource, dw.body.traceSource]).toEqual(['derived', 'derived']);

    // as-of replay of each decision (its inputs, its instant) gives the same version, step and tier
    for (const d of [de.body, dw.body]) {
      const replay = await rate(d.facts, d.asOf);
      expect({ version: replay.body.policy.versionId, step: replay.body.policy.rolloutStep ?? null, tier: replay.body.tier?.key }).toEqual({
        version: d.versionId,
        step: d.rolloutStep,
        tier: d.tierKey,
      });
    }
    // a batch at that instant: each customer's segment picks the version
    const batch = await t.http
      .post('/api/evaluate/batch')
      .set(service.auth)
      .send({ policy: 'rollout-stars', at: when, customers: [{ facts: { starPoints: 60, region: 'east' } }, { facts: { starPoints: 60, region: 'west' } }] })
      .expect(200);
    expect(batch.body.results.map((r: { policy: { number: number }; tier: { key: string } }) => [r.policy.number, r.tier.key])).toEqual([
      [2, 'HIGH'],
      [1, 'LOW'],
    ]);
  });

  it('the diff between the versions lists the rollout steps: who switches to version 2 when, in zh-CN and en', async () => {
    const diff = await t.http.get(`/api/policy-versions/${v2}/diff`).query({ against: v1 }).set(author.auth).expect(200);
    expect(diff.body.rollout).toEqual({
      from: null,
      to: {
        effectiveFrom: inMinutes(120),
        steps: [{ segment: east, effectiveFrom: inMinutes(60) }],
        text: {
          'zh-CN': [`第 1 步：自 ${inMinutes(60)} 起，地区 = east 的客户`, `其余客户：自 ${inMinutes(120)} 起`],
          en: [`Step 1: from ${inMinutes(60)}, customers where 地区 = east`, `Everyone else: from ${inMinutes(120)}`],
        },
      },
    });
    // the tiers' diff is unchanged beside it
    expect(diff.body.tiers.find((x: { key: string }) => x.key === 'HIGH')).toMatchObject({ change: 'changed' });
  });

  it('shows the rollout on the version (timeline), and the database keeps it immutable once published', async () => {
    const v = await t.http.get(`/api/policy-versions/${v2}`).set(author.auth).expect(200);
    expect(v.body).toMatchObject({ status: 'scheduled', rollout: [{ segment: east, effectiveFrom: inMinutes(60) }] });
    const versions = await t.http.get(`/api/policies/${policyId}/versions`).set(author.auth).expect(200);
    expect(versions.body.find((x: { id: string }) => x.id === v2).rollout).toHaveLength(1);
    await expect(t.db.query(`UPDATE policy_version SET rollout = '[]' WHERE id = $1`, [v2])).rejects.toThrow(/cannot change/);
  });
  // rating runs during the rollout (each customer rated with the version their segment has): rollout-rating.test.ts
});
