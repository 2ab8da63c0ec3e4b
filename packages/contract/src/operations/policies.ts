/** Policies, versions, the four-eyes workflow and test cases (contract §3). */
import { z } from 'zod';
import { commentBody, facts, idParams, instant, instantInput, list, listQuery, nullableInstant, safeKey, uuid } from '../common';
import { component } from '../components';
import { Explanation, PolicyDefinition, TopLevelCondition, ValidationResult, VersionDiff } from '../engine';
import { documentedAs } from '../openapi';
import { defineOperation } from '../registry';

const READERS = ['admin', 'author', 'approver', 'compliance', 'viewer'] as const;
const AUTHORS = ['admin', 'author'] as const;
const tags = ['policies'];

/** A definition as sent: checked by the policy engine (its own codes and paths), so any JSON passes this schema. */
const definitionInput = () => documentedAs(z.unknown(), PolicyDefinition);

export const policyBody = component(
  'PolicyBody',
  z.strictObject({
    key: safeKey,
    name: z.string().trim().min(1, 'is required').max(200, 'is too long'),
    description: z.string().max(5000, 'is too long').optional(),
  }),
);
export const versionBody = component(
  'VersionBody',
  z.strictObject({
    definition: definitionInput().optional(),
    changeNote: z.string().max(5000, 'is too long').optional(),
    basedOn: z.uuid({ message: 'must be a version id' }).optional(),
  }),
);
export const updateVersionBody = component(
  'UpdateVersionBody',
  z.strictObject({
    definition: documentedAs(
      z.unknown().refine((d) => d !== undefined, 'is required'),
      PolicyDefinition,
    ),
    changeNote: z.string().max(5000, 'is too long').optional(),
  }),
);
export const rejectBody = component(
  'RejectBody',
  z.strictObject({ comment: z.string().trim().min(1, 'a rejection needs a comment').max(5000, 'is too long') }),
);
export const publishBody = component(
  'PublishBody',
  z.strictObject({
    effectiveFrom: instantInput('must be an ISO date-time with a time zone, e.g. 2026-12-01T00:00:00+08:00').optional(),
    /** Regional rollout (contract §11): customers matching a segment switch at its instant, all others at effectiveFrom. */
    rollout: z
      .array(
        z.strictObject({
          segment: documentedAs(
            z.unknown().describe('A condition on the customer’s facts, e.g. {"all": [{"fact": "region", "operator": "equal", "value": "east"}]}'),
            TopLevelCondition,
          ),
          effectiveFrom: instantInput('must be an ISO date-time with a time zone, e.g. 2021-05-01T00:00:00+08:00'),
        }),
      )
      .max(50, 'at most 50 rollout steps')
      .optional(),
    comment: z.string().max(5000, 'is too long').optional(),
  }),
);
export const retireBody = component(
  'RetireBody',
  z.strictObject({ comment: z.string().max(5000, 'is too long').optional(), acknowledgeGap: z.boolean().optional() }),
);
export const validateBody = component('ValidateBody', z.strictObject({ definition: definitionInput() }));
/** `definition`: run the test cases against this definition (unsaved edits) in the version's place. */
export const testRunBody = component('TestRunBody', z.strictObject({ definition: definitionInput().optional() }));
export const testCaseBody = component(
  'TestCaseBody',
  z.strictObject({
    name: z.string().trim().min(1, 'is required').max(200, 'is too long'),
    facts,
    expectedTier: z.string().max(64).nullable(),
  }),
);

export const VersionStatus = component(
  'VersionStatus',
  z.enum(['draft', 'in_review', 'approved', 'scheduled', 'published', 'superseded', 'retired', 'discarded']),
);

export const Policy = component(
  'Policy',
  z.object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: instant,
    updatedAt: instant,
    activeVersionId: z.string().nullable(),
    activeVersionNumber: z.number().nullable(),
    scheduledVersions: z.array(z.object({ id: z.string(), number: z.number(), effectiveFrom: nullableInstant })),
    latestVersionNumber: z.number(),
    /** Ids of versions in review. */
    pendingReview: z.array(z.string()),
    /** Ids of published versions with a retirement waiting for a second approver. */
    pendingRetirement: z.array(z.string()),
  }),
);

export const PolicyVersion = component(
  'PolicyVersion',
  z.object({
    id: z.string(),
    policyId: z.string(),
    number: z.number(),
    status: VersionStatus,
    revision: z.number(),
    definition: PolicyDefinition.describe('The definition (a draft may be incomplete: see validation)'),
    changeNote: z.string().nullable(),
    basedOn: z.string().nullable(),
    createdBy: z.string().nullable(),
    /** Everyone who edited the draft (they may not approve it). */
    editors: z.array(z.string()),
    submittedBy: z.string().nullable(),
    submittedAt: nullableInstant,
    approvedBy: z.string().nullable(),
    approvedAt: nullableInstant,
    publishedBy: z.string().nullable(),
    publishedAt: nullableInstant,
    effectiveFrom: nullableInstant,
    supersededAt: nullableInstant,
    retiredBy: z.string().nullable(),
    retiredAt: nullableInstant,
    /** A retirement asked for and waiting for a second approver. */
    retireRequest: z.object({ requestedBy: z.string(), requestedAt: instant, comment: z.string().nullable() }).nullable(),
    /** The catalog frozen at approval (what publishes). */
    frozen: z.record(z.string(), z.unknown()).nullable(),
    /** Regional rollout steps set at publication: {segment, effectiveFrom, facts} each (null: everyone at effectiveFrom). */
    rollout: z
      .array(z.object({ segment: z.unknown(), effectiveFrom: z.string(), facts: z.array(z.unknown()) }))
      .nullable()
      .optional(),
    createdAt: instant,
    updatedAt: instant,
    /** With single reads and saves: the engine's validation of the definition. */
    validation: ValidationResult.optional(),
    /** Single reads: what retiring it now would leave without a version in effect. */
    retirementGap: z.object({ from: z.string(), until: z.string().nullable() }).nullable().optional(),
  }),
);

export const TestCase = component(
  'TestCase',
  z.object({
    id: z.string(),
    policyId: z.string(),
    name: z.string(),
    facts: z.record(z.string(), z.unknown()),
    expectedTier: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: instant,
    updatedAt: instant,
  }),
);

export const TestRun = component(
  'TestRun',
  z.object({
    passed: z.number(),
    failed: z.number(),
    results: z.array(
      z.object({
        testCaseId: z.string(),
        name: z.string(),
        expectedTier: z.string().nullable(),
        actualTier: z.string().nullable(),
        passed: z.boolean(),
        explanation: Explanation,
      }),
    ),
  }),
);

const versionParams = idParams;
const caseParams = z.object({ id: uuid, caseId: uuid });

export const listPolicies = defineOperation({
  id: 'listPolicies',
  method: 'get',
  path: '/api/policies',
  summary: 'Policies (filter `q` searches key and name)',
  tags,
  roles: READERS,
  query: listQuery,
  responses: { 200: list(Policy) },
  errors: [400],
});
export const validatePolicy = defineOperation({
  id: 'validateDefinition',
  method: 'post',
  path: '/api/policies/validate',
  summary: 'Validate a definition against the fact catalog',
  tags,
  roles: READERS,
  body: validateBody,
  responses: { 200: ValidationResult },
  errors: [400, 422],
});
export const createPolicy = defineOperation({
  id: 'createPolicy',
  method: 'post',
  path: '/api/policies',
  summary: 'Create a policy',
  tags,
  roles: AUTHORS,
  body: policyBody,
  responses: { 201: Policy },
  errors: [400, 409, 422],
});
export const getPolicy = defineOperation({
  id: 'getPolicy',
  method: 'get',
  path: '/api/policies/{id}',
  summary: 'One policy, with its active and scheduled versions',
  tags,
  roles: READERS,
  params: idParams,
  responses: { 200: Policy },
  errors: [404],
});
export const listVersions = defineOperation({
  id: 'listVersions',
  method: 'get',
  path: '/api/policies/{id}/versions',
  summary: 'The versions of a policy',
  tags,
  roles: READERS,
  params: idParams,
  query: listQuery,
  responses: { 200: list(PolicyVersion) },
  errors: [400, 404],
});
export const createVersion = defineOperation({
  id: 'createVersion',
  method: 'post',
  path: '/api/policies/{id}/versions',
  summary: 'A new draft (optionally based on an older version: rollback)',
  tags,
  roles: AUTHORS,
  params: idParams,
  body: versionBody,
  responses: { 201: PolicyVersion },
  errors: [400, 404, 409, 422],
});
export const getVersion = defineOperation({
  id: 'getVersion',
  method: 'get',
  path: '/api/policy-versions/{id}',
  summary: 'One version, with its validation and retirement gap',
  tags,
  roles: READERS,
  params: versionParams,
  responses: { 200: PolicyVersion },
  errors: [404],
});
export const updateVersion = defineOperation({
  id: 'updateVersion',
  method: 'put',
  path: '/api/policy-versions/{id}',
  summary: 'Edit a draft (If-Match: the revision edited)',
  tags,
  roles: AUTHORS,
  params: versionParams,
  headers: z.object({ 'If-Match': z.string().describe('The revision the edit started from') }),
  body: updateVersionBody,
  responses: { 200: PolicyVersion },
  errors: [400, 404, 409, 412, 422],
});
export const diffVersions = defineOperation({
  id: 'diffVersions',
  method: 'get',
  path: '/api/policy-versions/{id}/diff',
  summary: 'The per-tier diff from version `against` to this one',
  tags,
  roles: READERS,
  params: versionParams,
  query: z.object({ against: uuid }),
  responses: { 200: VersionDiff },
  errors: [404, 422],
});

function step(action: string, summary: string, roles: readonly string[], body: z.ZodType = commentBody) {
  const id = action.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
  return defineOperation({
    id: `${id}Version`,
    method: 'post',
    path: `/api/policy-versions/{id}/${action}`,
    summary,
    tags,
    roles,
    params: versionParams,
    body,
    bodyOptional: true,
    responses: { 200: PolicyVersion },
    errors: [400, 404, 409, 422],
  });
}

export const submitVersion = step('submit', 'Submit a draft for review (refused with 422 when validation or test cases fail)', AUTHORS);
export const approveVersion = step('approve', 'Approve a version in review (never its author or an editor)', ['approver']);
export const rejectVersion = step('reject', 'Send a version back to draft, with a comment', ['approver'], rejectBody);
export const publishVersion = step('publish', 'Publish an approved version, effective now or at effectiveFrom', ['approver'], publishBody);
export const withdrawVersion = step('withdraw', 'Take a version in review back to draft', AUTHORS);
export const discardVersion = step('discard', 'Discard a draft (kept, immutable)', AUTHORS);
export const retireVersion = step('retire', 'Retire a version (one in effect or scheduled needs a second approver)', ['approver', 'admin'], retireBody);
export const approveRetirement = step('approve-retirement', 'Second approver: retire the version', ['approver'], retireBody);
export const rejectRetirement = step('reject-retirement', 'Refuse a requested retirement', ['approver', 'admin']);

export const testRun = defineOperation({
  id: 'runTestCases',
  method: 'post',
  path: '/api/policy-versions/{id}/test-run',
  summary: "Run the policy's test cases with this version (or an unsaved definition in its place)",
  tags,
  roles: ['admin', 'author', 'approver', 'compliance'],
  params: versionParams,
  body: testRunBody,
  bodyOptional: true,
  responses: { 200: TestRun },
  errors: [400, 404, 422],
});
export const listTestCases = defineOperation({
  id: 'listTestCases',
  method: 'get',
  path: '/api/policies/{id}/test-cases',
  summary: 'The test cases of a policy',
  tags,
  roles: READERS,
  params: idParams,
  query: listQuery,
  responses: { 200: list(TestCase) },
  errors: [400, 404],
});
export const getTestCase = defineOperation({
  id: 'getTestCase',
  method: 'get',
  path: '/api/policies/{id}/test-cases/{caseId}',
  summary: 'One test case',
  tags,
  roles: READERS,
  params: caseParams,
  responses: { 200: TestCase },
  errors: [404],
});
export const createTestCase = defineOperation({
  id: 'createTestCase',
  method: 'post',
  path: '/api/policies/{id}/test-cases',
  summary: 'Add a test case (expectedTier null: not rated)',
  tags,
  roles: AUTHORS,
  params: idParams,
  body: testCaseBody,
  responses: { 201: TestCase },
  errors: [400, 404, 422],
});
export const updateTestCase = defineOperation({
  id: 'updateTestCase',
  method: 'put',
  path: '/api/policies/{id}/test-cases/{caseId}',
  summary: 'Replace a test case',
  tags,
  roles: AUTHORS,
  params: caseParams,
  body: testCaseBody,
  responses: { 200: TestCase },
  errors: [400, 404, 422],
});
export const deleteTestCase = defineOperation({
  id: 'deleteTestCase',
  method: 'delete',
  path: '/api/policies/{id}/test-cases/{caseId}',
  summary: 'Delete a test case',
  tags,
  roles: AUTHORS,
  params: caseParams,
  responses: { 200: TestCase },
  errors: [404],
});
