/** Webhooks for tier events (contract §9, admin only) and a rating run's pre-notice list (issue 12). */
import { z } from 'zod';
import { idParams, instant, list, listQuery, nullableInstant } from '../common';
import { component } from '../components';
import { defineOperation } from '../registry';

const tags = ['webhooks'];
const ADMIN = ['admin'] as const;

export const Webhook = component(
  'Webhook',
  z.object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    active: z.boolean(),
    secretSet: z.boolean(),
    cursor: z.number(),
    failStreak: z.number(),
    blockedUntil: nullableInstant,
    lastError: z.string().nullable(),
    createdBy: z.string(),
    createdAt: instant,
    updatedAt: instant,
    /** Deliveries by status: pending = dispatched from the outbox, not yet attempted. */
    deliveries: z.object({ delivered: z.number(), retrying: z.number(), pending: z.number(), failed: z.number() }).optional(),
  }),
);
export const WebhookDelivery = component(
  'WebhookDelivery',
  z.object({
    id: z.string(),
    eventId: z.string(),
    type: z.string(),
    customerId: z.string(),
    policy: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    /** The ledger's change (enter, upgrade, …); null for a downgrade pre-notice. */
    change: z.string().nullable(),
    /** pending = dispatched from the outbox, not yet attempted; failed = parked, retried by hand. */
    status: z.enum(['pending', 'delivered', 'retrying', 'failed']),
    attempts: z.number(),
    responseCode: z.number().nullable(),
    error: z.string().nullable(),
    nextAttemptAt: nullableInstant,
    createdAt: instant,
    updatedAt: instant,
  }),
);
/** Documents the bodies the events module validates (its own schemas, same fields). */
const webhookBody = component(
  'WebhookBody',
  z.object({
    url: z.string().max(2000),
    events: z.array(z.enum(['tier.changed', 'tier.downgrade_pending'])).min(1),
    secret: z.string().min(16).max(256),
    active: z.boolean().optional(),
  }),
);
const webhookPatchBody = component('WebhookPatchBody', webhookBody.partial());
const deliveryParams = z.object({ id: z.uuid(), deliveryId: z.string() });

export const createWebhook = defineOperation({
  id: 'createWebhook',
  method: 'post',
  path: '/api/webhooks',
  summary: 'Register a webhook for tier events (public targets unless listed in WEBHOOK_ALLOWED_HOSTS)',
  tags,
  roles: ADMIN,
  body: webhookBody,
  responses: { 201: Webhook },
  errors: [400, 422],
});
export const listWebhooks = defineOperation({
  id: 'listWebhooks',
  method: 'get',
  path: '/api/webhooks',
  summary: 'Webhooks',
  tags,
  roles: ADMIN,
  query: listQuery,
  responses: { 200: list(Webhook) },
  errors: [400],
});
export const getWebhook = defineOperation({
  id: 'getWebhook',
  method: 'get',
  path: '/api/webhooks/{id}',
  summary: 'One webhook, with its delivery counts',
  tags,
  roles: ADMIN,
  params: idParams,
  responses: { 200: Webhook },
  errors: [404],
});
export const updateWebhook = defineOperation({
  id: 'updateWebhook',
  method: 'patch',
  path: '/api/webhooks/{id}',
  summary: 'Change a webhook',
  tags,
  roles: ADMIN,
  params: idParams,
  body: webhookPatchBody,
  responses: { 200: Webhook },
  errors: [400, 404, 422],
});
export const deleteWebhook = defineOperation({
  id: 'deleteWebhook',
  method: 'delete',
  path: '/api/webhooks/{id}',
  summary: 'Delete a webhook',
  tags,
  roles: ADMIN,
  params: idParams,
  responses: { 200: component('WebhookDeleted', z.object({ id: z.string(), deleted: z.literal(true) })) },
  errors: [404],
});
export const listWebhookDeliveries = defineOperation({
  id: 'listWebhookDeliveries',
  method: 'get',
  path: '/api/webhooks/{id}/deliveries',
  summary: "A webhook's deliveries, newest first (filters status, eventId)",
  tags,
  roles: ADMIN,
  params: idParams,
  query: listQuery.extend({ status: z.string().optional(), eventId: z.string().optional() }),
  responses: { 200: list(WebhookDelivery) },
  errors: [400, 404],
});
export const retryWebhookDelivery = defineOperation({
  id: 'retryWebhookDelivery',
  method: 'post',
  path: '/api/webhooks/{id}/deliveries/{deliveryId}/retry',
  summary: 'Retry a failed delivery now',
  tags,
  roles: ADMIN,
  params: deliveryParams,
  responses: { 200: component('DeliveryRetried', z.object({ id: z.string(), status: z.literal('retrying') })) },
  errors: [404, 409],
});

export const testWebhook = defineOperation({
  id: 'testWebhook',
  method: 'post',
  path: '/api/webhooks/{id}/test',
  summary: 'Send a signed test delivery (type webhook.test, not an event of the outbox) now and report the answer',
  tags,
  roles: ADMIN,
  params: idParams,
  responses: {
    200: component(
      'WebhookTestResult',
      z.object({
        id: z.string(),
        ok: z.boolean(),
        responseCode: z.number().nullable(),
        error: z.string().nullable(),
        durationMs: z.number(),
      }),
    ),
  },
  errors: [404, 422],
});

export const PreNotice = component(
  'PreNotice',
  z.object({
    customerId: z.string(),
    tier: z.string().nullable(),
    ratedTier: z.string().nullable(),
    graceRunsUsed: z.number(),
    graceRuns: z.number(),
    snapshotRow: z.number(),
  }),
);
export const ratingRunPreNotice = defineOperation({
  id: 'getRatingRunPreNotice',
  method: 'get',
  path: '/api/rating-runs/{id}/pre-notice',
  summary: 'Customers the run keeps in their tier by the last run of their grace period (moved down by the next run that rates them below)',
  tags: ['rating-runs'],
  roles: ['admin', 'author', 'approver', 'compliance', 'viewer'],
  params: idParams,
  query: listQuery,
  responses: { 200: list(PreNotice) },
  errors: [400, 404],
});
