/**
 * 基金投资者风险承受能力分类 — fund investors by risk tolerance (tiering-schemes.md §6).
 * The tier decides which products may be offered (suitability: 防止错误销售).
 */
import type { Benefit, FactDefinition, PolicyTemplate } from '../types';
import { gte } from './helpers';

export const riskAssessmentScore: FactDefinition = {
  key: 'riskAssessmentScore',
  label: '风险测评得分',
  labelEn: 'Risk assessment score',
  type: 'integer',
  unit: 'points',
  description:
    "投资者最近一次风险承受能力测评得分，0–100；未测评则不提供。The investor's latest risk tolerance assessment score, 0–100; absent when not assessed.",
};

const access = '可销售产品范围（适当性），无单客成本 / products that may be offered (suitability), no per-customer cost';
const fundBenefits = {
  lowRisk: {
    key: 'fund-access-low-risk',
    name: '低风险产品（R1–R2：货币、短债）',
    nameEn: 'Low-risk products (R1–R2: money market, short bond)',
    unitCost: 0,
    description: access,
  },
  mediumRisk: {
    key: 'fund-access-medium-risk',
    name: '中风险产品（R3：债券、平衡混合）',
    nameEn: 'Medium-risk products (R3: bond, balanced hybrid)',
    unitCost: 0,
    description: access,
  },
  highRisk: {
    key: 'fund-access-high-risk',
    name: '高风险产品（R4–R5：股票、偏股混合）',
    nameEn: 'High-risk products (R4–R5: equity, equity-heavy hybrid)',
    unitCost: 0,
    description: access,
  },
  disclosure: {
    key: 'fund-suitability-disclosure',
    name: '风险揭示与适当性告知',
    nameEn: 'Risk disclosure and suitability notice',
    unitCost: 5,
    description: '示例成本 / illustrative cost',
  },
  advisor: {
    key: 'fund-investment-advisor',
    name: '投资顾问服务',
    nameEn: 'Investment advisory service',
    unitCost: 200,
    description: '示例权益 / illustrative',
  },
} satisfies Record<string, Benefit>;

const f = fundBenefits;

export const fundRiskTemplate: PolicyTemplate = {
  key: 'fund-risk',
  name: '基金投资者风险承受能力分类',
  nameEn: 'Fund investor risk tolerance',
  description: [
    '按风险测评得分（0–100）分三类：进取型 ≥ 70；平衡型 40–69（≥ 40）；保守型 < 40。分档为本模板选择，均含下限（恰好 70 为进取型，69 为平衡型；恰好 40 为平衡型，39 为保守型）。未测评者不评级，不得销售任何产品。',
    '适当性（防止错误销售）：等级决定可销售的产品范围——保守型仅低风险（R1–R2），平衡型可至中风险（R3），进取型可至高风险（R4–R5）。产品范围无单客成本（unitCost 0）；风险揭示与投顾服务的 unitCost 为示例估算（元/人/年）。',
    "Three classes by risk assessment score (0–100): aggressive ≥ 70; balanced 40–69 (≥ 40); conservative below 40. The bands are this template's choice, lower bounds inclusive (exactly 70 is aggressive, 69 balanced; exactly 40 is balanced, 39 conservative). Investors without an assessment are not rated and may be offered nothing.",
    'Suitability (do not mis-sell, 防止错误销售): the class decides which products may be offered: conservative only low risk (R1–R2), balanced up to medium risk (R3), aggressive up to high risk (R4–R5). Product access has no per-customer cost (unitCost 0); the unit costs of the disclosure and the advisory service are illustrative (CNY per investor per year).',
  ].join('\n'),
  facts: [riskAssessmentScore],
  benefits: Object.values(fundBenefits),
  benefitPackages: [
    {
      key: 'fund-aggressive',
      name: '进取型可售产品',
      nameEn: 'Aggressive: products that may be offered',
      benefits: [f.lowRisk.key, f.mediumRisk.key, f.highRisk.key, f.disclosure.key, f.advisor.key],
    },
    {
      key: 'fund-balanced',
      name: '平衡型可售产品',
      nameEn: 'Balanced: products that may be offered',
      benefits: [f.lowRisk.key, f.mediumRisk.key, f.disclosure.key, f.advisor.key],
    },
    { key: 'fund-conservative', name: '保守型可售产品', nameEn: 'Conservative: products that may be offered', benefits: [f.lowRisk.key, f.disclosure.key] },
  ],
  versions: [
    {
      changeNote: '初始版本：进取型 ≥ 70，平衡型 ≥ 40。Initial version: aggressive ≥ 70, balanced ≥ 40.',
      definition: {
        schemaVersion: 1,
        eligibility: { all: [gte('riskAssessmentScore', 0)] },
        tiers: [
          { key: 'AGGRESSIVE', name: '进取型', nameEn: 'Aggressive', benefitPackage: 'fund-aggressive', when: { all: [gte('riskAssessmentScore', 70)] } },
          { key: 'BALANCED', name: '平衡型', nameEn: 'Balanced', benefitPackage: 'fund-balanced', when: { all: [gte('riskAssessmentScore', 40)] } },
          { key: 'CONSERVATIVE', name: '保守型', nameEn: 'Conservative', benefitPackage: 'fund-conservative' },
        ],
      },
    },
  ],
  testCases: [
    { name: '满分 100 → 进取型 / score 100', facts: { riskAssessmentScore: 100 }, expectedTier: 'AGGRESSIVE' },
    { name: '恰好 70 → 进取型 / exactly 70', facts: { riskAssessmentScore: 70 }, expectedTier: 'AGGRESSIVE' },
    { name: '69 → 平衡型 / 69', facts: { riskAssessmentScore: 69 }, expectedTier: 'BALANCED' },
    { name: '恰好 40 → 平衡型 / exactly 40', facts: { riskAssessmentScore: 40 }, expectedTier: 'BALANCED' },
    { name: '39 → 保守型 / 39', facts: { riskAssessmentScore: 39 }, expectedTier: 'CONSERVATIVE' },
    { name: '0 → 保守型 / score 0', facts: { riskAssessmentScore: 0 }, expectedTier: 'CONSERVATIVE' },
    { name: '未测评 → 不评级 / not assessed → not rated', facts: {}, expectedTier: null },
  ],
};
