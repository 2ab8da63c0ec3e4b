/** Government customers (MMS line): the four project criteria, the weighted score, the multiplier, the grades. */
import { govMmsTemplate as template } from './support';
import { evaluate } from './support';

const criteria = { hasProductNeed: true, budgetFitsPricePolicy: true, hasImplementationTimetable: true, knowsDecisionMakers: true };
const rate = (facts: Record<string, unknown>) => evaluate(template, { ...criteria, salesShare2yPct: 0, ...facts });

describe('gov-mms', () => {
  it('the worked example: (90 × 50% + 70 × 50%) × 1.05 = 84 exactly', async () => {
    const r = await rate({ historyScore: 90, forecastScore: 70, salesShare2yPct: 5 });
    expect(r.scores.govScore).toBe(84);
    expect(r.tier?.key).toBe('B');
  });

  it('applies the 1.05 multiplier from a 2-year sales share of exactly 5% (inclusive), not at 4.99%', async () => {
    await expect(rate({ historyScore: 90, forecastScore: 70, salesShare2yPct: 4.99 })).resolves.toMatchObject({ scores: { govScore: 80 } });
    await expect(rate({ historyScore: 90, forecastScore: 70, salesShare2yPct: 100 })).resolves.toMatchObject({ scores: { govScore: 84 } });
    await expect(rate({ historyScore: 90, forecastScore: 70, salesShare2yPct: undefined })).resolves.toMatchObject({ scores: { govScore: 80 } });
  });

  it('rounds the score to 2 decimals', async () => {
    const r = await rate({ historyScore: 33.333, forecastScore: 33.333, salesShare2yPct: 5 });
    expect(r.scores.govScore).toBe(35);
    const s = await rate({ historyScore: 77.777, forecastScore: 0 });
    expect(s.scores.govScore).toBe(38.89);
  });

  it.each([
    ['A', 90, 89.99, 'B'],
    ['B', 75, 74.99, 'C'],
    ['C', 60, 59.99, 'D'],
  ] as const)('grade %s from exactly %d; %d is %s', async (grade, bound, below, next) => {
    const exact = await rate({ historyScore: bound, forecastScore: bound });
    expect(exact.scores.govScore).toBe(bound);
    expect(exact.tier?.key).toBe(grade);
    const under = await rate({ historyScore: bound, forecastScore: 2 * below - bound });
    expect(under.scores.govScore).toBe(below);
    expect(under.tier?.key).toBe(next);
  });

  it('the multiplier can lift a customer into the next grade', async () => {
    await expect(rate({ historyScore: 86, forecastScore: 86 })).resolves.toMatchObject({ tier: { key: 'B' } });
    await expect(rate({ historyScore: 86, forecastScore: 86, salesShare2yPct: 5 })).resolves.toMatchObject({ scores: { govScore: 90.3 }, tier: { key: 'A' } });
    await expect(rate({ historyScore: 100, forecastScore: 100, salesShare2yPct: 5 })).resolves.toMatchObject({ scores: { govScore: 105 }, tier: { key: 'A' } });
    await expect(rate({ historyScore: 0, forecastScore: 0 })).resolves.toMatchObject({ scores: { govScore: 0 }, tier: { key: 'D' } });
  });

  it.each(Object.keys(criteria) as (keyof typeof criteria)[])('a customer without %s is not rated', async (missing) => {
    const r = await evaluate(template, { ...criteria, [missing]: false, historyScore: 100, forecastScore: 100, salesShare2yPct: 50 });
    expect(r).toMatchObject({ eligible: false, tier: null });
    const { [missing]: _dropped, ...rest } = criteria;
    await expect(evaluate(template, { ...rest, historyScore: 100, forecastScore: 100 })).resolves.toMatchObject({ eligible: false, tier: null });
  });
});
