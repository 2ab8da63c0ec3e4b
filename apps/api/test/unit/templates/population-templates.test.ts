/**
 * The population-relative templates (issue 16): the customer pyramid by cumulative share of profit, ABC over
 * the population's total sales, RFM quintiles with named segments and e-commerce buyer states — each checked
 * on a small population with hand-computed cut-offs.
 */
import { computeCutoffs, explain } from '@tierwise/policy-engine';
import { definitionOf, evaluate, populationOptions, template, type PolicyTemplate } from './support';

const cutsOf = (t: PolicyTemplate) => {
  const c = populationOptions(t, definitionOf(t)).cutoffs!;
  return Object.fromEntries(c.cuts.map((x) => [x.key, x.groups[0].cutoff]));
};

describe('population templates', () => {
  it('customer pyramid: the best customers who together bring 80% of profit are 关键 (the one reaching exactly 80% included)', async () => {
    const t = template('customer-pyramid');
    // 500k + 200k + 100k = 800k of 1,000,000 = exactly 80%; then 95% is reached at 30k (960k), 99% at 10k (990k)
    expect(cutsOf(t)).toEqual({
      'shareOfTotalAtLeast(annualProfit, 80, cumulative=true)': 100_000,
      'shareOfTotalAtLeast(annualProfit, 95, cumulative=true)': 30_000,
      'shareOfTotalAtLeast(annualProfit, 99, cumulative=true)': 10_000,
    });
    const r = await evaluate(t, { annualProfit: 100_000 });
    expect(r.tier?.key).toBe('KEY');
    expect(explain(r, definitionOf(t), t.facts, 'zh-CN')[0]).toContain('合计贡献年度利润总额（1,000,000）前 80% 的客户门槛为 100,000');
  });

  it('ABC over the population: the total is summed over the run (negative sales count), exactly 70% / 30% inclusive', () => {
    const t = template('abc-population-share');
    // 700,000 + 300,000 + 0 + 0 − 10,000 = 990,000: 70% = 693,000, 30% = 297,000
    expect(cutsOf(t)).toEqual({ 'shareOfTotalAtLeast(periodSales, 70)': 693_000, 'shareOfTotalAtLeast(periodSales, 30)': 297_000 });
    const exact = computeCutoffs(definitionOf(t), [{ periodSales: 700 }, { periodSales: 300 }]);
    expect(exact.cuts.map((c) => c.groups[0].cutoff)).toEqual([700, 300]);
  });

  it('RFM: quintile scores 1–5 (fewest days first for recency) and the named segments', async () => {
    const t = template('rfm-segments');
    const cuts = cutsOf(t);
    // ten orderCounts 40, 35, 30, 25, 12, 8, 3, 2, 1, 1: bucket 5 = the best 2 (≥ 35), bucket 4 = the best 4 (≥ 25)
    expect(cuts['quantileAtLeast(orderCount, 5, quantiles=5)']).toBe(35);
    expect(cuts['quantileAtLeast(orderCount, 4, quantiles=5)']).toBe(25);
    // recency: 2, 3, 10, 15, 20, 40, 60, 200, 300, 400 days — the 2 most recent (≤ 3 days) score 5
    expect(cuts['quantileAtLeast(daysSinceLastOrder, 5, quantiles=5, best=lowest)']).toBe(3);
    const champion = await evaluate(t, { daysSinceLastOrder: 3, orderCount: 40, orderValue: 90_000 });
    expect(champion).toMatchObject({ scores: { rScore: 5, fScore: 5, mScore: 5 }, tier: { key: 'CHAMPION' } });
    const atRisk = await evaluate(t, { daysSinceLastOrder: 200, orderCount: 25, orderValue: 60_000 });
    expect(atRisk).toMatchObject({ scores: { rScore: 2, fScore: 4 }, tier: { key: 'AT_RISK' } });
    expect((await evaluate(t, { daysSinceLastOrder: 2, orderCount: 1, orderValue: 500 })).tier?.key).toBe('NEW');
  });

  it('e-commerce: the top 20% / 60% by orders among all buyers, lapsed after 180 days whatever the count', async () => {
    const t = template('ecommerce-buyers');
    // orders 50, 40, 30, 25, 10, 8, 5, 3, 2, 1: top 20% = 2 (≥ 40), top 60% = 6 (≥ 8)
    expect(cutsOf(t)).toEqual({ 'topPercent(orderCount, 20)': 40, 'topPercent(orderCount, 60)': 8 });
    expect((await evaluate(t, { daysSinceLastOrder: 5, orderCount: 40 })).tier?.key).toBe('HIGH_FREQUENCY');
    expect((await evaluate(t, { daysSinceLastOrder: 200, orderCount: 50 })).tier?.key).toBe('LAPSED');
    expect((await evaluate(t, { daysSinceLastOrder: 179, orderCount: 7 })).tier?.key).toBe('POTENTIAL');
  });
});
