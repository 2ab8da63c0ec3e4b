/**
 * 对公客户分层细分 — corporate customers of a bank (tiering-schemes.md §3): classification
 * (分类: with/without loans, corporate/institutional, traditional/emerging/real estate) then
 * layering (分层) inside a class, flattened into one ordered list of tiers.
 */
import type { Benefit, FactDefinition, PolicyTemplate } from '../types';
import { annualRevenue } from './facts';
import { all, any, eq, gte, isIn, ref } from './helpers';

const facts: Record<string, FactDefinition> = {
  hasLoans: {
    key: 'hasLoans',
    label: '有贷户',
    labelEn: 'Has loans with the bank',
    type: 'boolean',
    description: '是否为有贷户（在本行有贷款）。Whether the customer has loans with the bank (有贷户) or not (无贷户).',
  },
  customerClass: {
    key: 'customerClass',
    label: '客户类别',
    labelEn: 'Customer class',
    type: 'enum',
    enumValues: ['corporate', 'institutional'],
    description: 'corporate = 公司类, institutional = 机构类。',
  },
  corporateSegment: {
    key: 'corporateSegment',
    label: '公司类细分',
    labelEn: 'Corporate segment',
    type: 'enum',
    enumValues: ['traditional', 'emerging', 'realEstate'],
    description: 'traditional = 传统公司, emerging = 新兴市场（互联网、物联网、移动支付相关）, realEstate = 房地产。',
  },
  onStrategicList: {
    key: 'onStrategicList',
    label: '总行战略客户名单',
    labelEn: 'On the head-office strategic list',
    type: 'boolean',
    description: '属于总行 94 家战略性集团客户及其成员单位。Belongs to one of the 94 head-office strategic groups or their member units.',
  },
  totalAssets: {
    key: 'totalAssets',
    label: '资产总额',
    labelEn: 'Total assets',
    type: 'number',
    unit: 'CNY',
    description: "企业资产总额（元）。The company's total assets, in CNY.",
  },
  reducedLargeThresholdIndustry: {
    key: 'reducedLargeThresholdIndustry',
    label: '大型客户门槛减半行业',
    labelEn: 'Industry with the reduced large-customer threshold',
    type: 'boolean',
    description:
      "所属行业适用 1.5 亿元（而非 3 亿元）的大型客户营收门槛。The company's industry uses the 150,000,000 (instead of 300,000,000) revenue threshold for large customers.",
  },
  avgDailyDeposits: {
    key: 'avgDailyDeposits',
    label: '日均存款',
    labelEn: 'Average daily deposits',
    type: 'number',
    unit: 'CNY',
    description: "客户在本行的日均存款（元）。The customer's average daily deposits with the bank, in CNY.",
  },
};

const illustrative = '示例资源配置 / illustrative resource allocation';
const corpBenefits = {
  strategicTeam: {
    key: 'corp-strategic-team',
    name: '总行战略客户服务团队',
    nameEn: 'Head-office strategic client team',
    unitCost: 200000,
    description: illustrative,
  },
  branchTeam: { key: 'corp-branch-team', name: '分行级客户经理团队', nameEn: 'Branch-level relationship team', unitCost: 60000, description: illustrative },
  subBranchRm: { key: 'corp-sub-branch-rm', name: '支行客户经理', nameEn: 'Sub-branch relationship manager', unitCost: 15000, description: illustrative },
  smallBusinessCentre: {
    key: 'corp-small-business-centre',
    name: '小企业专营服务',
    nameEn: 'Small-business service centre',
    unitCost: 3000,
    description: illustrative,
  },
  sectorTeam: { key: 'corp-emerging-sector-team', name: '新兴市场行业团队', nameEn: 'Emerging-market sector team', unitCost: 30000, description: illustrative },
  realEstateDesk: { key: 'corp-real-estate-desk', name: '房地产金融专营', nameEn: 'Real-estate finance desk', unitCost: 30000, description: illustrative },
  institutionalDesk: { key: 'corp-institutional-desk', name: '机构业务专营', nameEn: 'Institutional banking desk', unitCost: 20000, description: illustrative },
  cashManagement: { key: 'corp-cash-management', name: '现金管理服务', nameEn: 'Cash management services', unitCost: 2000, description: illustrative },
  onlineService: { key: 'corp-online-service', name: '标准化线上服务', nameEn: 'Standard online services', unitCost: 200, description: illustrative },
} satisfies Record<string, Benefit>;

const c = corpBenefits;
const LARGE = 300_000_000;
const LARGE_REDUCED = 150_000_000;
const SMALL_REVENUE = 30_000_000;
const SMALL_ASSETS = 40_000_000;
const ABOVE_SCALE_DEPOSITS = 500_000;

const loanCorporate = (segment: string) => all(eq('hasLoans', true), eq('customerClass', 'corporate'), eq('corporateSegment', segment));

export const corporateLayeringTemplate: PolicyTemplate = {
  key: 'corporate-layering',
  name: '对公客户分层细分',
  nameEn: 'Corporate customer classification and layering',
  description: [
    '先分类后分层：有贷户分公司类与机构类，公司类再分传统公司、新兴市场、房地产；传统公司分层为 战略性客户（总行战略名单）> 大型（年销售收入 ≥ 3 亿元，减半行业 ≥ 1.5 亿元）> 中型（年销售收入与资产总额均达到小企业上限）> 小企业；无贷户按日均存款 ≥ 500,000 为规模以上，否则规模以下。分层以有序等级平铺表示，先匹配者为准（战略性客户优先，故「不含战略客户」的大型自然成立）。',
    '边界选择：所有门槛含下限（恰好 3 亿为大型；恰好 500,000 为规模以上，499,999.99 为规模以下）。「部分行业 1.5 亿」以布尔事实 reducedLargeThresholdIndustry 表示（来源未列出行业）。小企业上限来源未给，本模板取 2003 年工业企业划型口径：年销售收入 ≥ 30,000,000 且资产总额 ≥ 40,000,000 为中型，否则为小企业。新兴市场、房地产与机构类来源未再分层，各为一级。分类事实不全（如有贷户缺客户类别）者不评级。来源中的「客户对银行价值 × 银行对客户价值」二维评价不在本模板内。',
    '来源未列出权益：权益包为示例资源配置，unitCost 为示例估算（元/户/年）。',
    'Classification first, then layering: customers with loans are corporate or institutional, corporate ones traditional, emerging-market or real estate; traditional corporates layer as strategic (head-office list) > large (annual sales revenue ≥ 300,000,000, ≥ 150,000,000 in reduced-threshold industries) > medium (revenue and total assets both at or above the small-enterprise limits) > small; customers without loans are above scale with average daily deposits ≥ 500,000, else below scale. The classes are flattened into one ordered tier list, first match wins (strategic comes first, so "large, excluding strategic" holds by order).',
    'Boundary choices: every threshold includes its lower bound (exactly 300,000,000 is large; exactly 500,000 is above scale, 499,999.99 below). "150,000,000 in some industries" is the boolean fact reducedLargeThresholdIndustry (the source names no industries). The source gives no small-enterprise limits; this template uses the 2003 industrial SME standard: revenue ≥ 30,000,000 AND total assets ≥ 40,000,000 is medium, otherwise small. Emerging-market, real-estate and institutional customers are not layered further by the source and are one tier each. Customers whose classification facts are incomplete (e.g. with loans but no class) are not rated. The two-dimensional value evaluation the source mentions afterwards is not part of this template.',
    'The source names no benefits: the packages are an illustrative resource allocation, and the unit costs (CNY per customer per year) are illustrative.',
  ].join('\n'),
  facts: [
    facts.hasLoans,
    facts.customerClass,
    facts.corporateSegment,
    facts.onStrategicList,
    annualRevenue,
    facts.totalAssets,
    facts.reducedLargeThresholdIndustry,
    facts.avgDailyDeposits,
  ],
  benefits: Object.values(corpBenefits),
  benefitPackages: [
    { key: 'corp-strategic', name: '战略性客户资源', nameEn: 'Strategic customer resources', benefits: [c.strategicTeam.key, c.cashManagement.key] },
    { key: 'corp-large', name: '大型客户资源', nameEn: 'Large customer resources', benefits: [c.branchTeam.key, c.cashManagement.key] },
    { key: 'corp-medium', name: '中型客户资源', nameEn: 'Medium customer resources', benefits: [c.subBranchRm.key, c.cashManagement.key] },
    { key: 'corp-small', name: '小企业资源', nameEn: 'Small enterprise resources', benefits: [c.smallBusinessCentre.key, c.onlineService.key] },
    { key: 'corp-emerging', name: '新兴市场客户资源', nameEn: 'Emerging-market customer resources', benefits: [c.sectorTeam.key, c.cashManagement.key] },
    { key: 'corp-real-estate', name: '房地产客户资源', nameEn: 'Real-estate customer resources', benefits: [c.realEstateDesk.key] },
    {
      key: 'corp-institutional',
      name: '机构类客户资源',
      nameEn: 'Institutional customer resources',
      benefits: [c.institutionalDesk.key, c.cashManagement.key],
    },
    { key: 'corp-above-scale', name: '规模以上无贷户资源', nameEn: 'Above-scale (no loans) resources', benefits: [c.subBranchRm.key, c.cashManagement.key] },
    { key: 'corp-below-scale', name: '规模以下无贷户资源', nameEn: 'Below-scale (no loans) resources', benefits: [c.onlineService.key] },
  ],
  versions: [
    {
      changeNote:
        '初始版本：先分类后分层，门槛含下限，小企业上限取 2003 年工业口径。Initial version: classify then layer, lower bounds inclusive, small-enterprise limits from the 2003 industrial standard.',
      definition: {
        schemaVersion: 1,
        // rated only when the facts that decide the class are present
        eligibility: any(
          all(eq('hasLoans', false)),
          all(eq('hasLoans', true), eq('customerClass', 'institutional')),
          all(eq('hasLoans', true), eq('customerClass', 'corporate'), isIn('corporateSegment', ['traditional', 'emerging', 'realEstate'])),
        ),
        conditions: {
          traditionalCorporate: loanCorporate('traditional'),
          largeRevenue: any(gte('annualRevenue', LARGE), all(eq('reducedLargeThresholdIndustry', true), gte('annualRevenue', LARGE_REDUCED))),
          aboveSmallEnterprise: all(gte('annualRevenue', SMALL_REVENUE), gte('totalAssets', SMALL_ASSETS)),
        },
        tiers: [
          {
            key: 'STRATEGIC',
            name: '有贷·传统公司·战略性客户',
            nameEn: 'With loans · traditional corporate · strategic',
            benefitPackage: 'corp-strategic',
            when: all(ref('traditionalCorporate'), eq('onStrategicList', true)),
          },
          {
            key: 'LARGE',
            name: '有贷·传统公司·大型客户',
            nameEn: 'With loans · traditional corporate · large',
            benefitPackage: 'corp-large',
            when: all(ref('traditionalCorporate'), ref('largeRevenue')),
          },
          {
            key: 'MEDIUM',
            name: '有贷·传统公司·中型客户',
            nameEn: 'With loans · traditional corporate · medium',
            benefitPackage: 'corp-medium',
            when: all(ref('traditionalCorporate'), ref('aboveSmallEnterprise')),
          },
          {
            key: 'SMALL',
            name: '有贷·传统公司·小企业',
            nameEn: 'With loans · traditional corporate · small enterprise',
            benefitPackage: 'corp-small',
            when: all(ref('traditionalCorporate')),
          },
          {
            key: 'EMERGING',
            name: '有贷·新兴市场公司',
            nameEn: 'With loans · emerging-market corporate',
            benefitPackage: 'corp-emerging',
            when: loanCorporate('emerging'),
          },
          {
            key: 'REAL_ESTATE',
            name: '有贷·房地产公司',
            nameEn: 'With loans · real-estate corporate',
            benefitPackage: 'corp-real-estate',
            when: loanCorporate('realEstate'),
          },
          {
            key: 'INSTITUTIONAL',
            name: '有贷·机构类客户',
            nameEn: 'With loans · institutional',
            benefitPackage: 'corp-institutional',
            when: all(eq('hasLoans', true), eq('customerClass', 'institutional')),
          },
          {
            key: 'ABOVE_SCALE',
            name: '无贷·规模以上',
            nameEn: 'Without loans · above scale',
            benefitPackage: 'corp-above-scale',
            when: all(eq('hasLoans', false), gte('avgDailyDeposits', ABOVE_SCALE_DEPOSITS)),
          },
          { key: 'BELOW_SCALE', name: '无贷·规模以下', nameEn: 'Without loans · below scale', benefitPackage: 'corp-below-scale' },
        ],
      },
    },
  ],
  testCases: [
    {
      name: '战略名单、营收很低 → 战略性客户 / strategic-list member with low revenue',
      facts: {
        hasLoans: true,
        customerClass: 'corporate',
        corporateSegment: 'traditional',
        onStrategicList: true,
        annualRevenue: 1_000_000,
        totalAssets: 2_000_000,
      },
      expectedTier: 'STRATEGIC',
    },
    {
      name: '营收恰好 3 亿 → 大型 / revenue exactly 300,000,000',
      facts: {
        hasLoans: true,
        customerClass: 'corporate',
        corporateSegment: 'traditional',
        onStrategicList: false,
        annualRevenue: 300_000_000,
        totalAssets: 500_000_000,
        reducedLargeThresholdIndustry: false,
      },
      expectedTier: 'LARGE',
    },
    {
      name: '营收 299,999,999.99 → 中型 / one cent below 300,000,000',
      facts: {
        hasLoans: true,
        customerClass: 'corporate',
        corporateSegment: 'traditional',
        onStrategicList: false,
        annualRevenue: 299_999_999.99,
        totalAssets: 500_000_000,
        reducedLargeThresholdIndustry: false,
      },
      expectedTier: 'MEDIUM',
    },
    {
      name: '减半行业营收恰好 1.5 亿 → 大型 / reduced-threshold industry at exactly 150,000,000',
      facts: {
        hasLoans: true,
        customerClass: 'corporate',
        corporateSegment: 'traditional',
        onStrategicList: false,
        annualRevenue: 150_000_000,
        totalAssets: 200_000_000,
        reducedLargeThresholdIndustry: true,
      },
      expectedTier: 'LARGE',
    },
    {
      name: '普通行业营收 1.5 亿 → 中型 / ordinary industry at 150,000,000',
      facts: {
        hasLoans: true,
        customerClass: 'corporate',
        corporateSegment: 'traditional',
        onStrategicList: false,
        annualRevenue: 150_000_000,
        totalAssets: 200_000_000,
        reducedLargeThresholdIndustry: false,
      },
      expectedTier: 'MEDIUM',
    },
    {
      name: '减半行业营收 149,999,999.99 → 中型 / reduced-threshold industry one cent below',
      facts: {
        hasLoans: true,
        customerClass: 'corporate',
        corporateSegment: 'traditional',
        onStrategicList: false,
        annualRevenue: 149_999_999.99,
        totalAssets: 200_000_000,
        reducedLargeThresholdIndustry: true,
      },
      expectedTier: 'MEDIUM',
    },
    {
      name: '营收 3,000 万、资产 4,000 万 → 中型 / exactly at both small-enterprise limits',
      facts: {
        hasLoans: true,
        customerClass: 'corporate',
        corporateSegment: 'traditional',
        onStrategicList: false,
        annualRevenue: 30_000_000,
        totalAssets: 40_000_000,
        reducedLargeThresholdIndustry: false,
      },
      expectedTier: 'MEDIUM',
    },
    {
      name: '资产差一分钱 → 小企业 / total assets one cent below the limit',
      facts: {
        hasLoans: true,
        customerClass: 'corporate',
        corporateSegment: 'traditional',
        onStrategicList: false,
        annualRevenue: 80_000_000,
        totalAssets: 39_999_999.99,
        reducedLargeThresholdIndustry: false,
      },
      expectedTier: 'SMALL',
    },
    {
      name: '新兴市场 → 新兴市场 / emerging-market corporate',
      facts: { hasLoans: true, customerClass: 'corporate', corporateSegment: 'emerging', onStrategicList: false, annualRevenue: 500_000_000 },
      expectedTier: 'EMERGING',
    },
    {
      name: '房地产 → 房地产 / real-estate corporate',
      facts: { hasLoans: true, customerClass: 'corporate', corporateSegment: 'realEstate', onStrategicList: false, annualRevenue: 500_000_000 },
      expectedTier: 'REAL_ESTATE',
    },
    { name: '机构类 → 机构类 / institutional', facts: { hasLoans: true, customerClass: 'institutional' }, expectedTier: 'INSTITUTIONAL' },
    {
      name: '无贷户存款恰好 500,000 → 规模以上 / no loans, deposits exactly 500,000',
      facts: { hasLoans: false, avgDailyDeposits: 500_000 },
      expectedTier: 'ABOVE_SCALE',
    },
    {
      name: '无贷户存款 499,999.99 → 规模以下 / no loans, deposits one cent below',
      facts: { hasLoans: false, avgDailyDeposits: 499_999.99 },
      expectedTier: 'BELOW_SCALE',
    },
    { name: '有贷户缺客户类别 → 不评级 / with loans but no class → not rated', facts: { hasLoans: true, annualRevenue: 500_000_000 }, expectedTier: null },
  ],
};
