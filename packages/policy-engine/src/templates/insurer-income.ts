/**
 * 保险客户家庭收入分层 — insurer household income layers (tiering-schemes.md §6).
 */
import type { Benefit, FactDefinition, PolicyTemplate } from '../types';
import { gt, gte } from './helpers';

export const householdAnnualIncome: FactDefinition = {
  key: 'householdAnnualIncome',
  label: '家庭年收入',
  labelEn: 'Household annual income',
  type: 'number',
  unit: 'CNY',
  description: "客户家庭年收入（元）。The customer's household income per year, in CNY.",
};

const illustrative = '示例权益 / illustrative';
const insurerBenefits = {
  legacyPlanning: {
    key: 'ins-legacy-planning',
    name: '财富传承与高端医疗规划',
    nameEn: 'Legacy and premium health planning',
    unitCost: 2000,
    description: illustrative,
  },
  familyAdvisor: { key: 'ins-family-advisor', name: '家庭保障规划顾问', nameEn: 'Family protection advisor', unitCost: 800, description: illustrative },
  standardPlan: { key: 'ins-standard-plan', name: '标准家庭保障方案', nameEn: 'Standard family protection plan', unitCost: 200, description: illustrative },
  inclusiveCover: {
    key: 'ins-inclusive-cover',
    name: '普惠保险与线上服务',
    nameEn: 'Inclusive cover and online service',
    unitCost: 50,
    description: illustrative,
  },
} satisfies Record<string, Benefit>;

const i = insurerBenefits;

export const insurerIncomeTemplate: PolicyTemplate = {
  key: 'insurer-income',
  name: '保险客户家庭收入分层',
  nameEn: 'Insurer household income layers',
  description: [
    '按家庭年收入分四层：富裕以上 > 200,000；大众富裕 100,000–200,000；大众 35,000–100,000；下层大众 < 35,000。',
    '边界选择：来源明写「> 200,000」与「< 35,000」，故恰好 200,000 为大众富裕（不属富裕以上），恰好 35,000 为大众；来源未定的 100,000 取含下限，恰好 100,000 为大众富裕，99,999.99 为大众。因此顶层用「>」、其下用「≥」，这是来源本身的写法，并非笔误；校验会为此给出一条 inconsistent-boundary（边界处理不一致）警告，属预期。未提供收入（或为负）者不评级。',
    '来源未列出权益：权益包为示例，unitCost 为示例估算（元/户/年）。',
    'Four layers of household income per year: affluent+ > 200,000; mass affluent 100,000–200,000; mass 35,000–100,000; lower mass < 35,000.',
    'Boundary choices: the source writes "> 200,000" and "< 35,000", so exactly 200,000 is mass affluent (not affluent+) and exactly 35,000 is mass; the open boundary at 100,000 is lower-bound inclusive: exactly 100,000 is mass affluent, 99,999.99 is mass. The top layer therefore uses ">" and the others "≥": that follows the source\'s own wording and is deliberate, so validation reports one expected inconsistent-boundary warning (AFFLUENT_PLUS > 200,000 vs MASS_AFFLUENT ≥ 100,000). Customers without an income figure (or with a negative one) are not rated.',
    'The source names no benefits: the packages are illustrative, and so are the unit costs (CNY per household per year).',
  ].join('\n'),
  facts: [householdAnnualIncome],
  benefits: Object.values(insurerBenefits),
  benefitPackages: [
    { key: 'ins-affluent-plus', name: '富裕以上权益', nameEn: 'Affluent+ benefits', benefits: [i.legacyPlanning.key, i.familyAdvisor.key] },
    { key: 'ins-mass-affluent', name: '大众富裕权益', nameEn: 'Mass affluent benefits', benefits: [i.familyAdvisor.key, i.standardPlan.key] },
    { key: 'ins-mass', name: '大众权益', nameEn: 'Mass benefits', benefits: [i.standardPlan.key] },
    { key: 'ins-lower-mass', name: '下层大众权益', nameEn: 'Lower mass benefits', benefits: [i.inclusiveCover.key] },
  ],
  versions: [
    {
      changeNote: '初始版本：> 200,000 / ≥ 100,000 / ≥ 35,000。Initial version: > 200,000 / ≥ 100,000 / ≥ 35,000.',
      definition: {
        schemaVersion: 1,
        eligibility: { all: [gte('householdAnnualIncome', 0)] },
        tiers: [
          {
            key: 'AFFLUENT_PLUS',
            name: '富裕以上',
            nameEn: 'Affluent and above',
            benefitPackage: 'ins-affluent-plus',
            when: { all: [gt('householdAnnualIncome', 200_000)] },
          },
          {
            key: 'MASS_AFFLUENT',
            name: '大众富裕',
            nameEn: 'Mass affluent',
            benefitPackage: 'ins-mass-affluent',
            when: { all: [gte('householdAnnualIncome', 100_000)] },
          },
          { key: 'MASS', name: '大众', nameEn: 'Mass', benefitPackage: 'ins-mass', when: { all: [gte('householdAnnualIncome', 35_000)] } },
          { key: 'LOWER_MASS', name: '下层大众', nameEn: 'Lower mass', benefitPackage: 'ins-lower-mass' },
        ],
      },
    },
  ],
  testCases: [
    { name: '200,000.01 → 富裕以上 / one cent above 200,000', facts: { householdAnnualIncome: 200_000.01 }, expectedTier: 'AFFLUENT_PLUS' },
    { name: '恰好 200,000 → 大众富裕 / exactly 200,000', facts: { householdAnnualIncome: 200_000 }, expectedTier: 'MASS_AFFLUENT' },
    { name: '恰好 100,000 → 大众富裕 / exactly 100,000', facts: { householdAnnualIncome: 100_000 }, expectedTier: 'MASS_AFFLUENT' },
    { name: '99,999.99 → 大众 / one cent below 100,000', facts: { householdAnnualIncome: 99_999.99 }, expectedTier: 'MASS' },
    { name: '恰好 35,000 → 大众 / exactly 35,000', facts: { householdAnnualIncome: 35_000 }, expectedTier: 'MASS' },
    { name: '34,999.99 → 下层大众 / one cent below 35,000', facts: { householdAnnualIncome: 34_999.99 }, expectedTier: 'LOWER_MASS' },
    { name: '无收入数据 → 不评级 / no income data → not rated', facts: {}, expectedTier: null },
  ],
};
