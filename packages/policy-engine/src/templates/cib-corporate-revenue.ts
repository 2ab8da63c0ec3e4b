/**
 * 兴业银行 企业客户五级营业收入阶梯 — the five-step company ladder on annual revenue
 * (tiering-schemes.md §1). The source leaves inclusivity open; we choose lower bound inclusive.
 */
import type { Benefit, PolicyTemplate } from '../types';
import { annualRevenue } from './facts';
import { gte } from './helpers';

/** Illustrative corporate service benefits: the source names none for the revenue steps. */
const revenueBenefits = {
  settlement: { key: 'cib-corp-settlement', name: '基础结算服务', nameEn: 'Basic settlement services', unitCost: 200, description: '示例权益 / illustrative' },
  corporateRm: { key: 'cib-corp-rm', name: '对公客户经理', nameEn: 'Corporate relationship manager', unitCost: 3000, description: '示例权益 / illustrative' },
  financingPlan: {
    key: 'cib-corp-financing-plan',
    name: '综合金融服务方案',
    nameEn: 'Integrated financing plan',
    unitCost: 10000,
    description: '示例权益 / illustrative',
  },
  creditFastTrack: {
    key: 'cib-corp-credit-fast-track',
    name: '授信审批绿色通道',
    nameEn: 'Credit approval fast track',
    unitCost: 20000,
    description: '示例权益 / illustrative',
  },
  headOfficeTeam: {
    key: 'cib-corp-head-office-team',
    name: '总分行联动服务团队',
    nameEn: 'Head-office and branch service team',
    unitCost: 50000,
    description: '示例权益 / illustrative',
  },
} satisfies Record<string, Benefit>;

const r = revenueBenefits;

export const cibCorporateRevenueTemplate: PolicyTemplate = {
  key: 'cib-corporate-revenue',
  name: '兴业银行企业客户营收五级',
  nameEn: 'CIB company revenue ladder (five steps)',
  description: [
    '企业客户按年营业收入分五级：1级 < 1,000,000；2级 1,000,000–10,000,000；3级 10,000,000–50,000,000；4级 50,000,000–100,000,000；5级 ≥ 100,000,000。',
    '边界选择：来源未说明区间端点归属，本模板取「含下限、不含上限」：恰好 1,000,000 为 2级，999,999.99 为 1级；恰好 100,000,000 为 5级。未提供营收数据（或为负）的企业不评级。',
    '来源未列出各级权益：权益包为示例，unitCost 为示例估算（元/户/年）。',
    'Companies graded in five steps of annual revenue: 1 < 1,000,000; 2: 1,000,000–10,000,000; 3: 10,000,000–50,000,000; 4: 50,000,000–100,000,000; 5 ≥ 100,000,000.',
    'Boundary choice: the source does not say which side is inclusive; this template makes every LOWER bound inclusive and every upper bound exclusive (exactly 1,000,000 is step 2, 999,999.99 is step 1; exactly 100,000,000 is step 5). Companies without revenue data (or with a negative value) are not rated.',
    'The source names no benefits for the steps: the packages are illustrative, and so are the unit costs (CNY per company per year).',
  ].join('\n'),
  facts: [annualRevenue],
  benefits: Object.values(revenueBenefits),
  benefitPackages: [
    {
      key: 'cib-corp-5',
      name: '5级企业服务',
      nameEn: 'Step 5 company services',
      benefits: [r.settlement.key, r.corporateRm.key, r.financingPlan.key, r.creditFastTrack.key, r.headOfficeTeam.key],
    },
    {
      key: 'cib-corp-4',
      name: '4级企业服务',
      nameEn: 'Step 4 company services',
      benefits: [r.settlement.key, r.corporateRm.key, r.financingPlan.key, r.creditFastTrack.key],
    },
    { key: 'cib-corp-3', name: '3级企业服务', nameEn: 'Step 3 company services', benefits: [r.settlement.key, r.corporateRm.key, r.financingPlan.key] },
    { key: 'cib-corp-2', name: '2级企业服务', nameEn: 'Step 2 company services', benefits: [r.settlement.key, r.corporateRm.key] },
    { key: 'cib-corp-1', name: '1级企业服务', nameEn: 'Step 1 company services', benefits: [r.settlement.key] },
  ],
  versions: [
    {
      changeNote: '初始版本：五级营收阶梯，含下限。Initial version: five-step revenue ladder, lower bounds inclusive.',
      definition: {
        schemaVersion: 1,
        eligibility: { all: [gte('annualRevenue', 0)] },
        tiers: [
          { key: 'C5', name: '5级企业', nameEn: 'Company step 5', benefitPackage: 'cib-corp-5', when: { all: [gte('annualRevenue', 100_000_000)] } },
          { key: 'C4', name: '4级企业', nameEn: 'Company step 4', benefitPackage: 'cib-corp-4', when: { all: [gte('annualRevenue', 50_000_000)] } },
          { key: 'C3', name: '3级企业', nameEn: 'Company step 3', benefitPackage: 'cib-corp-3', when: { all: [gte('annualRevenue', 10_000_000)] } },
          { key: 'C2', name: '2级企业', nameEn: 'Company step 2', benefitPackage: 'cib-corp-2', when: { all: [gte('annualRevenue', 1_000_000)] } },
          { key: 'C1', name: '1级企业', nameEn: 'Company step 1', benefitPackage: 'cib-corp-1' },
        ],
      },
    },
  ],
  testCases: [
    { name: '恰好 100,000,000 → 5级 / exactly 100,000,000', facts: { annualRevenue: 100_000_000 }, expectedTier: 'C5' },
    { name: '99,999,999.99 → 4级 / one cent below 100,000,000', facts: { annualRevenue: 99_999_999.99 }, expectedTier: 'C4' },
    { name: '恰好 50,000,000 → 4级 / exactly 50,000,000', facts: { annualRevenue: 50_000_000 }, expectedTier: 'C4' },
    { name: '恰好 10,000,000 → 3级 / exactly 10,000,000', facts: { annualRevenue: 10_000_000 }, expectedTier: 'C3' },
    { name: '9,999,999.99 → 2级 / one cent below 10,000,000', facts: { annualRevenue: 9_999_999.99 }, expectedTier: 'C2' },
    { name: '恰好 1,000,000 → 2级 / exactly 1,000,000', facts: { annualRevenue: 1_000_000 }, expectedTier: 'C2' },
    { name: '999,999.99 → 1级 / one cent below 1,000,000', facts: { annualRevenue: 999_999.99 }, expectedTier: 'C1' },
    { name: '无营收数据 → 不评级 / no revenue data → not rated', facts: {}, expectedTier: null },
  ],
};
