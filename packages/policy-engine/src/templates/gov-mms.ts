/**
 * 政府类客户分级（2010 版）— government customers of a software vendor (tiering-schemes.md §5),
 * MMS product line. Each product line has its own rating system: copy this template per line
 * (see `createGovernmentTemplate`), never share one policy between lines.
 */
import type { Benefit, FactDefinition, PolicyTemplate } from '../types';
import { all, eq, gte } from './helpers';

const facts: Record<string, FactDefinition> = {
  hasProductNeed: {
    key: 'hasProductNeed',
    label: '有产品需求',
    labelEn: 'Needs the product',
    type: 'boolean',
    description: '立项四要素之一：客户对本产品有需求。One of the four project criteria: the customer needs the product.',
  },
  budgetFitsPricePolicy: {
    key: 'budgetFitsPricePolicy',
    label: '本年预算符合价格政策',
    labelEn: 'Budget this year fits the price policy',
    type: 'boolean',
    description: '立项四要素之一：本年有预算且符合价格政策。One of the four project criteria: a budget this year that fits the price policy.',
  },
  hasImplementationTimetable: {
    key: 'hasImplementationTimetable',
    label: '本年有实施时间表',
    labelEn: 'Implementation timetable this year',
    type: 'boolean',
    description: '立项四要素之一：本年有实施时间表。One of the four project criteria: an implementation timetable this year.',
  },
  knowsDecisionMakers: {
    key: 'knowsDecisionMakers',
    label: '决策人与影响人明确',
    labelEn: 'Decision maker and influencers known',
    type: 'boolean',
    description: '立项四要素之一：已知决策人和影响人。One of the four project criteria: the decision maker and the influencers are known.',
  },
  historyScore: {
    key: 'historyScore',
    label: '历史销售评分',
    labelEn: 'History score',
    type: 'number',
    unit: 'points',
    description: '历史销售评分，0–100。Score for past sales, 0–100.',
  },
  forecastScore: {
    key: 'forecastScore',
    label: '预计销售评分',
    labelEn: 'Forecast score',
    type: 'number',
    unit: 'points',
    description: '预计销售评分，0–100。Score for forecast sales, 0–100.',
  },
  salesShare2yPct: {
    key: 'salesShare2yPct',
    label: '近两年累计销售占比',
    labelEn: 'Cumulative 2-year sales share',
    type: 'number',
    unit: '%',
    description:
      "客户近两年累计销售额占本产品线近两年销售总额的百分比。The customer's cumulative sales over the last two years as a percentage of the product line's sales over the same period.",
  },
};

/** The multiplier applies when the 2-year sales share is at least this many percent (our choice). */
export const GOV_SALES_SHARE_PCT = 5;

const illustrative = '来源：按等级分配资源；具体项目与成本为示例 / source: resources allocated by grade; items and costs illustrative';

/** The four project criteria, all met (for test cases). */
const criteria = {
  hasProductNeed: true,
  budgetFitsPricePolicy: true,
  hasImplementationTimetable: true,
  knowsDecisionMakers: true,
};

export interface GovernmentProductLine {
  /** Key suffix, e.g. `mms`. */
  key: string;
  name: string;
  nameEn: string;
}

/** The product lines the source names; each one gets its own policy. */
export const governmentProductLines: GovernmentProductLine[] = [
  { key: 'mms', name: 'MMS', nameEn: 'MMS' },
  { key: 'city-management', name: '城市管理', nameEn: 'City management' },
  { key: 'police', name: '公安', nameEn: 'Police' },
  { key: 'digital-city', name: '数字城市', nameEn: 'Digital city' },
  { key: 'transport', name: '交通', nameEn: 'Transport' },
  { key: 'emergency', name: '应急', nameEn: 'Emergency' },
  { key: 'tourism', name: '旅游', nameEn: 'Tourism' },
];

/**
 * The government rating template for one product line. Facts are shared (one catalog), while
 * the policy, benefits and packages are per line, keyed `gov-<line>`.
 */
export function createGovernmentTemplate(line: GovernmentProductLine): PolicyTemplate {
  const p = `gov-${line.key}`;
  const benefits = {
    topSales: { key: `${p}-top-sales`, name: '最优秀销售人员专人负责', nameEn: 'Best sales staff assigned', unitCost: 50000, description: illustrative },
    executiveVisits: { key: `${p}-executive-visits`, name: '高层拜访', nameEn: 'Executive visits', unitCost: 10000, description: illustrative },
    priorityBudget: { key: `${p}-priority-budget`, name: '重点市场预算', nameEn: 'Priority sales budget', unitCost: 30000, description: illustrative },
    presales: { key: `${p}-presales`, name: '售前技术支持', nameEn: 'Pre-sales engineering support', unitCost: 20000, description: illustrative },
    seniorSales: { key: `${p}-senior-sales`, name: '资深销售跟进', nameEn: 'Senior sales follow-up', unitCost: 20000, description: illustrative },
    standardBudget: { key: `${p}-standard-budget`, name: '标准市场预算', nameEn: 'Standard sales budget', unitCost: 10000, description: illustrative },
    regularSales: { key: `${p}-regular-sales`, name: '销售定期跟进', nameEn: 'Regular sales follow-up', unitCost: 8000, description: illustrative },
    remoteCare: { key: `${p}-remote-care`, name: '电话与邮件维护', nameEn: 'Phone and e-mail account care', unitCost: 1000, description: illustrative },
  } satisfies Record<string, Benefit>;
  const b = benefits;
  return {
    key: p,
    name: `政府类客户分级（${line.name} 产品线）`,
    nameEn: `Government customer grades (${line.nameEn} product line)`,
    description: [
      `${line.name} 产品线的政府客户分级。来源要求各产品线（MMS、城市管理、公安、数字城市、交通、应急、旅游）分别评级、不得共用一套评级体系：其他产品线请各建一条策略（createGovernmentTemplate 按产品线生成）。`,
      '只有满足立项四要素（有需求、本年预算符合价格政策、本年有实施时间表、决策人与影响人明确）的客户才评级，其余不评级。得分 =（历史评分 × 50% + 预计评分 × 50%），近两年累计销售占比 ≥ 5%（本模板选择，含）时 × 1.05，保留两位小数；来源示例 (90 × 50% + 70 × 50%) × 1.05 = 84。',
      '等级边界（本模板选择，均含下限）：A ≥ 90；B 75–90（≥ 75）；C 60–75（≥ 60）；D < 60。来源示例 84 分为 B。评级周期：每年一次，1 月 1 日前完成；各区域每月更新。',
      '来源仅说明按等级分配资源（优秀销售人员、时间、预算）：权益包中的具体项目与 unitCost（元/客户/年）为示例。',
      `Government customers of the ${line.nameEn} product line. The source requires each product line (MMS, city management, police, digital city, transport, emergency, tourism) to be rated separately, never with one shared rating system: create one policy per line (createGovernmentTemplate builds it).`,
      "Only customers that meet the four project criteria (a need for the product; a budget this year that fits the price policy; an implementation timetable this year; known decision maker and influencers) are rated. Score = history × 50% + forecast × 50%, × 1.05 when the cumulative 2-year sales share is ≥ 5% (this template's choice, inclusive), rounded to 2 decimals; the source's example (90 × 50% + 70 × 50%) × 1.05 = 84.",
      "Grade bands (this template's choice, lower bounds inclusive): A ≥ 90; B 75–90 (≥ 75); C 60–75 (≥ 60); D below 60. The source's example, 84, is a B. Rating cycle: once a year, finished before 1 January; regions update monthly.",
      'The source only says resources (best sales staff, time, budget) are allocated by grade: the package items and their unit costs (CNY per customer per year) are illustrative.',
    ].join('\n'),
    facts: Object.values(facts),
    benefits: Object.values(benefits),
    benefitPackages: [
      { key: `${p}-a`, name: 'A 级资源', nameEn: 'Grade A resources', benefits: [b.topSales.key, b.executiveVisits.key, b.priorityBudget.key, b.presales.key] },
      { key: `${p}-b`, name: 'B 级资源', nameEn: 'Grade B resources', benefits: [b.seniorSales.key, b.standardBudget.key, b.presales.key] },
      { key: `${p}-c`, name: 'C 级资源', nameEn: 'Grade C resources', benefits: [b.regularSales.key] },
      { key: `${p}-d`, name: 'D 级资源', nameEn: 'Grade D resources', benefits: [b.remoteCare.key] },
    ],
    versions: [
      {
        changeNote:
          '初始版本（2010 版）：立项四要素准入，历史与预计各 50%，两年累计销售占比 ≥ 5% 加成 1.05。Initial version (2010 edition): four project criteria, history and forecast 50% each, × 1.05 at a 2-year sales share ≥ 5%.',
        definition: {
          schemaVersion: 1,
          eligibility: all(
            eq('hasProductNeed', true),
            eq('budgetFitsPricePolicy', true),
            eq('hasImplementationTimetable', true),
            eq('knowsDecisionMakers', true),
          ),
          scores: [
            {
              key: 'govScore',
              label: '客户评分',
              labelEn: 'Customer score',
              components: [
                { label: '历史销售', fact: 'historyScore', weight: 0.5 },
                { label: '预计销售', fact: 'forecastScore', weight: 0.5 },
              ],
              multipliers: [{ label: '两年累计销售加成', factor: 1.05, when: all(gte('salesShare2yPct', GOV_SALES_SHARE_PCT)) }],
              round: 2,
            },
          ],
          tiers: [
            { key: 'A', name: 'A 级客户', nameEn: 'Grade A', benefitPackage: `${p}-a`, when: all(gte('govScore', 90)) },
            { key: 'B', name: 'B 级客户', nameEn: 'Grade B', benefitPackage: `${p}-b`, when: all(gte('govScore', 75)) },
            { key: 'C', name: 'C 级客户', nameEn: 'Grade C', benefitPackage: `${p}-c`, when: all(gte('govScore', 60)) },
            { key: 'D', name: 'D 级客户', nameEn: 'Grade D', benefitPackage: `${p}-d` },
          ],
        },
      },
    ],
    testCases: [
      {
        name: '来源示例 90/70 加成 → 84 → B / worked example',
        facts: { ...criteria, historyScore: 90, forecastScore: 70, salesShare2yPct: 5 },
        expectedTier: 'B',
      },
      {
        name: '90/70 无加成 → 80 → B / worked example without the multiplier',
        facts: { ...criteria, historyScore: 90, forecastScore: 70, salesShare2yPct: 4.99 },
        expectedTier: 'B',
      },
      { name: '恰好 90 → A / exactly 90', facts: { ...criteria, historyScore: 90, forecastScore: 90, salesShare2yPct: 0 }, expectedTier: 'A' },
      { name: '89.99 → B / just below 90', facts: { ...criteria, historyScore: 90, forecastScore: 89.98, salesShare2yPct: 0 }, expectedTier: 'B' },
      {
        name: '加成后跨入 A：86 × 1.05 = 90.3 / the multiplier lifts into A',
        facts: { ...criteria, historyScore: 86, forecastScore: 86, salesShare2yPct: 20 },
        expectedTier: 'A',
      },
      { name: '恰好 75 → B / exactly 75', facts: { ...criteria, historyScore: 75, forecastScore: 75, salesShare2yPct: 0 }, expectedTier: 'B' },
      { name: '恰好 60 → C / exactly 60', facts: { ...criteria, historyScore: 60, forecastScore: 60, salesShare2yPct: 0 }, expectedTier: 'C' },
      { name: '59.99 → D / just below 60', facts: { ...criteria, historyScore: 60, forecastScore: 59.98, salesShare2yPct: 0 }, expectedTier: 'D' },
      {
        name: '缺预算要素 → 不评级 / a project criterion missing → not rated',
        facts: { ...criteria, budgetFitsPricePolicy: false, historyScore: 100, forecastScore: 100, salesShare2yPct: 50 },
        expectedTier: null,
      },
    ],
  };
}

export const govMmsTemplate: PolicyTemplate = createGovernmentTemplate(governmentProductLines[0]);
