import { createEvaluator, explain } from '../src';
import { cardFacts, cardLadder, govFacts, govPolicy } from './fixtures';

describe('explain', () => {
  const card = createEvaluator(cardLadder, cardFacts);
  const gov = createEvaluator(govPolicy, govFacts);

  it('explains a match at the threshold in Chinese, with thousands separators', async () => {
    const r = await card.evaluate({ avgDailyAssets: 1_000_000, familyAvgDailyAssets: 10_000 });
    expect(explain(r, cardLadder, cardFacts, 'zh-CN')).toEqual(['日均综合金融资产 1,000,000 ≥ 1,000,000 → 黑金客户']);
  });

  it('explains in English with labelEn and tier nameEn', async () => {
    const r = await card.evaluate({ avgDailyAssets: 1_000_000, familyAvgDailyAssets: 10_000 });
    expect(explain(r, cardLadder, cardFacts, 'en')).toEqual(['Average daily total financial assets 1,000,000 ≥ 1,000,000 → Black Gold']);
  });

  it('says which conditions failed for the tiers not reached, including missing facts', async () => {
    const r = await card.evaluate({ avgDailyAssets: 350_000 });
    expect(explain(r, cardLadder, cardFacts, 'zh-CN')).toEqual([
      '未达到黑金客户：日均综合金融资产 350,000 < 1,000,000；家庭日均综合金融资产 缺失（无数据），条件不成立',
      '日均综合金融资产 350,000 ≥ 300,000 → 白金客户',
    ]);
    expect(explain(r, cardLadder, cardFacts, 'en')).toEqual([
      'Not Black Gold: Average daily total financial assets 350,000 < 1,000,000; Family average daily assets is missing (no data), so the condition fails',
      'Average daily total financial assets 350,000 ≥ 300,000 → Platinum',
    ]);
  });

  it('explains the default tier', async () => {
    const r = await card.evaluate({ avgDailyAssets: 5, familyAvgDailyAssets: 5 });
    const zh = explain(r, cardLadder, cardFacts, 'zh-CN');
    expect(zh).toHaveLength(4);
    expect(zh[2]).toBe('未达到金卡客户：日均综合金融资产 5 < 100,000；家庭日均综合金融资产 5 < 80,000');
    expect(zh[3]).toBe('未满足以上等级的条件 → 银卡客户（默认等级）');
    expect(explain(r, cardLadder, cardFacts, 'en')[3]).toBe("No higher tier's conditions held → Silver (default tier)");
  });

  it('explains how a score was computed, and the grade', async () => {
    const r = await gov.evaluate({ hasNeed: true, hasBudget: true, historyScore: 90, forecastScore: 70, twoYearShareReached: true });
    expect(explain(r, govPolicy, govFacts, 'zh-CN')).toEqual([
      '符合评级条件：有需求：是，且 有预算：是',
      '客户评分 = (历史销售 90 × 0.5 + 预计销售 70 × 0.5) × 1.05（两年累计销售加成） = 84',
      '客户评分 84 ≥ 80 → A 级',
    ]);
    expect(explain(r, govPolicy, govFacts, 'en')[1]).toBe('Customer score = (History score 90 × 0.5 + Forecast score 70 × 0.5) × 1.05 (两年累计销售加成) = 84');
  });

  it('explains a multiplier not applied and a missing weighted fact', async () => {
    const r = await gov.evaluate({ hasNeed: true, hasBudget: true, historyScore: 90 });
    expect(explain(r, govPolicy, govFacts, 'zh-CN')[1]).toBe('客户评分 = 历史销售 90 × 0.5 + 预计销售 缺失（计 0） = 45；两年累计销售加成未满足，不乘 1.05');
  });

  it('says why a customer is not eligible', async () => {
    const r = await gov.evaluate({ hasNeed: true, hasBudget: false });
    const zh = explain(r, govPolicy, govFacts, 'zh-CN');
    expect(zh[0]).toBe('不符合评级条件，不予评级：有预算：否（要求为是）');
    expect(explain(r, govPolicy, govFacts, 'en')[0]).toBe('Not eligible for rating: Has a budget: no (required: yes)');
    expect(zh.some((l) => l.includes('→'))).toBe(false);
  });
});

describe('explain — named conditions and not', () => {
  it('reads a named condition as what it checks (not its code name) and explains a not', async () => {
    const def = {
      schemaVersion: 1 as const,
      conditions: { rich: { any: [{ fact: 'avgDailyAssets', operator: 'greaterThanInclusive', value: 1000 }] } },
      tiers: [
        {
          key: 'A',
          name: '甲',
          nameEn: 'Alpha',
          when: { all: [{ condition: 'rich' }, { not: { all: [{ fact: 'region', operator: 'equal', value: 'north' }] } }] },
        },
        { key: 'B', name: '乙', nameEn: 'Beta' },
      ],
    };
    const r = await createEvaluator(def, cardFacts).evaluate({ avgDailyAssets: 2000, region: 'south' });
    expect(explain(r, def, cardFacts, 'zh-CN')).toEqual(['(日均综合金融资产 2,000 ≥ 1,000)，且 非（地区 south ≠ north） → 甲']);
    expect(explain(r, def, cardFacts, 'en')).toEqual(['(Average daily total financial assets 2,000 ≥ 1,000) and not (Region south ≠ north) → Alpha']);
  });
});
