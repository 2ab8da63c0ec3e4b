/** Government customers: one policy per product line on its own inputs; end users meeting the four project criteria; the weighted score, the multiplier, the grades. */
import { evaluate, govMmsTemplate as template, template as byKey } from './support';

const LINES = ['mms', 'city-management', 'police', 'digital-city', 'transport', 'emergency', 'tourism'];
const criteria = {
  govCustomerRole: 'endUser',
  mmsCanCloseThisYear: true,
  mmsProductNeed: true,
  mmsBudgetFits: true,
  mmsTimetable: true,
  mmsDecisionMakersKnown: true,
};
const rate = (facts: Record<string, unknown>) => evaluate(template, { ...criteria, mmsSalesShare2yPct: 0, ...facts });

describe('gov-* (seven product lines)', () => {
  it('the worked example: (90 × 50% + 70 × 50%) × 1.05 = 84 exactly', async () => {
    const r = await rate({ mmsHistoryScore: 90, mmsForecastScore: 70, mmsSalesShare2yPct: 5 });
    expect(r.scores.govScore).toBe(84);
    expect(r.tier?.key).toBe('B');
  });

  it('applies the 1.05 multiplier from a 2-year sales share of exactly 5% (our choice, inclusive), not at 4.99%', async () => {
    await expect(rate({ mmsHistoryScore: 90, mmsForecastScore: 70, mmsSalesShare2yPct: 4.99 })).resolves.toMatchObject({ scores: { govScore: 80 } });
    await expect(rate({ mmsHistoryScore: 90, mmsForecastScore: 70, mmsSalesShare2yPct: 100 })).resolves.toMatchObject({ scores: { govScore: 84 } });
  });

  it.each([
    ['A', 90, 89.99, 'B'],
    ['B', 75, 74.99, 'C'],
    ['C', 60, 59.99, 'D'],
  ] as const)('grade %s from exactly %d; %d is %s', async (grade, bound, below, next) => {
    await expect(rate({ mmsHistoryScore: bound, mmsForecastScore: bound })).resolves.toMatchObject({ tier: { key: grade } });
    await expect(rate({ mmsHistoryScore: bound, mmsForecastScore: 2 * below - bound })).resolves.toMatchObject({ tier: { key: next } });
  });

  it('rates end users only: agents and government relations staff are not rated, nor customers who cannot close this year', async () => {
    const top = { mmsHistoryScore: 100, mmsForecastScore: 100 };
    await expect(rate(top)).resolves.toMatchObject({ tier: { key: 'A' } });
    for (const role of ['agent', 'governmentRelations'])
      await expect(rate({ ...top, govCustomerRole: role })).resolves.toMatchObject({ eligible: false, tier: null });
    await expect(rate({ ...top, govCustomerRole: undefined })).resolves.toMatchObject({ eligible: false });
    await expect(rate({ ...top, mmsCanCloseThisYear: false })).resolves.toMatchObject({ eligible: false });
  });

  it.each(['mmsProductNeed', 'mmsBudgetFits', 'mmsTimetable', 'mmsDecisionMakersKnown'])('a customer without %s is not rated', async (missing) => {
    await expect(rate({ [missing]: false, mmsHistoryScore: 100, mmsForecastScore: 100 })).resolves.toMatchObject({ eligible: false, tier: null });
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
      mmsHistoryScore: 95,
      mmsForecastScore: 95,
      policeCanCloseThisYear: true,
      policeProductNeed: true,
      policeBudgetFits: true,
      policeTimetable: true,
      policeDecisionMakersKnown: true,
      policeHistoryScore: 50,
      policeForecastScore: 50,
    };
    await expect(evaluate(byKey('gov-mms'), customer)).resolves.toMatchObject({ tier: { key: 'A' } });
    await expect(evaluate(byKey('gov-police'), customer)).resolves.toMatchObject({ tier: { key: 'D' } });
    await expect(evaluate(byKey('gov-tourism'), customer)).resolves.toMatchObject({ eligible: false });
  });
});
