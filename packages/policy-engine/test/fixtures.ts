import type { FactDefinition, PolicyDefinition } from '../src';

export const cardFacts: FactDefinition[] = [
  { key: 'avgDailyAssets', label: '日均综合金融资产', labelEn: 'Average daily total financial assets', type: 'number', unit: 'CNY' },
  { key: 'familyAvgDailyAssets', label: '家庭日均综合金融资产', labelEn: 'Family average daily assets', type: 'number', unit: 'CNY' },
  { key: 'starPoints', label: '星点值', labelEn: 'Star points', type: 'integer' },
  { key: 'region', label: '地区', labelEn: 'Region', type: 'enum', enumValues: ['north', 'south', 'east'] },
  { key: 'name', label: '姓名', type: 'string' },
  { key: 'vip', label: '贵宾', labelEn: 'VIP', type: 'boolean' },
  { key: 'tags', label: '标签', labelEn: 'Tags', type: 'string[]' },
  { key: 'openedOn', label: '开户日期', labelEn: 'Account opened', type: 'date' },
  { key: 'lastVisit', label: '最近到访', labelEn: 'Last visit', type: 'date' },
];

const gte = (fact: string, value: number) => ({ fact, operator: 'greaterThanInclusive', value });

/** The 兴业银行 card ladder: personal OR family average. */
export const cardLadder: PolicyDefinition = {
  schemaVersion: 1,
  tiers: [
    {
      key: 'BLACK',
      name: '黑金客户',
      nameEn: 'Black Gold',
      benefitPackage: 'cib-black',
      when: { any: [gte('avgDailyAssets', 1_000_000), gte('familyAvgDailyAssets', 800_000)] },
    },
    {
      key: 'PLATINUM',
      name: '白金客户',
      nameEn: 'Platinum',
      benefitPackage: 'cib-platinum',
      when: { any: [gte('avgDailyAssets', 300_000), gte('familyAvgDailyAssets', 250_000)] },
    },
    {
      key: 'GOLD',
      name: '金卡客户',
      nameEn: 'Gold',
      benefitPackage: 'cib-gold',
      when: { any: [gte('avgDailyAssets', 100_000), gte('familyAvgDailyAssets', 80_000)] },
    },
    { key: 'SILVER', name: '银卡客户', nameEn: 'Silver', benefitPackage: 'cib-silver' },
  ],
};

export const govFacts: FactDefinition[] = [
  { key: 'historyScore', label: '历史销售评分', labelEn: 'History score', type: 'number' },
  { key: 'forecastScore', label: '预计销售评分', labelEn: 'Forecast score', type: 'number' },
  { key: 'twoYearShareReached', label: '两年累计销售达标', labelEn: 'Two-year sales share reached', type: 'boolean' },
  { key: 'hasNeed', label: '有需求', labelEn: 'Has a need', type: 'boolean' },
  { key: 'hasBudget', label: '有预算', labelEn: 'Has a budget', type: 'boolean' },
];

/** The government customer scorecard: (history×50% + forecast×50%) × 1.05 when the 2-year share is reached. */
export const govPolicy: PolicyDefinition = {
  schemaVersion: 1,
  eligibility: {
    all: [
      { fact: 'hasNeed', operator: 'equal', value: true },
      { fact: 'hasBudget', operator: 'equal', value: true },
    ],
  },
  scores: [
    {
      key: 'govScore',
      label: '客户评分',
      labelEn: 'Customer score',
      components: [
        { label: '历史销售', fact: 'historyScore', weight: 0.5 },
        { label: '预计销售', fact: 'forecastScore', weight: 0.5 },
      ],
      multipliers: [{ label: '两年累计销售加成', factor: 1.05, when: { all: [{ fact: 'twoYearShareReached', operator: 'equal', value: true }] } }],
      round: 2,
    },
  ],
  tiers: [
    { key: 'A', name: 'A 级', nameEn: 'Grade A', when: { all: [gte('govScore', 80)] } },
    { key: 'B', name: 'B 级', nameEn: 'Grade B', when: { all: [gte('govScore', 60)] } },
    { key: 'C', name: 'C 级', nameEn: 'Grade C' },
  ],
};
