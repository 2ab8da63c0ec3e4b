/**
 * 工商银行 星级客户 — star levels by star points (tiering-schemes.md §2), shipped as two versions:
 * before 2021-05-01 the points came from the last six months' business volume, from 2021-05-01
 * from the previous month's average daily financial assets.
 */
import type { Benefit, FactDefinition, PolicyDefinition, PolicyTemplate, Scorecard } from '../types';
import { gt, gte } from './helpers';

export const businessVolume6m: FactDefinition = {
  key: 'businessVolume6m',
  label: '近六个月业务量',
  labelEn: 'Business volume, last six months',
  type: 'number',
  unit: 'CNY',
  description:
    "客户近六个月在本行的业务量（元），2021-05-01 前的星级依据。The customer's business volume with the bank over the last six months, in CNY: the basis of the star level before 2021-05-01.",
};

export const prevMonthAvgDailyAssets: FactDefinition = {
  key: 'prevMonthAvgDailyAssets',
  label: '上月日均金融资产',
  labelEn: "Previous month's average daily financial assets",
  type: 'number',
  unit: 'CNY',
  description:
    "客户上月日均金融资产（元），自 2021-05-01 起的星级依据。The customer's average daily financial assets in the previous month, in CNY: the basis of the star level from 2021-05-01.",
};

const icbcBenefits = {
  vipChannel: { key: 'icbc-vip-channel', name: '专属贵宾通道', nameEn: 'Exclusive VIP channel', unitCost: 300 },
  feeDiscounts: { key: 'icbc-fee-discounts', name: '专享费用优惠', nameEn: 'Exclusive fee discounts', unitCost: 200 },
  expertAdvice: { key: 'icbc-expert-advice', name: '专家理财服务', nameEn: 'Expert wealth management advice', unitCost: 800 },
  exclusiveProducts: { key: 'icbc-exclusive-products', name: '专供理财产品', nameEn: 'Exclusive wealth products', unitCost: 50 },
  accountManagement: { key: 'icbc-account-management', name: '专业账户管理', nameEn: 'Professional account management', unitCost: 100 },
  exclusiveEvents: { key: 'icbc-exclusive-events', name: '专有精彩活动', nameEn: 'Exclusive events', unitCost: 300 },
  goldCreditCard: { key: 'icbc-gold-credit-card', name: '可申请信用卡金卡', nameEn: 'Eligible to apply for a gold credit card', unitCost: 100 },
  standardService: {
    key: 'icbc-standard-service',
    name: '标准星级服务',
    nameEn: 'Standard star-level service',
    unitCost: 10,
    description: '来源未列出五星以下的权益；示例 / the source lists no benefits below five stars: illustrative',
  },
} satisfies Record<string, Benefit>;

const i = icbcBenefits;
const POINTS_PER_CNY = 0.01; // 1 star point per 100 CNY: an assumption, the source gives no conversion.

/** Star levels by points; lower bounds inclusive (含), as the source says. */
const starTiers = (): PolicyDefinition['tiers'] => [
  { key: 'SEVEN', name: '七星级', nameEn: 'Seven-star', benefitPackage: 'icbc-five-star-plus', when: { all: [gte('starPoints', 80_000)] } },
  { key: 'SIX', name: '六星级', nameEn: 'Six-star', benefitPackage: 'icbc-five-star-plus', when: { all: [gte('starPoints', 10_000)] } },
  { key: 'FIVE', name: '五星级', nameEn: 'Five-star', benefitPackage: 'icbc-five-star-plus', when: { all: [gte('starPoints', 2_000)] } },
  { key: 'FOUR', name: '四星级', nameEn: 'Four-star', benefitPackage: 'icbc-standard', when: { all: [gte('starPoints', 500)] } },
  { key: 'THREE', name: '三星级', nameEn: 'Three-star', benefitPackage: 'icbc-standard', when: { all: [gte('starPoints', 50)] } },
  { key: 'QUASI', name: '准星级', nameEn: 'Quasi-star', benefitPackage: 'icbc-standard' },
];

function starPointsFrom(fact: string, label: string): Scorecard {
  return {
    key: 'starPoints',
    label: '星点值',
    labelEn: 'Star points',
    components: [{ label, fact, weight: POINTS_PER_CNY }],
    round: 4,
  };
}

function starDefinition(score: Scorecard): PolicyDefinition {
  return {
    schemaVersion: 1,
    // star points of 0 → not rated at all
    eligibility: { all: [gt('starPoints', 0)] },
    scores: [score],
    // each version owns its tiers (definitions are plain trees, never shared between versions)
    tiers: starTiers(),
  };
}

/** Facts for one boundary, given as both bases so every test case holds in both versions. */
const basis = (cny: number) => ({ businessVolume6m: cny, prevMonthAvgDailyAssets: cny });

export const icbcStarTemplate: PolicyTemplate = {
  key: 'icbc-star',
  name: '工商银行星级客户',
  nameEn: 'ICBC star levels',
  description: [
    '按星点值定级：七星 ≥ 80,000；六星 10,000–80,000；五星 2,000–10,000；四星 500–2,000；三星 50–500；准星级 0–50（不含 0）；星点值为 0 不评级。下限含（来源明示）。',
    '边界选择：来源未给出三星与准星级的下限，本模板取三星 ≥ 50、准星级 > 0（与工行公开口径一致）；来源说七个等级但只列出六个，本模板建这六个。',
    '星点值由评分卡计算：来源未给出折算方式，本模板假设每 100 元折 1 星点（权重 0.01，保留 4 位小数，使「差一分钱」不会被进位到上一级）。版本 1（2021-05-01 前）以近六个月业务量计，版本 2（2021-05-01 起）以上月日均金融资产计；版本 1 的起始日期来源未给，2010-01-01 为占位。',
    '五星及以上享「六专」理财金账户权益并可申请信用卡金卡（均取自来源）；五星以下的「标准星级服务」为示例。unitCost 为示例估算（元/人/年）。',
    'Levels by star points: 7 ≥ 80,000; 6: 10,000–80,000; 5: 2,000–10,000; 4: 500–2,000; 3: 50–500; quasi-star: above 0 and below 50; 0 points → not rated. Lower bounds are inclusive (the source says so).',
    "Boundary choice: the source gives no lower bounds for three-star and quasi-star; this template uses three-star ≥ 50 and quasi-star > 0 (the bank's public figures). The source speaks of seven levels but names six; the template has those six.",
    "Star points come from a scorecard. The source gives no conversion; the template assumes 1 point per 100 CNY (weight 0.01, rounded to 4 decimals so one cent below a boundary never rounds up into the next level). Version 1 (before 2021-05-01) scores the last six months' business volume, version 2 (from 2021-05-01) the previous month's average daily financial assets; version 1's start date is not in the source, 2010-01-01 is a placeholder.",
    'Five stars and above get the six "六专" wealth-account benefits and may apply for a gold credit card (from the source); the "standard" package below five stars is illustrative. Unit costs (CNY per customer per year) are illustrative.',
  ].join('\n'),
  facts: [businessVolume6m, prevMonthAvgDailyAssets],
  benefits: Object.values(icbcBenefits),
  benefitPackages: [
    {
      key: 'icbc-five-star-plus',
      name: '五星及以上：六专权益与信用卡金卡',
      nameEn: 'Five stars and above: the six exclusives and a gold credit card',
      benefits: [
        i.vipChannel.key,
        i.feeDiscounts.key,
        i.expertAdvice.key,
        i.exclusiveProducts.key,
        i.accountManagement.key,
        i.exclusiveEvents.key,
        i.goldCreditCard.key,
      ],
    },
    { key: 'icbc-standard', name: '标准星级服务', nameEn: 'Standard star-level service', benefits: [i.standardService.key] },
  ],
  versions: [
    {
      effectiveFrom: '2010-01-01T00:00:00+08:00',
      changeNote: [
        '版本 1：星点值按近六个月业务量计（每 100 元 1 星点，折算为假设）。起始日期为占位。',
        "Version 1: star points from the last six months' business volume (1 point per 100 CNY, an assumed conversion). The start date is a placeholder.",
      ].join('\n'),
      definition: starDefinition(starPointsFrom('businessVolume6m', '近六个月业务量')),
    },
    {
      effectiveFrom: '2021-05-01T00:00:00+08:00',
      changeNote: [
        '版本 2（2021-05-01 起）：不再按近六个月业务量，改按上月日均金融资产计星点值；星级门槛不变。来源称各地区分批上线，本模板以单一生效日期表示，需要分地区时请按地区分别发布。',
        "Version 2 (from 2021-05-01): star points no longer come from the last six months' business volume but from the previous month's average daily financial assets; the level thresholds are unchanged. The source says the change rolled out region by region; the template uses one effective date: publish per region where that matters.",
      ].join('\n'),
      definition: starDefinition(starPointsFrom('prevMonthAvgDailyAssets', '上月日均金融资产')),
    },
  ],
  testCases: [
    { name: '星点值恰好 80,000 → 七星 / exactly 80,000 points', facts: basis(8_000_000), expectedTier: 'SEVEN' },
    { name: '差一分钱 → 六星 / one cent below 80,000 points', facts: basis(7_999_999.99), expectedTier: 'SIX' },
    { name: '恰好 10,000 → 六星 / exactly 10,000 points', facts: basis(1_000_000), expectedTier: 'SIX' },
    { name: '恰好 2,000 → 五星 / exactly 2,000 points', facts: basis(200_000), expectedTier: 'FIVE' },
    { name: '1,999.9999 → 四星 / one cent below 2,000 points', facts: basis(199_999.99), expectedTier: 'FOUR' },
    { name: '恰好 500 → 四星 / exactly 500 points', facts: basis(50_000), expectedTier: 'FOUR' },
    { name: '恰好 50 → 三星 / exactly 50 points', facts: basis(5_000), expectedTier: 'THREE' },
    { name: '49.9999 → 准星级 / one cent below 50 points', facts: basis(4_999.99), expectedTier: 'QUASI' },
    { name: '星点值 0 → 不评级 / 0 points → not rated', facts: basis(0), expectedTier: null },
  ],
};
