/** Rating runs and the tier ledger (contract §8). */
import { z } from 'zod';
import { PopulationCutoffs } from '../engine';
import { idParams, instant, instantInput, list, listQuery, nullableInstant } from '../common';
import { component } from '../components';
import { defineOperation } from '../registry';
import { groupByFacts } from './datasets';

const READERS = ['admin', 'author', 'approver', 'compliance', 'viewer'] as const;
const EVALUATORS = ['admin', 'author', 'approver', 'compliance', 'viewer', 'service'] as const;
export const RATING_STARTERS = ['admin', 'author'] as const;
export const RATING_APPROVERS = ['admin', 'approver'] as const;
const tags = ['rating-runs'];

export const startRatingRunBody = component(
  'StartRatingRunBody',
  z.strictObject({
    policy: z.string().min(1, 'is required').max(64),
    datasetId: z.uuid({ message: 'must be a dataset id' }),
    effectiveAt: instantInput().optional(),
    comment: z.string().max(2000).optional(),
    groupBy: groupByFacts.optional(),
  }),
);
export const approveRatingRunBody = component('ApproveRatingRunBody', z.strictObject({ comment: z.string().max(2000).optional() }));
export const rejectRatingRunBody = component(
  'RejectRatingRunBody',
  z.strictObject({ comment: z.string().trim().min(1, 'say why the run is rejected').max(2000) }),
);

const counts = z.record(z.string(), z.number());

const localText = z.object({ 'zh-CN': z.string(), en: z.string() });

/** A tier of a run's ladder (1 = best; not rated is below every tier). */
export const RunTier = component(
  'RunTier',
  z.object({ key: z.string(), name: z.string(), nameEn: z.string().nullable().optional(), rank: z.number().optional() }),
);

const movementCounts = {
  total: z.number(),
  entered: z.number(),
  upgrades: z.number(),
  downgrades: z.number(),
  unchanged: z.number(),
  /** Rated lower but kept by a lifecycle rule. */
  held: z.number(),
};

export const RatingRunResult = component(
  'RatingRunResult',
  z.object({
    ...movementCounts,
    /** Customers whose change waits for a later run (a downgrade limited by maxDowngradeSteps). */
    staged: z.number(),
    /** {fromTier: {toTier: n}}: official tier before the run ("null" = none) → tier after it. */
    matrix: z.record(z.string(), counts),
    /** sha256 of the matrix in a fixed order: equal proposals hash equally. */
    matrixHash: z.string(),
    /** Customers held, by the rule that held them. */
    heldBy: counts,
    /** The key the matrix uses for "not rated". */
    notRatedKey: z.string(),
    tiers: z.array(RunTier),
    groupBy: z.array(z.string()),
    groups: z.array(z.object({ group: z.record(z.string(), z.unknown()), ...movementCounts, after: counts })),
    /** A few customers of each cell of the matrix and rule, explained in zh-CN and en. */
    samples: z.array(
      z.object({
        from: z.string(),
        to: z.string(),
        rated: z.string(),
        change: z.string(),
        rule: z.string().nullable(),
        lifecycle: localText,
        /** During a regional rollout: the version (and step) these customers were rated with. */
        version: z.object({ id: z.string(), number: z.number(), rolloutStep: z.number().nullable() }).optional(),
        customers: z.array(
          z.object({
            row: z.number(),
            customerId: z.string().nullable(),
            facts: z.record(z.string(), z.unknown()),
            rated: z.string().nullable(),
            explanation: z.object({ 'zh-CN': z.array(z.string()), en: z.array(z.string()) }),
            lifecycle: localText,
          }),
        ),
      }),
    ),
    version: z.object({ id: z.string(), number: z.number() }),
    /**
     * During a regional rollout at the run's instant (contract §11): customers rated with each version, by the
     * rollout step that applied (null: the version's own effectiveFrom); null when one version rated everyone.
     */
    rollout: z
      .array(z.object({ versionId: z.string(), number: z.number(), rolloutStep: z.number().nullable(), customers: z.number() }))
      .nullable()
      .optional(),
    lifecycle: z.object({ downgradeGraceRuns: z.number().optional(), maxDowngradeSteps: z.number().optional() }).nullable(),
  }),
);

export const RatingRun = component(
  'RatingRun',
  z.object({
    id: z.string(),
    policy: z.string(),
    policyId: z.string(),
    versionId: z.string().nullable(),
    version: z.object({ id: z.string(), number: z.number() }),
    datasetId: z.string().nullable(),
    status: z.enum(['queued', 'running', 'proposed', 'approved', 'applied', 'rejected', 'failed', 'cancelled']),
    progress: z.object({ done: z.number(), total: z.number() }),
    effectiveAt: nullableInstant,
    basedOnRunId: z.string().nullable(),
    groupBy: z.array(z.string()),
    comment: z.string().nullable(),
    startedBy: z.string(),
    approvedBy: z.string().nullable(),
    approvedAt: nullableInstant,
    rejectedBy: z.string().nullable(),
    rejectedAt: nullableInstant,
    decisionComment: z.string().nullable(),
    appliedAt: nullableInstant,
    cancelledBy: z.string().nullable(),
    executor: z.string().nullable().optional(),
    attempts: z.number().optional(),
    error: z.string().nullable(),
    createdAt: instant,
    startedAt: nullableInstant,
    finishedAt: nullableInstant,
    /** Single reads, from `proposed` on. */
    result: RatingRunResult.optional(),
    /** The cut-offs of its population conditions, frozen before any customer was evaluated (null: it ranks nothing). */
    cutoffs: PopulationCutoffs.nullable().optional(),
  }),
);

export const startRatingRun = defineOperation({
  id: 'startRatingRun',
  method: 'post',
  path: '/api/rating-runs',
  summary: 'Start a rating run of a facts snapshot (proposes; the ledger changes only on approval)',
  tags,
  roles: RATING_STARTERS,
  body: startRatingRunBody,
  responses: { 201: RatingRun },
  errors: [400, 404, 409, 422],
});
export const listRatingRuns = defineOperation({
  id: 'listRatingRuns',
  method: 'get',
  path: '/api/rating-runs',
  summary: 'Rating runs, newest first',
  tags,
  roles: READERS,
  query: listQuery,
  responses: { 200: list(RatingRun) },
  errors: [400],
});
export const getRatingRun = defineOperation({
  id: 'getRatingRun',
  method: 'get',
  path: '/api/rating-runs/{id}',
  summary: 'A rating run: status, progress and its proposal',
  tags,
  roles: READERS,
  params: idParams,
  responses: { 200: RatingRun },
  errors: [404],
});
export const approveRatingRun = defineOperation({
  id: 'approveRatingRun',
  method: 'post',
  path: '/api/rating-runs/{id}/approve',
  summary: 'Approve a proposed run (never whoever started it); applied at its effective instant',
  tags,
  roles: RATING_APPROVERS,
  params: idParams,
  body: approveRatingRunBody,
  bodyOptional: true,
  responses: { 200: RatingRun },
  errors: [400, 404, 409, 422],
});
export const rejectRatingRun = defineOperation({
  id: 'rejectRatingRun',
  method: 'post',
  path: '/api/rating-runs/{id}/reject',
  summary: 'Reject a proposed run, with a comment',
  tags,
  roles: RATING_APPROVERS,
  params: idParams,
  body: rejectRatingRunBody,
  responses: { 200: RatingRun },
  errors: [400, 404, 409, 422],
});
export const cancelRatingRun = defineOperation({
  id: 'cancelRatingRun',
  method: 'post',
  path: '/api/rating-runs/{id}/cancel',
  summary: 'Cancel a run not yet applied',
  tags,
  roles: RATING_STARTERS,
  params: idParams,
  responses: { 200: RatingRun },
  errors: [404, 409],
});

// ---- the ledger --------------------------------------------------------------------------------

export const customerParams = z.object({ customerId: z.string().trim().min(1).max(128) });
export const tierQuery = z.object({
  policy: z.string({ message: 'is required' }).min(1, 'is required').max(64),
  at: instantInput().optional(),
});
export const historyQuery = z.object({ policy: z.string().min(1).max(64).optional() });

const ledgerTier = z.object({ key: z.string(), name: z.string(), nameEn: z.string().nullable().optional(), rank: z.number().optional() }).nullable();

export const CustomerTier = component(
  'CustomerTier',
  z.object({
    customerId: z.string(),
    policy: z.string(),
    at: instant,
    tier: ledgerTier,
    since: instant,
    change: z.string(),
    runId: z.string().nullable(),
    versionId: z.string().nullable(),
    /** The regional rollout step through which that version applied (null: its own effectiveFrom, or no rollout). */
    rolloutStep: z.number().nullable().optional(),
  }),
);

export const TierHistoryEntry = component(
  'TierHistoryEntry',
  z.object({
    policy: z.string(),
    tier: ledgerTier,
    validFrom: instant,
    validTo: nullableInstant,
    previousTier: z.string().nullable(),
    change: z.enum(['enter', 'upgrade', 'downgrade', 'override', 'revert']),
    /** Why, in both languages, with a code and the values behind it (grace counters, the tier rated, the steps allowed). */
    reason: z.looseObject({ code: z.string(), en: z.string(), 'zh-CN': z.string() }),
    runId: z.string().nullable(),
    versionId: z.string(),
    /** The regional rollout step through which that version rated the customer (null: its own effectiveFrom, or no rollout). */
    rolloutStep: z.number().nullable().optional(),
    decidedAt: instant,
    /** Where the evaluation behind the change can be seen: a logged decision, or the customer's row in the run's snapshot. */
    trace: z.union([z.object({ decisionId: z.string() }), z.object({ runId: z.string(), snapshotRow: z.number().nullable() })]).nullable(),
  }),
);

export const getCustomerTier = defineOperation({
  id: 'getCustomerTier',
  method: 'get',
  path: '/api/customers/{customerId}/tier',
  summary: "A customer's official tier at `at` (default now)",
  tags: ['ledger'],
  roles: EVALUATORS,
  params: customerParams,
  query: tierQuery,
  responses: { 200: CustomerTier },
  errors: [400, 404],
});
export const getCustomerTierHistory = defineOperation({
  id: 'getCustomerTierHistory',
  method: 'get',
  path: '/api/customers/{customerId}/tiers',
  summary: "A customer's tier history, oldest first",
  tags: ['ledger'],
  roles: EVALUATORS,
  params: customerParams,
  query: historyQuery,
  responses: { 200: list(TierHistoryEntry, 'Every change, oldest first') },
  errors: [400, 404],
});
