import { Engine } from 'json-rules-engine';
import { createEvaluator, EvaluationError, InvalidPolicyError, type LeafTrace, type PolicyDefinition, type TierTrace } from '../src';
import { cardFacts, cardLadder, govFacts, govPolicy } from './fixtures';

describe('createEvaluator — card ladder', () => {
  const ev = createEvaluator(cardLadder, cardFacts);

  it.each([
    [{ avgDailyAssets: 1_000_000 }, 'BLACK'],
    [{ avgDailyAssets: 999_999.99 }, 'PLATINUM'],
    [{ avgDailyAssets: 0, familyAvgDailyAssets: 800_000 }, 'BLACK'],
    [{ avgDailyAssets: 0, familyAvgDailyAssets: 799_999.99 }, 'PLATINUM'],
    [{ avgDailyAssets: 300_000 }, 'PLATINUM'],
    [{ avgDailyAssets: 100_000 }, 'GOLD'],
    [{ avgDailyAssets: 99_999.99, familyAvgDailyAssets: 79_999.99 }, 'SILVER'],
    [{}, 'SILVER'],
  ])('%j → %s', async (facts, expected) => {
    const r = await ev.evaluate(facts);
    expect(r.eligible).toBe(true);
    expect(r.tier?.key).toBe(expected);
  });

  it('returns the tier with name, rank and benefit package', async () => {
    const r = await ev.evaluate({ avgDailyAssets: 350_000 });
    expect(r.tier).toEqual({ key: 'PLATINUM', name: '白金客户', nameEn: 'Platinum', rank: 2, benefitPackage: 'cib-platinum' });
  });

  it('traces every tier tried up to the first match, with every leaf', async () => {
    const r = await ev.evaluate({ avgDailyAssets: 350_000 });
    const tiers = r.trace.filter((t): t is TierTrace => t.kind === 'tier');
    expect(tiers.map((t) => [t.tier, t.matched])).toEqual([
      ['BLACK', false],
      ['PLATINUM', true],
    ]);
    expect(tiers[0].condition).toEqual({
      type: 'any',
      result: false,
      children: [
        { type: 'leaf', fact: 'avgDailyAssets', operator: 'greaterThanInclusive', value: 1_000_000, factValue: 350_000, missing: false, result: false },
        { type: 'leaf', fact: 'familyAvgDailyAssets', operator: 'greaterThanInclusive', value: 800_000, factValue: undefined, missing: true, result: false },
      ],
    });
    const leaf = (tiers[1].condition as { children: LeafTrace[] }).children[0];
    expect(leaf).toMatchObject({ fact: 'avgDailyAssets', factValue: 350_000, value: 300_000, result: true, missing: false });
  });

  it('treats null like a missing fact', async () => {
    const r = await ev.evaluate({ avgDailyAssets: null, familyAvgDailyAssets: 900_000 });
    expect(r.tier?.key).toBe('BLACK');
    const first = r.trace[0] as TierTrace;
    expect((first.condition as { children: LeafTrace[] }).children[0].missing).toBe(true);
  });

  it('rejects with EvaluationError naming the fact when missingFacts is "error"', async () => {
    const strict = createEvaluator(cardLadder, cardFacts, { missingFacts: 'error' });
    await expect(strict.evaluate({ avgDailyAssets: 5 })).rejects.toMatchObject({
      name: 'EvaluationError',
      code: 'missing-fact',
      facts: ['familyAvgDailyAssets'],
    });
    await expect(strict.evaluate({ avgDailyAssets: 5, familyAvgDailyAssets: 1 })).resolves.toMatchObject({ tier: { key: 'SILVER' } });
  });

  it('rejects non-object input', async () => {
    await expect(ev.evaluate(null as unknown as Record<string, unknown>)).rejects.toBeInstanceOf(EvaluationError);
  });

  it('refuses an invalid definition', () => {
    expect(() => createEvaluator({ ...cardLadder, tiers: [] }, cardFacts)).toThrow(InvalidPolicyError);
  });

  it('gives the same tiers for 1,000 concurrent evaluations as sequentially', async () => {
    const customers = Array.from({ length: 1000 }, (_, i) => ({
      avgDailyAssets: (i * 7919) % 1_200_000,
      familyAvgDailyAssets: (i * 104729) % 1_000_000,
    }));
    const sequential: (string | undefined)[] = [];
    for (const c of customers) sequential.push((await ev.evaluate(c)).tier?.key);
    // staggered starts make runs overlap in every phase
    const concurrent = await Promise.all(
      customers.map(async (c, i) => {
        for (let k = 0; k < (i * 37) % 211; k++) await Promise.resolve();
        return (await ev.evaluate(c)).tier?.key;
      }),
    );
    expect(concurrent).toEqual(sequential);
    expect(new Set(sequential).size).toBe(4);
  });
});

describe('json-rules-engine (why the evaluator pools engines)', () => {
  it('a shared Engine loses rule results when runs overlap, even without stop()', async () => {
    const engine = new Engine([], { allowUndefinedFacts: true });
    [1_000_000, 300_000, 100_000].forEach((t, i) =>
      engine.addRule({
        name: `T${i}`,
        conditions: { all: [{ fact: 'a', operator: 'greaterThanInclusive', value: t }] },
        event: { type: `T${i}` },
      }),
    );
    const counts = await Promise.all(
      Array.from({ length: 500 }, async (_, i) => {
        for (let k = 0; k < (i * 37) % 211; k++) await Promise.resolve();
        const r = await engine.run({ a: i * 3000 });
        return r.results.length + r.failureResults.length;
      }),
    );
    // every run should report 3 rule results; overlapping runs report none
    expect(counts.filter((c) => c === 0).length).toBeGreaterThan(0);
  });
});

describe('createEvaluator — named conditions, not, {fact} comparisons', () => {
  const def: PolicyDefinition = {
    schemaVersion: 1,
    conditions: { rich: { any: [{ fact: 'avgDailyAssets', operator: 'greaterThanInclusive', value: 1000 }] } },
    tiers: [
      { key: 'A', name: 'A', when: { all: [{ condition: 'rich' }, { not: { all: [{ fact: 'region', operator: 'equal', value: 'north' }] } }] } },
      { key: 'B', name: 'B', when: { all: [{ fact: 'avgDailyAssets', operator: 'greaterThan', value: { fact: 'familyAvgDailyAssets' } }] } },
      { key: 'C', name: 'C' },
    ],
  };
  const ev = createEvaluator(def, cardFacts);

  it('traces named conditions by name and the values json-rules-engine saw', async () => {
    const r = await ev.evaluate({ avgDailyAssets: 2000, region: 'north', familyAvgDailyAssets: 1500 });
    expect(r.tier?.key).toBe('B');
    const [a, b] = r.trace as TierTrace[];
    expect(a.condition).toEqual({
      type: 'all',
      result: false,
      children: [
        {
          type: 'condition',
          name: 'rich',
          result: true,
          children: [
            {
              type: 'any',
              result: true,
              children: [
                { type: 'leaf', fact: 'avgDailyAssets', operator: 'greaterThanInclusive', value: 1000, factValue: 2000, missing: false, result: true },
              ],
            },
          ],
        },
        {
          type: 'not',
          result: false,
          children: [
            {
              type: 'all',
              result: true,
              children: [{ type: 'leaf', fact: 'region', operator: 'equal', value: 'north', factValue: 'north', missing: false, result: true }],
            },
          ],
        },
      ],
    });
    expect(b.condition).toEqual({
      type: 'all',
      result: true,
      children: [
        {
          type: 'leaf',
          fact: 'avgDailyAssets',
          operator: 'greaterThan',
          value: 1500,
          valueFact: 'familyAvgDailyAssets',
          factValue: 2000,
          missing: false,
          result: true,
        },
      ],
    });
  });

  it('a missing compared-to fact makes the comparison false and is traced as missing', async () => {
    const r = await ev.evaluate({ avgDailyAssets: 500 });
    expect(r.tier?.key).toBe('C');
    const b = r.trace[1] as TierTrace;
    expect(b.condition).toMatchObject({ children: [{ valueFact: 'familyAvgDailyAssets', missing: true, result: false }] });
  });
});

describe('createEvaluator — government scorecard', () => {
  const ev = createEvaluator(govPolicy, govFacts);
  it('gives exactly 84 for (90×0.5 + 70×0.5)×1.05', async () => {
    const r = await ev.evaluate({ hasNeed: true, hasBudget: true, historyScore: 90, forecastScore: 70, twoYearShareReached: true });
    expect(r.scores.govScore).toBe(84);
    expect(r.tier?.key).toBe('A');
  });
  it('does not apply the multiplier when its condition fails', async () => {
    const r = await ev.evaluate({ hasNeed: true, hasBudget: true, historyScore: 90, forecastScore: 70, twoYearShareReached: false });
    expect(r.scores.govScore).toBe(80);
  });
  it('a missing weighted fact contributes 0 and is traced as missing', async () => {
    const r = await ev.evaluate({ hasNeed: true, hasBudget: true, historyScore: 90 });
    expect(r.scores.govScore).toBe(45);
    const st = r.trace.find((t) => t.kind === 'score');
    expect(st).toMatchObject({ kind: 'score', score: 'govScore', value: 45 });
    expect(st && 'components' in st && st.components[1]).toMatchObject({ fact: 'forecastScore', contribution: 0, missing: true });
    expect(r.tier?.key).toBe('C');
  });
  it('points components, rounding and scores used by eligibility', async () => {
    const def: PolicyDefinition = {
      schemaVersion: 1,
      eligibility: { all: [{ fact: 'loyalty', operator: 'greaterThan', value: 0 }] },
      scores: [
        {
          key: 'loyalty',
          label: '忠诚度',
          components: [
            { label: '定期保养', points: 3, when: { all: [{ fact: 'hasNeed', operator: 'equal', value: true }] } },
            { label: '口碑', points: 3.3333, when: { all: [{ fact: 'hasBudget', operator: 'equal', value: true }] } },
          ],
          round: 1,
        },
      ],
      tiers: [
        { key: 'TOP', name: '优质', when: { all: [{ fact: 'loyalty', operator: 'greaterThanInclusive', value: 6 }] } },
        { key: 'REST', name: '一般' },
      ],
    };
    const e = createEvaluator(def, govFacts);
    expect(await e.evaluate({ hasNeed: true, hasBudget: true })).toMatchObject({ eligible: true, scores: { loyalty: 6.3 }, tier: { key: 'TOP' } });
    expect(await e.evaluate({ hasNeed: true })).toMatchObject({ eligible: true, scores: { loyalty: 3 }, tier: { key: 'REST' } });
    expect(await e.evaluate({})).toMatchObject({ eligible: false, scores: { loyalty: 0 }, tier: null });
  });

  it('an ineligible customer gets no tier and the eligibility trace says why', async () => {
    const r = await ev.evaluate({ hasNeed: true, hasBudget: false, historyScore: 90, forecastScore: 90 });
    expect(r.eligible).toBe(false);
    expect(r.tier).toBeNull();
    expect(r.trace[0]).toMatchObject({ kind: 'eligibility', matched: false });
    expect(r.trace.some((t) => t.kind === 'tier')).toBe(false);
  });
});
