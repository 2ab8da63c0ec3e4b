import { aggregateHouseholds, compileFast, createEvaluator, factsInDefinition, validatePolicy, type FactDefinition, type PolicyDefinition } from '../src';

const facts: FactDefinition[] = [
  { key: 'householdId', label: '家庭编号', type: 'string' },
  { key: 'avgDailyAssets', label: '日均资产', type: 'number', unit: 'CNY' },
  { key: 'familyAvgDailyAssets', label: '家庭日均资产', type: 'number', unit: 'CNY' },
];
const either = (p: number, f: number) => ({
  any: [
    { fact: 'avgDailyAssets', operator: 'greaterThanInclusive', value: p },
    { fact: 'familyAvgDailyAssets', operator: 'greaterThanInclusive', value: f },
  ],
});
const card: PolicyDefinition = {
  schemaVersion: 1,
  household: { key: 'householdId', facts: { familyAvgDailyAssets: { avg: 'avgDailyAssets' } } },
  tiers: [
    { key: 'BLACK', name: '黑金', when: either(1_000_000, 800_000) },
    { key: 'PLATINUM', name: '白金', when: either(300_000, 250_000) },
    { key: 'SILVER', name: '银卡' },
  ],
};

describe('household aggregates', () => {
  it("rates a family card on the average of its members' assets, each member's personal tier from the same rows", async () => {
    expect(validatePolicy(card, facts).errors).toEqual([]);
    const rows = [
      { householdId: 'h1', avgDailyAssets: 1_200_000 },
      { householdId: 'h1', avgDailyAssets: 600_000 },
      { householdId: 'h1', avgDailyAssets: 600_000 }, // average exactly 800,000
      { householdId: 'h2', avgDailyAssets: 100_000 },
      { householdId: 'h2', avgDailyAssets: 'n/a' }, // not a number: not counted
      { avgDailyAssets: 260_000 }, // no household: on its own
    ];
    const filled = aggregateHouseholds(card, rows);
    expect(filled.map((r) => r.familyAvgDailyAssets)).toEqual([800_000, 800_000, 800_000, 100_000, 100_000, 260_000]);
    expect(rows[0]).not.toHaveProperty('familyAvgDailyAssets'); // the input rows are left as they are
    const ev = createEvaluator(card, facts);
    const fast = compileFast(card, facts);
    const tiers = await Promise.all(filled.map(async (r) => (await ev.evaluate(r)).tier?.key));
    expect(tiers).toEqual(['BLACK', 'BLACK', 'BLACK', 'SILVER', 'SILVER', 'PLATINUM']);
    expect(filled.map((r) => card.tiers[fast(r).tierIndex].key)).toEqual(tiers);
    // personal only: the same rows without the declaration
    const { household: _household, ...personal } = card;
    expect(aggregateHouseholds(personal, rows).map((r) => card.tiers[fast(r).tierIndex].key)).toEqual([
      'BLACK',
      'PLATINUM',
      'PLATINUM',
      'SILVER',
      'SILVER',
      'SILVER',
    ]);
  });

  it('counts the id, the sources and the targets among the facts the policy uses (frozen catalog, exported file, dataset checks)', () => {
    const { household: _h, ...plain } = card;
    expect([...factsInDefinition(plain)].sort()).toEqual(['avgDailyAssets', 'familyAvgDailyAssets']);
    expect([...factsInDefinition({ ...plain, tiers: [{ key: 'X', name: 'x' }], household: card.household })].sort()).toEqual([
      'avgDailyAssets',
      'familyAvgDailyAssets',
      'householdId',
    ]);
  });

  it('validates the declaration with paths', () => {
    const codes = (household: unknown) => validatePolicy({ ...card, household }, facts).errors.map((e) => [e.path, e.code]);
    expect(codes({ key: 'nope', facts: {} })).toEqual([['household.key', 'unknown-fact']]);
    expect(codes({ key: 'householdId', facts: { familyAvgDailyAssets: { median: 'avgDailyAssets' } } })).toEqual([
      ['household.facts.familyAvgDailyAssets', 'invalid-household'],
    ]);
    expect(codes({ key: 'householdId', facts: { familyAvgDailyAssets: { avg: 'householdId' } } })).toEqual([
      ['household.facts.familyAvgDailyAssets.avg', 'invalid-household'],
    ]);
    expect(codes({ key: 'householdId', facts: { householdId: { sum: 'avgDailyAssets' } } })).toEqual([['household.facts.householdId', 'invalid-household']]);
    expect(codes([])).toEqual([['household', 'invalid-household']]);
  });
});
