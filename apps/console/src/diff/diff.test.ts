import { cibCardTemplate, type PolicyDefinition } from '@tierwise/policy-engine';
import { diffDefinitions } from './diff';

const base: PolicyDefinition = {
  schemaVersion: 1,
  tiers: [
    { key: 'GOLD', name: '金卡', when: { any: [{ fact: 'assets', operator: 'greaterThanInclusive', value: 100000 }] } },
    { key: 'SILVER', name: '银卡' },
  ],
};

describe('diffDefinitions', () => {
  it('reports a raised threshold as before → after on its tier', () => {
    const raised = structuredClone(base);
    (raised.tiers[0].when as { any: { value: number }[] }).any[0].value = 150000;
    const diff = diffDefinitions(base, raised);
    expect(diff.tiers[0]).toMatchObject({
      key: 'GOLD',
      status: 'changed',
      changes: [{ path: 'when.any[0].value', kind: 'changed', before: 100000, after: 150000 }],
    });
    expect(diff.tiers[1].status).toBe('unchanged');
  });
  it('reports added, removed and moved tiers', () => {
    const next: PolicyDefinition = {
      schemaVersion: 1,
      tiers: [
        { key: 'SILVER', name: '银卡' },
        { key: 'BLACK', name: '黑金' },
      ],
    };
    const diff = diffDefinitions(base, next);
    expect(diff.tiers.map((t) => [t.key, t.status])).toEqual([
      ['GOLD', 'removed'],
      ['SILVER', 'changed'],
      ['BLACK', 'added'],
    ]);
    expect(diff.tiers[1]).toMatchObject({ rankBefore: 2, rankAfter: 1, changes: [] });
  });
  it('finds nothing between a template and itself', () => {
    const def = cibCardTemplate.versions[0].definition;
    const diff = diffDefinitions(def, structuredClone(def));
    expect(diff.tiers.every((t) => t.status === 'unchanged')).toBe(true);
    expect(diff.other).toEqual([]);
  });
});
