/** Evaluation and the decision log (contract §4). */
import { z } from 'zod';
import { facts, idParams, instant, instantInput, list, listQuery, named } from '../common';
import { component } from '../components';
import { Explanation, PolicyDefinition, TraceEntry } from '../engine';
import { documentedAs } from '../openapi';
import { defineOperation } from '../registry';

export const MAX_BATCH = 10_000;
/** The limits of evaluate and batch bodies, also read by the API's quick batch-body walk (apps/api batch-body.ts). */
export const EVALUATE_LIMITS = { maxPolicyKeyLength: 64, maxCustomerIdLength: 128, maxBatch: MAX_BATCH } as const;
export const EVALUATORS = ['admin', 'author', 'approver', 'compliance', 'viewer', 'service'] as const;
const DECISION_READERS = ['admin', 'compliance', 'approver', 'author'] as const;
const tags = ['evaluation'];

const customerId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(EVALUATE_LIMITS.maxCustomerIdLength, `is at most ${EVALUATE_LIMITS.maxCustomerIdLength} characters`);
const at = instantInput();

export const evaluateBody = component(
  'EvaluateBody',
  z.strictObject({
    policy: z.string().min(1).max(EVALUATE_LIMITS.maxPolicyKeyLength),
    facts,
    customerId: customerId.optional(),
    at: at.optional(),
    explain: z.boolean().optional(),
  }),
);
/**
 * What each batch result carries besides the outcome (default: everything). Bulk callers that only need the tier
 * send `{ trace: false, next: false }`: the answer is about a fifth of the bytes and the projection is not computed.
 * The decision is logged in full either way (the trace stays answerable from the decision log).
 */
export const batchInclude = component(
  'EvaluateBatchInclude',
  z.strictObject({
    /** `false`: no `trace` in the results. */
    trace: z.boolean().optional(),
    /** `false`: no `next` (the projection to the next better tier) in the results. */
    next: z.boolean().optional(),
  }),
);
export const batchBody = component(
  'EvaluateBatchBody',
  z.strictObject({
    policy: z.string().min(1).max(EVALUATE_LIMITS.maxPolicyKeyLength),
    customers: z
      .array(z.strictObject({ customerId: customerId.optional(), facts }))
      .min(1, 'needs at least one customer')
      .max(MAX_BATCH, `at most ${MAX_BATCH} customers a request`),
    at: at.optional(),
    explain: z.boolean().optional(),
    include: batchInclude.optional(),
  }),
);
/** `definition`: evaluate this definition (e.g. the console's unsaved edit) in the version's place, against the live catalog. */
export const versionEvaluateBody = component(
  'VersionEvaluateBody',
  z.strictObject({ facts, explain: z.boolean().optional(), definition: documentedAs(z.unknown(), PolicyDefinition).optional() }),
);

export const OfficialTier = component(
  'OfficialTier',
  z.object({
    tier: named.nullable(),
    since: instant,
    runId: z.string().nullable().optional(),
    versionId: z.string().nullable().optional(),
  }),
);

/** Contract §9: the next better tier and each single fact change that alone reaches it (null at the top). */
export const NextTier = component(
  'NextTier',
  z.object({
    tier: z.object({ key: z.string(), name: z.string(), nameEn: z.string().optional(), rank: z.number() }),
    /** Empty when no single change suffices. `kind: score` = how many more points a score needs; `strict`: the value must be passed. */
    options: z.array(
      z.object({ fact: z.string(), kind: z.enum(['fact', 'score']), current: z.unknown(), needed: z.unknown(), strict: z.boolean().optional() }),
    ),
    explanation: Explanation.optional(),
  }),
);

export const Evaluation = component(
  'Evaluation',
  z.object({
    /** Logged evaluations only. */
    decisionId: z.string().optional(),
    evaluatedAt: instant.optional(),
    policy: z.object({ key: z.string(), versionId: z.string(), number: z.number() }),
    eligible: z.boolean(),
    tier: z.object({ key: z.string(), name: z.string(), nameEn: z.string().optional(), rank: z.number() }).nullable(),
    benefitPackage: z.object({ ...named.shape, benefits: z.array(named) }).nullable(),
    scores: z.record(z.string(), z.number()),
    trace: z.array(TraceEntry),
    next: NextTier.nullable(),
    explanation: Explanation.optional(),
    /** The customer's official tier (the ledger at `at`) when it differs from the computed one. */
    official: OfficialTier.optional(),
    /** Population conditions (contract §10): the applied rating run whose frozen cut-offs they used (values in the trace). */
    cutoffs: z.object({ runId: z.string(), effectiveAt: instant, asOf: z.string().nullable(), population: z.number() }).optional(),
  }),
);

export const BatchEvaluation = component(
  'BatchEvaluation',
  z.object({
    policy: z.object({ key: z.string(), versionId: z.string(), number: z.number() }),
    /** In the order of the request's customers. `trace` / `next` are left out when the request's `include` turns them off. */
    results: z.array(
      z.object({
        customerId: z.string().nullable(),
        ...Evaluation.omit({ policy: true, official: true }).shape,
        trace: z.array(TraceEntry).optional(),
        next: NextTier.nullable().optional(),
      }),
    ),
  }),
);

const decisionFields = {
  id: z.string(),
  evaluatedAt: instant,
  asOf: instant,
  policyId: z.string(),
  policyKey: z.string(),
  versionId: z.string(),
  versionNumber: z.number(),
  customerId: z.string().nullable(),
  actor: z.string(),
  facts: z.record(z.string(), z.unknown()),
  eligible: z.boolean(),
  tierKey: z.string().nullable(),
  tierRank: z.number().nullable(),
  benefitPackageKey: z.string().nullable(),
  scores: z.record(z.string(), z.number()),
  /** The regional-rollout step of the version that applied (null: its own effectiveFrom). */
  rolloutStep: z.number().nullable().optional(),
  /** The applied rating run whose frozen cut-offs its population conditions used (null: none). */
  cutoffRunId: z.string().nullable().optional(),
  /** Fact keys whose values the reader may not see (shown as ***). */
  maskedFacts: z.array(z.string()).optional(),
};

export const DecisionSummary = component('DecisionSummary', z.object(decisionFields));
export const Decision = component(
  'Decision',
  z.object({
    ...decisionFields,
    trace: z.array(TraceEntry),
    /**
     * `stored`: the trace logged with the decision (older rows). `derived`: not stored, re-derived on read from the
     * version, the logged facts and the cut-off run, after checking it gives the logged outcome.
     */
    traceSource: z.enum(['stored', 'derived']).optional(),
    /** Re-deriving did not reproduce the logged outcome (e.g. the engine changed): `trace` is empty and the explanation withheld. */
    traceMismatch: z.boolean().optional(),
    version: z.object({ id: z.string(), number: z.number(), effectiveFrom: instant.nullable() }),
    explanation: Explanation.nullable(),
    explanationWithheld: z.boolean().optional(),
  }),
);

export const evaluate = defineOperation({
  id: 'evaluate',
  method: 'post',
  path: '/api/evaluate',
  summary: 'Rate one customer with the version in effect at `at` (logged)',
  tags,
  roles: EVALUATORS,
  body: evaluateBody,
  responses: { 200: Evaluation },
  errors: [400, 404, 413, 415, 422],
});
export const evaluateBatch = defineOperation({
  id: 'evaluateBatch',
  method: 'post',
  path: '/api/evaluate/batch',
  summary: 'Rate many customers with one version; results in order',
  tags,
  roles: EVALUATORS,
  body: batchBody,
  responses: { 200: BatchEvaluation },
  errors: [400, 404, 413, 415, 422],
});
export const evaluateVersion = defineOperation({
  id: 'evaluateVersion',
  method: 'post',
  path: '/api/policy-versions/{id}/evaluate',
  summary: 'Try any version (drafts too, or an unsaved definition in its place); not logged',
  tags,
  roles: ['admin', 'author', 'approver', 'compliance'],
  params: idParams,
  body: versionEvaluateBody,
  responses: { 200: Evaluation },
  errors: [400, 404, 422],
});
export const listDecisions = defineOperation({
  id: 'listDecisions',
  method: 'get',
  path: '/api/decisions',
  summary: 'The decision log (filters customerId, policy, from, to)',
  tags,
  roles: DECISION_READERS,
  query: listQuery.extend({ customerId: z.string().optional(), policy: z.string().optional(), from: z.string().optional(), to: z.string().optional() }),
  responses: {
    200: list(
      DecisionSummary,
      "The page asked for. The total in Content-Range is exact up to 10,000 decisions beyond the page; past that it is a lower bound (a filtered list) or PostgreSQL's estimate (the whole log), and grows as you page on",
    ),
  },
  errors: [400],
});
export const getDecision = defineOperation({
  id: 'getDecision',
  method: 'get',
  path: '/api/decisions/{id}',
  summary: 'One decision: inputs, version, trace and explanation',
  tags,
  roles: DECISION_READERS,
  params: idParams,
  responses: { 200: Decision },
  errors: [404],
});

/** Decision retention per policy (issue 17): months a policy's decisions are kept; a change is four-eyed. */
export const RETENTION_SETTERS = ['admin', 'compliance'] as const;
export const MAX_RETENTION_MONTHS = 1200;
export const decisionRetentionBody = component(
  'DecisionRetentionBody',
  z.strictObject({
    /** null: back to the server's default (DECISION_RETENTION_MONTHS; kept for ever when unset). */
    months: z
      .number({ message: 'must be a whole number of months or null' })
      .int('must be a whole number of months')
      .min(1, 'must be at least 1 month')
      .max(MAX_RETENTION_MONTHS, `must be at most ${MAX_RETENTION_MONTHS} months`)
      .nullable(),
    comment: z.string().trim().min(1, 'say why the retention changes').max(2000),
  }),
);
export const decisionRetentionDecisionBody = component('DecisionRetentionDecisionBody', z.strictObject({ comment: z.string().max(2000).optional() }));
export const DecisionRetention = component(
  'DecisionRetention',
  z.object({
    policy: z.object({ id: z.string(), key: z.string() }),
    /** The policy's own setting (null: the default applies). */
    months: z.number().nullable(),
    /** DECISION_RETENTION_MONTHS (null: unset). */
    defaultMonths: z.number().nullable(),
    /** What retention applies: months, else the default; null = kept for ever. */
    effectiveMonths: z.number().nullable(),
    /** A change waiting for a second person's approval. */
    request: z.object({ months: z.number().nullable(), requestedBy: z.string(), requestedAt: instant, comment: z.string() }).nullable(),
  }),
);
const retentionTags = ['evaluation'];
export const getDecisionRetention = defineOperation({
  id: 'getDecisionRetention',
  method: 'get',
  path: '/api/policies/{id}/decision-retention',
  summary: "How long the policy's decisions are kept, and any change waiting for approval",
  tags: retentionTags,
  roles: DECISION_READERS,
  params: idParams,
  responses: { 200: DecisionRetention },
  errors: [404],
});
export const requestDecisionRetention = defineOperation({
  id: 'requestDecisionRetention',
  method: 'put',
  path: '/api/policies/{id}/decision-retention',
  summary: 'Ask for a new retention (months or null for the default); it applies once someone else approves',
  tags: retentionTags,
  roles: RETENTION_SETTERS,
  params: idParams,
  body: decisionRetentionBody,
  responses: { 200: DecisionRetention },
  errors: [400, 404, 422],
});
export const approveDecisionRetention = defineOperation({
  id: 'approveDecisionRetention',
  method: 'post',
  path: '/api/policies/{id}/decision-retention/approve',
  summary: 'Approve the waiting retention change (never its requester)',
  tags: retentionTags,
  roles: RETENTION_SETTERS,
  params: idParams,
  body: decisionRetentionDecisionBody,
  bodyOptional: true,
  responses: { 200: DecisionRetention },
  errors: [400, 404, 409, 422],
});
export const rejectDecisionRetention = defineOperation({
  id: 'rejectDecisionRetention',
  method: 'post',
  path: '/api/policies/{id}/decision-retention/reject',
  summary: 'Turn down the waiting retention change (its requester may withdraw it too)',
  tags: retentionTags,
  roles: RETENTION_SETTERS,
  params: idParams,
  body: decisionRetentionDecisionBody,
  bodyOptional: true,
  responses: { 200: DecisionRetention },
  errors: [400, 404, 422],
});
