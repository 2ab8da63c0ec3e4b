/**
 * 兴业银行 个人客户六级资产阶梯 — the six-step individual ladder on average daily assets
 * (tiering-schemes.md §1). The source leaves inclusivity open; we choose lower bound inclusive.
 */
import type { Benefit, PolicyTemplate } from '../types';
import { cibBenefits } from './cib-card';
import { avgDailyAssets } from './facts';
import { gte } from './helpers';

/** Illustrative service benefits: the source names none for the ladder steps. */
const ladderBenefits = {
  wealthManager: {
    key: 'cib-ladder-wealth-manager',
    name: '理财经理服务',
    nameEn: 'Wealth manager service',
    unitCost: 300,
    description: '示例权益 / illustrative',
  },
  privateBanking: {
    key: 'cib-ladder-private-banking',
    name: '私人银行服务',
    nameEn: 'Private banking service',
    unitCost: 5000,
    description: '示例权益 / illustrative',
  },
  familyOffice: {
    key: 'cib-ladder-family-office',
    name: '家族财富规划',
    nameEn: 'Family wealth planning',
    unitCost: 12000,
    description: '示例权益 / illustrative',
  },
} satisfies Record<string, Benefit>;

const basic = cibBenefits.basicService.key;
const rm = cibBenefits.dedicatedRm.key;
const wm = ladderBenefits.wealthManager.key;
const pb = ladderBenefits.privateBanking.key;
const fo = ladderBenefits.familyOffice.key;

export const cibAssetLadderTemplate: PolicyTemplate = {
  key: 'cib-asset-ladder',
  name: '兴业银行个人客户资产六级',
  nameEn: 'CIB individual asset ladder (six steps)',
  description: [
    '个人客户按日均综合金融资产分六级：1级 < 10,000；2级 10,000–500,000；3级 500,000–1,000,000；4级 1,000,000–5,000,000；5级 5,000,000–10,000,000；6级 ≥ 10,000,000。',
    '边界选择：来源未说明区间端点归属，本模板取「含下限、不含上限」：恰好 10,000 为 2级，9,999.99 为 1级；恰好 10,000,000 为 6级。未提供资产数据（或为负）的客户不评级。',
    '来源未列出各级权益：权益包为示例（基础服务、理财经理、专属客户经理、私人银行、家族财富规划），unitCost 为示例估算（元/人/年）。',
    'Individuals graded in six steps of average daily total financial assets: 1 < 10,000; 2: 10,000–500,000; 3: 500,000–1,000,000; 4: 1,000,000–5,000,000; 5: 5,000,000–10,000,000; 6 ≥ 10,000,000.',
    'Boundary choice: the source does not say which side of a boundary is inclusive; this template makes every LOWER bound inclusive and every upper bound exclusive (exactly 10,000 is step 2, 9,999.99 is step 1; exactly 10,000,000 is step 6). Customers without asset data (or with a negative value) are not rated.',
    'The source names no benefits for the steps: the packages are illustrative, and so are the unit costs (CNY per customer per year).',
  ].join('\n'),
  facts: [avgDailyAssets],
  benefits: [cibBenefits.basicService, cibBenefits.dedicatedRm, ...Object.values(ladderBenefits)],
  benefitPackages: [
    { key: 'cib-ladder-6', name: '6级服务', nameEn: 'Step 6 services', benefits: [basic, rm, pb, fo] },
    { key: 'cib-ladder-5', name: '5级服务', nameEn: 'Step 5 services', benefits: [basic, rm, pb] },
    { key: 'cib-ladder-4', name: '4级服务', nameEn: 'Step 4 services', benefits: [basic, rm] },
    { key: 'cib-ladder-3', name: '3级服务', nameEn: 'Step 3 services', benefits: [basic, wm] },
    { key: 'cib-ladder-2', name: '2级服务', nameEn: 'Step 2 services', benefits: [basic] },
    { key: 'cib-ladder-1', name: '1级服务', nameEn: 'Step 1 services', benefits: [basic] },
  ],
  versions: [
    {
      changeNote: '初始版本：六级资产阶梯，含下限。Initial version: six-step asset ladder, lower bounds inclusive.',
      definition: {
        schemaVersion: 1,
        eligibility: { all: [gte('avgDailyAssets', 0)] },
        tiers: [
          { key: 'L6', name: '6级', nameEn: 'Step 6', benefitPackage: 'cib-ladder-6', when: { all: [gte('avgDailyAssets', 10_000_000)] } },
          { key: 'L5', name: '5级', nameEn: 'Step 5', benefitPackage: 'cib-ladder-5', when: { all: [gte('avgDailyAssets', 5_000_000)] } },
          { key: 'L4', name: '4级', nameEn: 'Step 4', benefitPackage: 'cib-ladder-4', when: { all: [gte('avgDailyAssets', 1_000_000)] } },
          { key: 'L3', name: '3级', nameEn: 'Step 3', benefitPackage: 'cib-ladder-3', when: { all: [gte('avgDailyAssets', 500_000)] } },
          { key: 'L2', name: '2级', nameEn: 'Step 2', benefitPackage: 'cib-ladder-2', when: { all: [gte('avgDailyAssets', 10_000)] } },
          { key: 'L1', name: '1级', nameEn: 'Step 1', benefitPackage: 'cib-ladder-1' },
        ],
      },
    },
  ],
  testCases: [
    { name: '恰好 10,000,000 → 6级 / exactly 10,000,000', facts: { avgDailyAssets: 10_000_000 }, expectedTier: 'L6' },
    { name: '9,999,999.99 → 5级 / one cent below 10,000,000', facts: { avgDailyAssets: 9_999_999.99 }, expectedTier: 'L5' },
    { name: '恰好 5,000,000 → 5级 / exactly 5,000,000', facts: { avgDailyAssets: 5_000_000 }, expectedTier: 'L5' },
    { name: '恰好 1,000,000 → 4级 / exactly 1,000,000', facts: { avgDailyAssets: 1_000_000 }, expectedTier: 'L4' },
    { name: '999,999.99 → 3级 / one cent below 1,000,000', facts: { avgDailyAssets: 999_999.99 }, expectedTier: 'L3' },
    { name: '恰好 500,000 → 3级 / exactly 500,000', facts: { avgDailyAssets: 500_000 }, expectedTier: 'L3' },
    { name: '恰好 10,000 → 2级 / exactly 10,000', facts: { avgDailyAssets: 10_000 }, expectedTier: 'L2' },
    { name: '9,999.99 → 1级 / one cent below 10,000', facts: { avgDailyAssets: 9_999.99 }, expectedTier: 'L1' },
    { name: '0 → 1级 / zero assets', facts: { avgDailyAssets: 0 }, expectedTier: 'L1' },
    { name: '无资产数据 → 不评级 / no asset data → not rated', facts: {}, expectedTier: null },
  ],
};
