/**
 * 汽车 4S 店基盘客户忠诚度分级 — car dealer installed-base customers (tiering-schemes.md §4):
 * a 10-point loyalty scorecard, then 优质 / 潜力 / 一般 by score band.
 */
import type { Benefit, FactDefinition, PolicyTemplate } from '../types';
import { ageBand, district, industry } from './facts';
import { all, eq, gte } from './helpers';

const facts: Record<string, FactDefinition> = {
  complaintStatus: {
    key: 'complaintStatus',
    label: '车辆满意度（投诉情况）',
    labelEn: 'Satisfaction with the car (complaints)',
    type: 'enum',
    enumValues: ['none', 'resolved', 'unresolved'],
    description:
      '对质量或人员的投诉：none 无投诉（2 分），resolved 已解决（1 分），unresolved 未解决（0 分）。Complaints about quality or staff: none (2 points), resolved (1 point), unresolved (0 points).',
  },
  regularMaintenance: {
    key: 'regularMaintenance',
    label: '定期回店保养',
    labelEn: 'Regular maintenance at the dealer',
    type: 'boolean',
    description: '按期在本店保养（3 分）。Has the car serviced at the dealer on schedule (3 points).',
  },
  activityParticipation: {
    key: 'activityParticipation',
    label: '参与活动',
    labelEn: 'Takes part in activities',
    type: 'boolean',
    description: '参加店内活动、带人参加、配合工作（2 分）。Attends events, brings buyers along, cooperates (2 points).',
  },
  positiveWordOfMouth: {
    key: 'positiveWordOfMouth',
    label: '正面口碑',
    labelEn: 'Positive word of mouth',
    type: 'boolean',
    description: '转介绍及转介绍成交、优先提供购车线索（3 分）。Refers buyers and referral deals, passes on leads first (3 points).',
  },
  carModel: {
    key: 'carModel',
    label: '车型',
    labelEn: 'Car model',
    type: 'string',
    description: '客户所购车型，用于按车型统计。The car model the customer bought, for reports by model.',
  },
  economicCapacity: {
    key: 'economicCapacity',
    label: '经济能力',
    labelEn: 'Economic capacity',
    type: 'enum',
    enumValues: ['high', 'medium', 'low'],
    description:
      '第二维度经济能力（高/中/低），来源未给出规则，仅用于统计。The second dimension, economic capacity (high / medium / low); the source gives no rule for it, so it is used in reports only.',
  },
};

const illustrative = '示例权益 / illustrative';
const dealerBenefits = {
  freeService: { key: 'dealer-free-service', name: '免费基础保养', nameEn: 'Free basic service', unitCost: 800, description: illustrative },
  personalAdvisor: { key: 'dealer-personal-advisor', name: '专属服务顾问', nameEn: 'Personal service advisor', unitCost: 300, description: illustrative },
  priorityInvites: {
    key: 'dealer-priority-invites',
    name: '新车与活动优先邀请',
    nameEn: 'Priority invitations to launches and events',
    unitCost: 100,
    description: illustrative,
  },
  referralReward: { key: 'dealer-referral-reward', name: '转介绍奖励', nameEn: 'Referral rewards', unitCost: 500, description: illustrative },
  labourDiscount: { key: 'dealer-labour-discount', name: '保养工时优惠', nameEn: 'Maintenance labour discount', unitCost: 300, description: illustrative },
  eventInvites: { key: 'dealer-event-invites', name: '车主活动邀请', nameEn: 'Owner event invitations', unitCost: 100, description: illustrative },
  serviceReminders: { key: 'dealer-service-reminders', name: '保养到期提醒', nameEn: 'Service due reminders', unitCost: 5, description: illustrative },
} satisfies Record<string, Benefit>;

const d = dealerBenefits;

export const dealerLoyaltyTemplate: PolicyTemplate = {
  key: 'dealer-loyalty',
  name: '4S 店基盘客户忠诚度分级',
  nameEn: 'Car dealer installed-base loyalty tiers',
  description: [
    '忠诚度 10 分制评分卡：车辆满意度 2 分（无投诉 2、投诉已解决 1、未解决 0——部分分为本模板的选择）、定期回店保养 3 分、参与活动 2 分、正面口碑 3 分。',
    '分级边界（本模板选择，均含下限）：优质 ≥ 8 分；潜力 5–7 分（≥ 5）；一般 < 5 分。第二维度「经济能力」来源未给规则，作为统计维度；区域、车型、年龄段、行业事实用于模拟报表分组（按区域、年份对比各级人数）。',
    '来源未列出权益：权益包为示例，unitCost 为示例估算（元/人/年）。',
    "A 10-point loyalty scorecard: satisfaction with the car 2 points (no complaint 2, complaint resolved 1, unresolved 0: the partial point is this template's choice), regular maintenance at the dealer 3, activity participation 2, positive word of mouth 3.",
    "Tier bands (this template's choice, lower bounds inclusive): premium (优质) ≥ 8 points; potential (潜力) 5–7 (≥ 5); ordinary (一般) below 5. The second dimension, economic capacity, has no rule in the source and is a reporting dimension; district, car model, age band and industry are there to group simulation reports (counts per tier by district and year, before vs after).",
    'The source names no benefits: the packages are illustrative, and so are the unit costs (CNY per customer per year).',
  ].join('\n'),
  facts: [
    facts.complaintStatus,
    facts.regularMaintenance,
    facts.activityParticipation,
    facts.positiveWordOfMouth,
    district,
    facts.carModel,
    ageBand,
    industry,
    facts.economicCapacity,
  ],
  benefits: Object.values(dealerBenefits),
  benefitPackages: [
    {
      key: 'dealer-premium',
      name: '优质客户礼遇',
      nameEn: 'Premium customer benefits',
      benefits: [d.freeService.key, d.personalAdvisor.key, d.priorityInvites.key, d.referralReward.key, d.serviceReminders.key],
    },
    {
      key: 'dealer-potential',
      name: '潜力客户礼遇',
      nameEn: 'Potential customer benefits',
      benefits: [d.labourDiscount.key, d.eventInvites.key, d.serviceReminders.key],
    },
    { key: 'dealer-ordinary', name: '一般客户礼遇', nameEn: 'Ordinary customer benefits', benefits: [d.serviceReminders.key] },
  ],
  versions: [
    {
      changeNote: '初始版本：10 分制忠诚度评分卡，优质 ≥ 8，潜力 ≥ 5。Initial version: 10-point loyalty scorecard, premium ≥ 8, potential ≥ 5.',
      definition: {
        schemaVersion: 1,
        scores: [
          {
            key: 'loyaltyScore',
            label: '忠诚度得分',
            labelEn: 'Loyalty score',
            components: [
              { label: '车辆满意度：无投诉', points: 2, when: all(eq('complaintStatus', 'none')) },
              { label: '车辆满意度：投诉已解决', points: 1, when: all(eq('complaintStatus', 'resolved')) },
              { label: '定期回店保养', points: 3, when: all(eq('regularMaintenance', true)) },
              { label: '参与活动', points: 2, when: all(eq('activityParticipation', true)) },
              { label: '正面口碑', points: 3, when: all(eq('positiveWordOfMouth', true)) },
            ],
          },
        ],
        tiers: [
          { key: 'PREMIUM', name: '优质客户', nameEn: 'Premium', benefitPackage: 'dealer-premium', when: all(gte('loyaltyScore', 8)) },
          { key: 'POTENTIAL', name: '潜力客户', nameEn: 'Potential', benefitPackage: 'dealer-potential', when: all(gte('loyaltyScore', 5)) },
          { key: 'ORDINARY', name: '一般客户', nameEn: 'Ordinary', benefitPackage: 'dealer-ordinary' },
        ],
      },
    },
  ],
  testCases: [
    {
      name: '满分 10 → 优质 / full 10 points',
      facts: { complaintStatus: 'none', regularMaintenance: true, activityParticipation: true, positiveWordOfMouth: true, district: '惠城区' },
      expectedTier: 'PREMIUM',
    },
    {
      name: '恰好 8 分 → 优质 / exactly 8 points',
      facts: { complaintStatus: 'none', regularMaintenance: true, activityParticipation: false, positiveWordOfMouth: true },
      expectedTier: 'PREMIUM',
    },
    {
      name: '7 分 → 潜力 / 7 points',
      facts: { complaintStatus: 'none', regularMaintenance: true, activityParticipation: true, positiveWordOfMouth: false },
      expectedTier: 'POTENTIAL',
    },
    {
      name: '恰好 5 分 → 潜力 / exactly 5 points',
      facts: { complaintStatus: 'none', regularMaintenance: true, activityParticipation: false, positiveWordOfMouth: false },
      expectedTier: 'POTENTIAL',
    },
    {
      name: '4 分 → 一般 / 4 points',
      facts: { complaintStatus: 'resolved', regularMaintenance: true, activityParticipation: false, positiveWordOfMouth: false },
      expectedTier: 'ORDINARY',
    },
    {
      name: '0 分 → 一般 / zero points',
      facts: { complaintStatus: 'unresolved', regularMaintenance: false, activityParticipation: false, positiveWordOfMouth: false },
      expectedTier: 'ORDINARY',
    },
  ],
};
