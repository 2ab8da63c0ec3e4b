/** Shared by the regional-rollout tests: a star-points policy whose version 2 is rolled out region by region. */
import { POLICY_FILE_FORMAT } from '@tierwise/policy-engine';
import type { TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

const gte = (value: number) => ({ all: [{ fact: 'rolloutStars', operator: 'greaterThanInclusive', value }] });
export const starsDefinition = (high: number) => ({
  schemaVersion: 1,
  tiers: [
    { key: 'HIGH', name: '高', nameEn: 'High', when: gte(high) },
    { key: 'LOW', name: '低', nameEn: 'Low' },
  ],
});
export const inRegion = (region: string) => ({ all: [{ fact: 'rolloutRegion', operator: 'equal', value: region }] });

/**
 * Version 1 (HIGH from 100 star points) in effect now; version 2 (HIGH from 50, one run of downgrade grace) published with `steps`
 * (one per region, each with its instant) and in effect for everyone else from `effectiveFrom`.
 */
export async function rolloutPolicy(
  t: TestApp,
  users: { author: Auth; approver: Auth },
  key: string,
  steps: { region: string; at: string }[],
  effectiveFrom: string,
): Promise<{ policyId: string; v1: string; v2: string }> {
  const file = {
    format: POLICY_FILE_FORMAT,
    policy: { key, name: '星级（分地区上线）' },
    definition: starsDefinition(100),
    testCases: [
      { name: '200 → 高', facts: { rolloutStars: 200 }, expectedTier: 'HIGH' },
      { name: '10 → 低', facts: { rolloutStars: 10 }, expectedTier: 'LOW' },
    ],
    catalog: {
      facts: [
        { key: 'rolloutStars', label: '星点（分地区上线测试）', type: 'number' },
        { key: 'rolloutRegion', label: '分行地区', type: 'string' },
      ],
      benefits: [],
      benefitPackages: [],
    },
  };
  const { author, approver } = users;
  const imported = await t.http.post('/api/policies/import').set(author).send(file);
  if (imported.status !== 201) throw new Error(`import answered ${imported.status}: ${JSON.stringify(imported.body)}`);
  const policyId = imported.body.policy.id as string;
  const v1 = imported.body.version.id as string;
  const publish = async (id: string, body: Record<string, unknown>) => {
    await t.http.post(`/api/policy-versions/${id}/submit`).set(author).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${id}/approve`).set(approver).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${id}/publish`).set(approver).send(body).expect(200);
  };
  await publish(v1, {});
  const draft = await t.http
    .post(`/api/policies/${policyId}/versions`)
    .set(author)
    // version 2 also keeps a customer one run in their tier when rated lower (version 1 has no lifecycle rules)
    .send({ definition: { ...starsDefinition(50), lifecycle: { downgradeGraceRuns: 1 } }, changeNote: '门槛 50，降级宽限 1 次，分地区上线' })
    .expect(201);
  const v2 = draft.body.id as string;
  await publish(v2, { effectiveFrom, rollout: steps.map((s) => ({ segment: inRegion(s.region), effectiveFrom: s.at })) });
  return { policyId, v1, v2 };
}
