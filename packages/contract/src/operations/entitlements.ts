/** Entitlement checks (contract §11): may this customer have this benefit / buy this product — allowed or denied with the reason, logged. */
import { z } from 'zod';
import { facts, instant, instantInput, list, listQuery, safeKey } from '../common';
import { component } from '../components';
import { defineOperation } from '../registry';

const tags = ['entitlements'];

export const entitlementCheckBody = component(
  'EntitlementCheckBody',
  z
    .strictObject({
      policy: z.string().min(1, 'is required').max(64),
      benefit: safeKey.describe('A benefit key of the catalog (a product the customer may buy is a benefit too, e.g. fund-bond-funds)'),
      facts: facts.optional().describe('Rate these facts with the version in effect at `at` (the decision is logged)'),
      customerId: z.string().min(1).max(200).optional().describe('Without facts: check against the customer’s official tier at `at`'),
      at: instantInput().optional(),
    })
    .refine((b) => b.facts !== undefined || b.customerId !== undefined, { message: 'give facts or a customerId', path: ['facts'] }),
);

const named = z.object({ key: z.string(), name: z.string().nullable(), nameEn: z.string().nullable().optional() });

export const EntitlementCheck = component(
  'EntitlementCheck',
  z.object({
    checkId: z.string(),
    checkedAt: instant,
    allowed: z.boolean(),
    policy: z.object({ key: z.string(), versionId: z.string().nullable(), number: z.number().nullable() }),
    source: z.enum(['facts', 'ledger']),
    tier: named.nullable(),
    benefitPackage: named.nullable(),
    benefit: named,
    reason: z.object({ code: z.enum(['IN_PACKAGE', 'NOT_IN_PACKAGE', 'NOT_RATED', 'NO_OFFICIAL_TIER']), message: z.string(), messageZh: z.string() }),
    decisionId: z.string().optional(),
  }),
);

export const EntitlementCheckRecord = component(
  'EntitlementCheckRecord',
  z.object({
    id: z.string(),
    checkedAt: instant,
    asOf: instant,
    actor: z.string(),
    policy: z.string(),
    versionId: z.string().nullable(),
    versionNumber: z.number().nullable(),
    customerId: z.string().nullable(),
    source: z.enum(['facts', 'ledger']),
    decisionId: z.string().nullable(),
    benefit: z.string(),
    allowed: z.boolean(),
    tier: z.string().nullable(),
    benefitPackage: z.string().nullable(),
    reason: z.string(),
  }),
);

export const checkEntitlement = defineOperation({
  id: 'checkEntitlement',
  method: 'post',
  path: '/api/entitlements/check',
  summary: 'May this customer have this benefit / buy this product? Allowed or denied with the reason (tier, package); logged',
  tags,
  roles: ['admin', 'author', 'approver', 'compliance', 'viewer', 'service'],
  body: entitlementCheckBody,
  responses: { 200: EntitlementCheck },
  errors: [400, 404, 422],
});

export const listEntitlementChecks = defineOperation({
  id: 'listEntitlementChecks',
  method: 'get',
  path: '/api/entitlements/checks',
  summary: 'The entitlement-check log, newest first (filter customerId, policy, benefit)',
  tags,
  roles: ['admin', 'compliance'],
  query: listQuery,
  responses: { 200: list(EntitlementCheckRecord) },
  errors: [400],
});
