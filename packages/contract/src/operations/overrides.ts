/** Overrides of a customer's official tier (contract §9). */
import { z } from 'zod';
import { idParams, instant, instantInput, list, listQuery, nullableInstant } from '../common';
import { component } from '../components';
import { defineOperation } from '../registry';
import { customerParams } from './rating';

const READERS = ['admin', 'author', 'approver', 'compliance', 'viewer'] as const;
export const OVERRIDE_REQUESTERS = ['admin', 'author'] as const;
export const OVERRIDE_APPROVERS = ['admin', 'approver'] as const;
export const OVERRIDE_ENDERS = ['admin', 'author', 'approver'] as const;
export const OVERRIDE_MODES = ['set', 'floor', 'ceiling'] as const;
const tags = ['overrides'];

export const overrideRequestBody = component(
  'OverrideRequestBody',
  z.strictObject({
    policy: z.string().min(1, 'is required').max(64),
    tier: z.string().min(1, 'is required').max(64),
    mode: z.enum(OVERRIDE_MODES, { message: 'must be set, floor or ceiling' }),
    reason: z.string().trim().min(1, 'say why the tier is overridden').max(2000),
    expiresAt: instantInput().optional(),
  }),
);
export const overrideApproveBody = component('OverrideApproveBody', z.strictObject({ comment: z.string().max(2000).optional() }));
export const overrideRejectBody = component(
  'OverrideRejectBody',
  z.strictObject({ comment: z.string().trim().min(1, 'say why the override is rejected').max(2000) }),
);
export const overrideEndBody = component('OverrideEndBody', z.strictObject({ comment: z.string().max(2000).optional() }));

export const Override = component(
  'Override',
  z.object({
    id: z.string(),
    customerId: z.string(),
    policy: z.string(),
    policyId: z.string(),
    mode: z.enum(OVERRIDE_MODES),
    tier: z.object({ key: z.string(), name: z.string().nullable(), nameEn: z.string().nullable().optional() }),
    reason: z.string(),
    expiresAt: nullableInstant,
    status: z.enum(['pending', 'active', 'rejected', 'withdrawn', 'ended', 'expired']),
    requestedBy: z.string(),
    requestedAt: instant,
    approvedBy: z.string().nullable(),
    approvedAt: nullableInstant,
    rejectedBy: z.string().nullable(),
    rejectedAt: nullableInstant,
    endedBy: z.string().nullable(),
    endedAt: nullableInstant,
    comment: z.string().nullable(),
  }),
);

const overrideFilters = listQuery.extend({
  customerId: z.string().optional(),
  policy: z.string().optional(),
  status: z.string().optional(),
  mode: z.string().optional(),
});

export const requestOverride = defineOperation({
  id: 'requestOverride',
  method: 'post',
  path: '/api/customers/{customerId}/overrides',
  summary: "Ask for an override of a customer's official tier (set, floor or ceiling); pending until approved",
  tags,
  roles: OVERRIDE_REQUESTERS,
  params: customerParams,
  body: overrideRequestBody,
  responses: { 201: Override },
  errors: [400, 404, 409, 422],
});
export const listCustomerOverrides = defineOperation({
  id: 'listCustomerOverrides',
  method: 'get',
  path: '/api/customers/{customerId}/overrides',
  summary: "A customer's overrides",
  tags,
  roles: READERS,
  params: customerParams,
  query: overrideFilters,
  responses: { 200: list(Override) },
  errors: [400],
});
export const listOverrides = defineOperation({
  id: 'listOverrides',
  method: 'get',
  path: '/api/overrides',
  summary: 'Overrides (filters customerId, policy, status, mode)',
  tags,
  roles: READERS,
  query: overrideFilters,
  responses: { 200: list(Override) },
  errors: [400],
});
export const getOverride = defineOperation({
  id: 'getOverride',
  method: 'get',
  path: '/api/overrides/{id}',
  summary: 'One override',
  tags,
  roles: READERS,
  params: idParams,
  responses: { 200: Override },
  errors: [404],
});
export const approveOverride = defineOperation({
  id: 'approveOverride',
  method: 'post',
  path: '/api/overrides/{id}/approve',
  summary: 'Approve a pending override (never its requester): it changes the official tier at once',
  tags,
  roles: OVERRIDE_APPROVERS,
  params: idParams,
  body: overrideApproveBody,
  bodyOptional: true,
  responses: { 200: Override },
  errors: [400, 404, 409, 422],
});
export const rejectOverride = defineOperation({
  id: 'rejectOverride',
  method: 'post',
  path: '/api/overrides/{id}/reject',
  summary: 'Reject a pending override, with a comment',
  tags,
  roles: OVERRIDE_APPROVERS,
  params: idParams,
  body: overrideRejectBody,
  responses: { 200: Override },
  errors: [400, 404, 409, 422],
});
export const endOverride = defineOperation({
  id: 'endOverride',
  method: 'delete',
  path: '/api/overrides/{id}',
  summary: 'End an active override early, or withdraw a pending one (comment in the body or the query)',
  tags,
  roles: OVERRIDE_ENDERS,
  params: idParams,
  query: z.object({ comment: z.string().optional() }),
  body: overrideEndBody,
  bodyOptional: true,
  responses: { 200: Override },
  errors: [400, 404, 409, 422],
});
