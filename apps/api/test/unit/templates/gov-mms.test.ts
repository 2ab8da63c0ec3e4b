/**
 * Government customers (tiering-schemes.md §5): one policy per product line on its own inputs; end users
 * who can close this year and meet the four project criteria; sales amounts → scores by step tables (our
 * choice: the source gives none, only its worked example), a margin below the required 10% lowers them,
 * (history × 50% + forecast × 50%) × 1.05 at the 2-year share; grades (our choice: the band table is missing).
 */
import { explain } from '@tierwise/policy-engine';
import { definitionOf, evaluate, govMmsTemplate as template, template as byKey } from './support';

const LINES = ['mms', 'city-management', 'police', 'digital-city', 'transport', 'emergency', 'tourism'];
const criteria = {
  govCustomerRole: 'endUser',
  mmsCanCloseThisYear: true,
  mmsProductNeed: true,
  mmsBudgetFits: true,
  mmsTimetable: true,
  mmsDecisionMakersKnown: true,
};
const rate = (facts: Record<string, unknown>) => evaluate(template, { ...criteria, mmsSalesShare2yPct: 0, mmsMarginPct: 10, ...facts });
const score = async (facts: Record<string, unknown>) => (await rate(facts)).scores.govScore;

describe('gov-* (seven product lines)', () => {
  it("the source's worked example from its amounts: 1.5M history and 4M forecast with a margin below 10% score 90 and 70, (90 × 50% + 70 × 50%) × 1.05 = 84", async () => {
    const r = await rate({ mmsHistorySales: 1_500_000, mmsForecastSales: 4_000_000, mmsMarginPct: 9.99, mmsSalesShare2yPct: 5 });
    expect(r.scores.govScore).toBe(84);
    expect(r.tier?.key).toBe('B');
    const text = explain(r, definitionOf(template), template.facts, 'en').join('\n');
    expect(text).toContain('history sales 1,500,000 (≥ 100 万: ≥ 1,000,000) → 100 × 0.5');
    expect(text).toContain('forecast sales 4,000,000 (300–500 万: ≥ 3,000,000 and < 5,000,000) → 80 × 0.5');
    expect(text).toContain('毛利不足扣分 -10) × 1.05');
    expect(text).toContain('= 84');
  });

  it('the margin penalty applies below the required 10% only: exactly 10% is not below (94.5 → A), unknown margin is not penalised (our choice)', async () => {
    const example = { mmsHistorySales: 1_500_000, mmsForecastSales: 4_000_000, mmsSalesShare2yPct: 5 };
    await expect(score({ ...example, mmsMarginPct: 10 })).resolves.toBe(94.5);
    await expect(score({ ...example, mmsMarginPct: 9.99 })).resolves.toBe(84);
    await expect(score({ ...example, mmsMarginPct: undefined })).resolves.toBe(94.5);
  });

  it('applies the 1.05 multiplier from a 2-year sales share of exactly 5% (our choice, inclusive), not at 4.99%', async () => {
    const example = { mmsHistorySales: 1_500_000, mmsForecastSales: 4_000_000, mmsMarginPct: 9 };
    await expect(score({ ...example, mmsSalesShare2yPct: 4.99 })).resolves.toBe(80);
    await expect(score({ ...example, mmsSalesShare2yPct: 5 })).resolves.toBe(84);
    await expect(score({ ...example, mmsSalesShare2yPct: 100 })).resolves.toBe(84);
  });

  it.each([
    ['history', 'mmsHistorySales', 500_000, 40, 70],
    ['history', 'mmsHistorySales', 1_000_000, 70, 100],
    ['forecast', 'mmsForecastSales', 1_000_000, 40, 60],
    ['forecast', 'mmsForecastSales', 3_000_000, 60, 80],
    ['forecast', 'mmsForecastSales', 5_000_000, 80, 100],
  ] as const)('the %s table (our choice) holds its lower bound: %s %d earns %d just below and %d from it', async (_n, fact, bound, below, at) => {
    const other = fact === 'mmsHistorySales' ? { mmsForecastSales: 0 } : { mmsHistorySales: 0 };
    // the other amount in its lowest band (40 points × 0.5 = 20)
    await expect(score({ ...other, [fact]: bound - 0.01 })).resolves.toBe(below / 2 + 20);
    await expect(score({ ...other, [fact]: bound })).resolves.toBe(at / 2 + 20);
  });

  it.each([
    ['A', 1_000_000, 3_000_000, 90, 'B', 999_999.99],
    ['B', 500_000, 3_000_000, 75, 'C', 499_999],
    ['C', 499_999, 3_000_000, 60, 'D', 499_999],
  ] as const)('grade %s (our choice) from exactly its bound; just below it is the next grade', async (grade, history, forecast, bound, next, lower) => {
    const at = await rate({ mmsHistorySales: history, mmsForecastSales: forecast });
    expect([at.scores.govScore, at.tier?.key]).toEqual([bound, grade]);
    const below = await rate({ mmsHistorySales: lower, mmsForecastSales: grade === 'C' ? 2_999_999 : forecast });
    expect(below.scores.govScore).toBeLessThan(bound);
    expect(below.tier?.key).toBe(next);
  });

  it('rates end users only: agents and government relations staff are not rated, nor customers who cannot close this year', async () => {
    const top = { mmsHistorySales: 5_000_000, mmsForecastSales: 5_000_000 };
    await expect(rate(top)).resolves.toMatchObject({ tier: { key: 'A' } });
    for (const role of ['agent', 'governmentRelations'])
      await expect(rate({ ...top, govCustomerRole: role })).resolves.toMatchObject({ eligible: false, tier: null });
    await expect(rate({ ...top, govCustomerRole: undefined })).resolves.toMatchObject({ eligible: false });
    await expect(rate({ ...top, mmsCanCloseThisYear: false })).resolves.toMatchObject({ eligible: false });
  });

  it.each(['mmsProductNeed', 'mmsBudgetFits', 'mmsTimetable', 'mmsDecisionMakersKnown'])(
    'a customer without %s (one of the four project criteria) is not rated',
    async (missing) => {
      await expect(rate({ [missing]: false, mmsHistorySales: 5_000_000, mmsForecastSales: 5_000_000 })).resolves.toMatchObject({ eligible: false, tier: null });
    },
  );

  it('marks the tables, the penalty size and the grades as its choice, the 10% margin and the weights as the source', () => {
    const s = definitionOf(template).scores?.[0];
    const [history, forecast, penalty] = s?.components ?? [];
    for (const c of [history, forecast]) {
      expect(c.note?.source?.en).toMatch(/through a table/);
      expect(c.note?.choice?.en).toMatch(/no amount → score table/);
      expect(c.note?.choice?.zh).toMatch(/本模板的选择/);
    }
    expect(penalty.note?.source?.en).toMatch(/below the required 10%/);
    expect(penalty.note?.choice?.en).toMatch(/this template's choice/);
    expect(definitionOf(template).tiers[0].note?.choice?.en).toMatch(/band table is missing/);
  });

  it('ships all seven product lines, each a policy of its own with its own packages and its own inputs', async () => {
    const lines = LINES.map((l) => byKey(`gov-${l}`));
    const packageKeys = lines.flatMap((t) => t.benefitPackages.map((p) => p.key));
    expect(new Set(packageKeys).size).toBe(packageKeys.length);
    const inputs = lines.map((t) => t.facts.map((f) => f.key).filter((k) => k !== 'govCustomerRole'));
    const all = inputs.flat();
    expect(new Set(all).size).toBe(all.length); // no line reads another line's inputs
    // one customer row holding the inputs of two lines: each line rates on its own
    const customer = {
      ...criteria,
      mmsHistorySales: 2_000_000,
      mmsForecastSales: 6_000_000,
      mmsMarginPct: 15,
      policeCanCloseThisYear: true,
      policeProductNeed: true,
      policeBudgetFits: true,
      policeTimetable: true,
      policeDecisionMakersKnown: true,
      policeHistorySales: 100_000,
      policeForecastSales: 100_000,
      policeMarginPct: 15,
    };
    await expect(evaluate(byKey('gov-mms'), customer)).resolves.toMatchObject({ tier: { key: 'A' } });
    await expect(evaluate(byKey('gov-police'), customer)).resolves.toMatchObject({ tier: { key: 'D' } });
    await expect(evaluate(byKey('gov-tourism'), customer)).resolves.toMatchObject({ eligible: false });
  });
});
