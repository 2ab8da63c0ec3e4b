/**
 * 兴业银行「自然人生」家庭财富卡 — retail card tiers (tiering-schemes.md §1).
 * Highest matching tier wins: personal OR family-average assets.
 */
import type { Benefit, FactDefinition, PolicyTemplate } from '../types';
import { avgDailyAssets, familyAvgDailyAssets } from './facts';
import { any, eq, gte, ref } from './helpers';

export const hasValidId: FactDefinition = {
  key: 'hasValidId',
  label: '持有有效身份证件',
  labelEn: 'Holds a valid ID',
  type: 'boolean',
  description: '客户已提供有效身份证件。The customer has presented a valid identity document.',
};

/** Every benefit the source lists for the four cards; unit costs are illustrative (CNY per customer per year). */
export const cibBenefits = {
  familyAdvisor: { key: 'cib-family-wealth-advisor', name: '家庭理财顾问', nameEn: 'Family wealth advisor', unitCost: 3000 },
  golf: { key: 'cib-golf', name: '时尚高尔夫行', nameEn: 'Golf outings', unitCost: 2000 },
  airportVip: { key: 'cib-airport-vip', name: '机场贵宾服务', nameEn: 'Airport VIP lounge', unitCost: 1200 },
  roadside: { key: 'cib-roadside-assistance', name: '全国道路救援', nameEn: 'Nationwide roadside assistance', unitCost: 300 },
  smsAlerts: { key: 'cib-sms-alerts', name: '免费精灵信使', nameEn: 'Free SMS account alerts', unitCost: 24 },
  greenChannel: { key: 'cib-green-channel', name: '绿色通道服务', nameEn: 'Green-channel priority service', unitCost: 200 },
  personalCare: { key: 'cib-personal-care', name: '贴心人文关怀', nameEn: 'Personal care', unitCost: 500 },
  travelInsurance: { key: 'cib-travel-insurance', name: '附赠商旅保险', nameEn: 'Complimentary travel insurance', unitCost: 150 },
  emergencyPayment: { key: 'cib-emergency-payment', name: '应急支付支持', nameEn: 'Emergency payment support', unitCost: 100 },
  dedicatedRm: { key: 'cib-dedicated-rm', name: '专属客户经理', nameEn: 'Dedicated relationship manager', unitCost: 800 },
  platinumPrivileges: { key: 'cib-platinum-privileges', name: '白金卡尊贵礼遇', nameEn: 'Platinum card privileges', unitCost: 600 },
  reminders: { key: 'cib-reminders', name: '各项贴心提醒服务', nameEn: 'Reminder services', unitCost: 20 },
  priorityHandling: { key: 'cib-priority-handling', name: '业务优先办理', nameEn: 'Priority handling', unitCost: 100 },
  basicService: { key: 'cib-basic-service', name: '基础服务', nameEn: 'Basic service', unitCost: 10 },
} satisfies Record<string, Benefit>;

const b = cibBenefits;

export const cibCardTemplate: PolicyTemplate = {
  key: 'cib-card',
  name: '兴业银行家庭财富卡分级',
  nameEn: 'CIB family wealth card tiers',
  description: [
    '按日均综合金融资产（本人或家庭卡平均）分四级，取最高满足的等级：黑金卡 本人 ≥ 1,000,000 或家庭 ≥ 800,000；白金卡 ≥ 300,000 或 ≥ 250,000；金卡 ≥ 100,000 或 ≥ 80,000；银卡 凭有效身份证件。',
    '边界选择：来源写作「≥」，故所有门槛含下限（恰好 1,000,000 为黑金，999,999.99 不是）。未持有效身份证件者不评级（资格条件 hasValidId = true）。家庭资产缺失（无家庭卡）时只看本人资产。',
    '权益均取自来源；unitCost（元/人/年）为示例估算，仅用于模拟中的权益成本。',
    'Four card tiers on average daily total financial assets, personal or family-card average, highest match wins: Black Gold personal ≥ 1,000,000 or family ≥ 800,000; Platinum ≥ 300,000 or ≥ 250,000; Gold ≥ 100,000 or ≥ 80,000; Silver: anyone with a valid ID.',
    'Boundary choice: the source says "≥", so every threshold includes its lower bound (exactly 1,000,000 is Black Gold, 999,999.99 is not). A customer without a valid ID is not rated (eligibility hasValidId = true). A missing family average (no family card) means only personal assets count.',
    "All benefits are from the source; the unit costs (CNY per customer per year) are illustrative estimates for the simulation's benefit bill.",
  ].join('\n'),
  facts: [avgDailyAssets, familyAvgDailyAssets, hasValidId],
  benefits: Object.values(cibBenefits),
  benefitPackages: [
    {
      key: 'cib-black',
      name: '黑金卡权益',
      nameEn: 'Black Gold card benefits',
      benefits: [
        b.familyAdvisor.key,
        b.golf.key,
        b.airportVip.key,
        b.roadside.key,
        b.smsAlerts.key,
        b.greenChannel.key,
        b.personalCare.key,
        b.travelInsurance.key,
        b.emergencyPayment.key,
      ],
    },
    {
      key: 'cib-platinum',
      name: '白金卡权益',
      nameEn: 'Platinum card benefits',
      benefits: [b.dedicatedRm.key, b.greenChannel.key, b.platinumPrivileges.key, b.travelInsurance.key, b.golf.key, b.smsAlerts.key, b.airportVip.key],
    },
    {
      key: 'cib-gold',
      name: '金卡权益',
      nameEn: 'Gold card benefits',
      benefits: [b.dedicatedRm.key, b.smsAlerts.key, b.personalCare.key, b.reminders.key, b.priorityHandling.key],
    },
    { key: 'cib-silver', name: '银卡权益', nameEn: 'Silver card benefits', benefits: [b.basicService.key] },
  ],
  versions: [
    {
      changeNote: '初始版本：按来源的四级卡门槛（含下限）。Initial version: the four card thresholds from the source, lower bounds inclusive.',
      definition: {
        schemaVersion: 1,
        eligibility: { all: [eq('hasValidId', true)] },
        conditions: {
          blackGoldAssets: any(gte('avgDailyAssets', 1_000_000), gte('familyAvgDailyAssets', 800_000)),
          platinumAssets: any(gte('avgDailyAssets', 300_000), gte('familyAvgDailyAssets', 250_000)),
          goldAssets: any(gte('avgDailyAssets', 100_000), gte('familyAvgDailyAssets', 80_000)),
        },
        tiers: [
          {
            key: 'BLACK',
            name: '重要客户（黑金卡）',
            nameEn: 'Key customer (Black Gold card)',
            benefitPackage: 'cib-black',
            when: ref('blackGoldAssets'),
          },
          {
            key: 'PLATINUM',
            name: '主要客户（白金卡）',
            nameEn: 'Major customer (Platinum card)',
            benefitPackage: 'cib-platinum',
            when: ref('platinumAssets'),
          },
          {
            key: 'GOLD',
            name: '普通客户（金卡）',
            nameEn: 'Ordinary customer (Gold card)',
            benefitPackage: 'cib-gold',
            when: ref('goldAssets'),
          },
          { key: 'SILVER', name: '小客户（银卡）', nameEn: 'Small customer (Silver card)', benefitPackage: 'cib-silver' },
        ],
      },
    },
  ],
  testCases: [
    { name: '本人资产恰好 1,000,000 → 黑金 / personal exactly 1,000,000', facts: { hasValidId: true, avgDailyAssets: 1_000_000 }, expectedTier: 'BLACK' },
    { name: '本人资产 999,999.99 → 白金 / personal one cent below', facts: { hasValidId: true, avgDailyAssets: 999_999.99 }, expectedTier: 'PLATINUM' },
    {
      name: '家庭资产恰好 800,000 → 黑金 / family exactly 800,000',
      facts: { hasValidId: true, avgDailyAssets: 50_000, familyAvgDailyAssets: 800_000 },
      expectedTier: 'BLACK',
    },
    {
      name: '家庭资产 799,999.99 → 白金 / family one cent below',
      facts: { hasValidId: true, avgDailyAssets: 50_000, familyAvgDailyAssets: 799_999.99 },
      expectedTier: 'PLATINUM',
    },
    { name: '本人 300,000 → 白金 / personal exactly 300,000', facts: { hasValidId: true, avgDailyAssets: 300_000 }, expectedTier: 'PLATINUM' },
    {
      name: '家庭 249,999.99 → 金卡 / family one cent below 250,000',
      facts: { hasValidId: true, avgDailyAssets: 0, familyAvgDailyAssets: 249_999.99 },
      expectedTier: 'GOLD',
    },
    { name: '本人 100,000 → 金卡 / personal exactly 100,000', facts: { hasValidId: true, avgDailyAssets: 100_000 }, expectedTier: 'GOLD' },
    {
      name: '本人 99,999.99 → 银卡 / personal one cent below 100,000',
      facts: { hasValidId: true, avgDailyAssets: 99_999.99, familyAvgDailyAssets: 79_999.99 },
      expectedTier: 'SILVER',
    },
    { name: '家庭 80,000 → 金卡 / family exactly 80,000', facts: { hasValidId: true, avgDailyAssets: 0, familyAvgDailyAssets: 80_000 }, expectedTier: 'GOLD' },
    { name: '无有效证件 → 不评级 / no valid ID → not rated', facts: { hasValidId: false, avgDailyAssets: 2_000_000 }, expectedTier: null },
  ],
};
