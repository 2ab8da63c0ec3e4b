import type { PolicyDefinition } from '@tierwise/policy-engine';
import { publishVersion, setupPolicy } from '../helpers/fixtures';
import { createTestApp, TestApp } from '../helpers/test-app';

/** PLATINUM uses `platinumAssets` directly, BLACK through `blackAssets`, which includes it; GOLD has its own threshold. */
function ladder(fact: string, platinum: number, pkg?: string): PolicyDefinition {
  return {
    schemaVersion: 1,
    conditions: {
      platinumAssets: { any: [{ fact, operator: 'greaterThanInclusive', value: platinum }] },
      blackAssets: { all: [{ condition: 'platinumAssets' }, { fact, operator: 'greaterThanInclusive', value: 1_000_000 }] },
    },
    tiers: [
      { key: 'BLACK', name: '黑金客户', nameEn: 'Black Gold', ...(pkg ? { benefitPackage: pkg } : {}), when: { condition: 'blackAssets' } },
      { key: 'PLATINUM', name: '白金客户', nameEn: 'Platinum', when: { condition: 'platinumAssets' } },
      { key: 'GOLD', name: '金卡客户', nameEn: 'Gold', when: { all: [{ fact, operator: 'greaterThanInclusive', value: 100_000 }] } },
      { key: 'SILVER', name: '银卡客户', nameEn: 'Silver' },
    ],
  };
}

describe('GET /api/policy-versions/:id/diff — per tier, through named conditions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("a named condition's threshold changes every tier that uses it, each change worded in zh-CN and en with the catalog's labels", async () => {
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    const { fact, pkg, policy } = await setupPolicy(t, author.auth);
    const v1 = await publishVersion(t, author.auth, approver.auth, policy.id, ladder(fact, 300_000, pkg));
    const v2 = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author.auth)
      .send({ definition: ladder(fact, 500_000, pkg), basedOn: v1.id })
      .expect(201);

    const diff = await t.http.get(`/api/policy-versions/${v2.body.id}/diff`).query({ against: v1.id }).set(author.auth).expect(200);
    expect(diff.body).toMatchObject({ from: { id: v1.id, number: 1 }, to: { id: v2.body.id, number: 2 } });
    const byKey = Object.fromEntries(diff.body.tiers.map((x: { key: string }) => [x.key, x]));
    expect(byKey.BLACK).toMatchObject({ change: 'changed', moved: false, conditions: [] });
    expect(byKey.PLATINUM).toMatchObject({ change: 'changed', moved: false, conditions: [] });
    expect(byKey.GOLD.change).toBe('unchanged');
    expect(byKey.SILVER.change).toBe('unchanged');
    expect(diff.body.summary).toMatchObject({ changed: 2, unchanged: 2, added: 0, removed: 0, moved: 0 });
    expect(diff.body.changes).toEqual([
      {
        section: 'condition',
        owner: 'platinumAssets',
        aspect: 'condition',
        change: 'changed',
        path: 'conditions.platinumAssets.any[0]',
        before: { operator: 'greaterThanInclusive', value: 300_000 },
        after: { operator: 'greaterThanInclusive', value: 500_000 },
        tiers: ['BLACK', 'PLATINUM'],
        text: {
          'zh-CN': `platinumAssets · 日均资产 ${fact} ≥ 300,000 → 500,000`,
          en: `platinumAssets · Average daily assets ${fact} ≥ 300,000 → 500,000`,
        },
      },
    ]);
    expect(byKey.PLATINUM.text).toEqual([
      {
        'zh-CN': `白金客户：platinumAssets · 日均资产 ${fact} ≥ 300,000 → 500,000`,
        en: `Platinum: platinumAssets · Average daily assets ${fact} ≥ 300,000 → 500,000`,
      },
    ]);
    expect(byKey.BLACK.changes).toEqual([0]);
    // the contract's earlier fields keep their shape
    expect(diff.body.namedConditions).toEqual([
      {
        name: 'platinumAssets',
        change: 'changed',
        tiers: ['BLACK', 'PLATINUM'],
        conditions: [
          {
            path: 'any[0]',
            fact,
            change: 'changed',
            before: { operator: 'greaterThanInclusive', value: 300_000 },
            after: { operator: 'greaterThanInclusive', value: 500_000 },
          },
        ],
      },
    ]);
    expect(diff.body.eligibility).toEqual([]);

    // the other way round, and a package change naming the package
    const v3 = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author.auth)
      .send({ definition: ladder(fact, 300_000) })
      .expect(201);
    const back = await t.http.get(`/api/policy-versions/${v3.body.id}/diff`).query({ against: v1.id }).set(author.auth).expect(200);
    expect(back.body.tiers.map((x: { key: string; change: string }) => [x.key, x.change])).toEqual([
      ['BLACK', 'changed'],
      ['PLATINUM', 'unchanged'],
      ['GOLD', 'unchanged'],
      ['SILVER', 'unchanged'],
    ]);
    expect(back.body.changes.map((c: { text: { 'zh-CN': string } }) => c.text['zh-CN'])).toEqual(['权益包 黑金权益 → （无）']);
  });
});
