/** Every template result can be explained to a compliance officer, in Chinese and in English. */
import { explain } from '@tierwise/policy-engine';
import { cibCardTemplate, govMmsTemplate, icbcStarTemplate, templates } from './support';
import { definitionOf, evaluate } from './support';

const cases = templates.flatMap((t) => t.versions.flatMap((_v, i) => t.testCases.map((c) => [`${t.key} v${i + 1}: ${c.name}`, t, i, c] as const)));

describe('explanations of the template test cases', () => {
  it.each(cases)('%s', async (_name, template, versionIndex, testCase) => {
    const definition = definitionOf(template, versionIndex);
    const result = await evaluate(template, testCase.facts, versionIndex);
    const zh = explain(result, definition, template.facts, 'zh-CN');
    const en = explain(result, definition, template.facts, 'en');
    expect(zh.length).toBeGreaterThan(0);
    expect(en.length).toBe(zh.length);
    if (testCase.expectedTier === null) {
      expect(zh.join('\n')).toMatch(/不予评级/);
      expect(en.join('\n')).toMatch(/not (eligible|rated)/i);
    } else {
      const tier = definition.tiers.find((t) => t.key === testCase.expectedTier);
      expect(zh[zh.length - 1]).toContain(tier?.name);
      expect(en[en.length - 1]).toContain(tier?.nameEn);
    }
  });

  it('names the fact, the value seen, the operator and the threshold', async () => {
    const r = await evaluate(cibCardTemplate, { hasValidId: true, avgDailyAssets: 1_000_000 });
    const zh = explain(r, definitionOf(cibCardTemplate), cibCardTemplate.facts, 'zh-CN').join('\n');
    expect(zh).toContain('日均综合金融资产 1,000,000 ≥ 1,000,000');
    expect(zh).toContain('重要客户（黑金卡）');
    const en = explain(r, definitionOf(cibCardTemplate), cibCardTemplate.facts, 'en').join('\n');
    expect(en).toContain('Average daily total financial assets 1,000,000 ≥ 1,000,000');
  });

  it('shows the star points as supplied and the government score with its multiplier', async () => {
    const star = await evaluate(icbcStarTemplate, { starPoints: 80_000 });
    expect(explain(star, definitionOf(icbcStarTemplate), icbcStarTemplate.facts, 'zh-CN').join('\n')).toContain('星点值 80,000 ≥ 80,000');
    const gov = await evaluate(govMmsTemplate, {
      govCustomerRole: 'endUser',
      mmsCanCloseThisYear: true,
      mmsProductNeed: true,
      mmsBudgetFits: true,
      mmsTimetable: true,
      mmsDecisionMakersKnown: true,
      mmsHistorySales: 1_500_000,
      mmsForecastSales: 4_000_000,
      mmsMarginPct: 9,
      mmsSalesShare2yPct: 5,
    });
    const text = explain(gov, definitionOf(govMmsTemplate), govMmsTemplate.facts, 'zh-CN').join('\n');
    expect(text).toContain('× 1.05');
    expect(text).toContain('毛利不足扣分');
    expect(text).toContain('= 84');
  });
});
