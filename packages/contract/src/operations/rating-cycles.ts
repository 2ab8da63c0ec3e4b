/** Rating cycles and period reports of the tier ledger (contract §8, issue 11). */
import { z } from 'zod';
import { instant, instantInput, nullableInstant, safeKey } from '../common';
import { component } from '../components';
import { defineOperation } from '../registry';

const READERS = ['admin', 'author', 'approver', 'compliance', 'viewer'] as const;
const FREQUENCIES = ['monthly', 'quarterly', 'yearly'] as const;
const counts = z.record(z.string(), z.number());

export const scheduleBody = component(
  'RatingCycleScheduleBody',
  z.strictObject({
    frequency: z.enum(FREQUENCIES, { message: `must be one of ${FREQUENCIES.join(', ')}` }),
    deadlineDays: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(366, 'at most 366'),
  }),
);
export const openBody = component('OpenRatingCyclesBody', z.strictObject({ at: instantInput().optional(), policy: safeKey.optional() }));
export const cyclesQuery = z.object({
  policy: z.string().min(1).max(64).optional(),
  overdue: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
});
export const reportQuery = z.object({
  policy: z.string({ message: 'is required' }).min(1, 'is required').max(64),
  at: instantInput().optional(),
  compareTo: instantInput().optional(),
  groupBy: safeKey.optional(),
  format: z.string().optional(),
  lang: z.enum(['zh-CN', 'en'], { message: 'must be zh-CN or en' }).optional(),
});

export const RatingCycleSchedule = component(
  'RatingCycleSchedule',
  z.object({ policy: z.string(), frequency: z.enum(FREQUENCIES), deadlineDays: z.number(), updatedBy: z.string(), updatedAt: instant }),
);
export const RatingCycle = component(
  'RatingCycle',
  z.object({
    id: z.string(),
    policy: z.string(),
    frequency: z.enum(FREQUENCIES),
    period: z.string(),
    periodStart: z.string(),
    periodEnd: z.string(),
    deadline: instant,
    openedAt: instant,
    openedBy: z.string(),
    snapshot: z.object({ id: z.string(), name: z.string().nullable(), asOf: z.string().nullable() }).nullable(),
    run: z.object({ id: z.string(), status: z.string().nullable(), appliedAt: nullableInstant }).nullable(),
    status: z.enum(['awaiting-snapshot', 'awaiting-run', 'running', 'awaiting-approval', 'approved', 'rated']),
    overdue: z.boolean(),
    late: z.boolean(),
  }),
);
export const TierReport = component(
  'TierReport',
  z.object({
    policy: z.string(),
    at: instant,
    compareTo: nullableInstant,
    groupBy: z.string().nullable(),
    tiers: z.array(z.object({ key: z.string(), name: z.string(), nameEn: z.string().nullable(), rank: z.number().nullable() })),
    notRatedKey: z.string(),
    customers: z.object({ at: z.number(), compareTo: z.number().optional() }),
    total: z.object({ at: counts, compareTo: counts.optional() }),
    percent: z.object({ at: counts, compareTo: counts.optional() }),
    groups: z.array(
      z.object({ group: z.record(z.string(), z.unknown()), at: counts, compareTo: counts, percent: z.object({ at: counts, compareTo: counts.optional() }) }),
    ),
    /** {fromTier at compareTo: {toTier at at: n}}, when compareTo is given. */
    movement: z.record(z.string(), counts).optional(),
  }),
);

const tags = ['rating-cycles'];
export const listRatingCycles = defineOperation({
  id: 'listRatingCycles',
  method: 'get',
  path: '/api/rating-cycles',
  summary: 'Rating cycles newest first, with the expected snapshot, the run that rated each, overdue flagged',
  tags,
  roles: READERS,
  query: cyclesQuery,
  responses: { 200: { schema: z.array(RatingCycle), description: 'Every cycle' } },
  errors: [400, 422],
});
export const listRatingCycleSchedules = defineOperation({
  id: 'listRatingCycleSchedules',
  method: 'get',
  path: '/api/rating-cycles/schedules',
  summary: "Every policy's rating schedule",
  tags,
  roles: READERS,
  responses: { 200: { schema: z.array(RatingCycleSchedule), description: 'Every schedule' } },
  errors: [],
});
export const setRatingCycleSchedule = defineOperation({
  id: 'setRatingCycleSchedule',
  method: 'put',
  path: '/api/rating-cycles/schedules/{policy}',
  summary: "Set a policy's schedule (monthly / quarterly / yearly and the deadline); opens the current period",
  tags,
  roles: ['admin'],
  params: z.object({ policy: z.string() }),
  body: scheduleBody,
  responses: { 200: RatingCycleSchedule },
  errors: [400, 422],
});
export const openRatingCycles = defineOperation({
  id: 'openRatingCycles',
  method: 'post',
  path: '/api/rating-cycles/open',
  summary: 'Open the cycles of the period containing `at` (what the cron does; never rates)',
  tags,
  roles: ['admin'],
  body: openBody,
  responses: { 200: z.object({ opened: z.array(z.object({ policy: z.string(), period: z.string() })) }) },
  errors: [400, 422],
});
export const getTierReport = defineOperation({
  id: 'getTierReport',
  method: 'get',
  path: '/api/reports/tiers',
  summary: 'The official ledger at two instants by a grouping fact (counts, % of total, movement); ?format=csv|xlsx downloads it',
  tags: ['reports'],
  roles: READERS,
  query: reportQuery,
  responses: { 200: TierReport },
  errors: [400, 422],
});
