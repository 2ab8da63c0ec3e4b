/** The audit trail (contract §6). */
import { z } from 'zod';
import { idParams, instant, list, listQuery } from '../common';
import { component } from '../components';
import { defineOperation } from '../registry';

const READERS = ['admin', 'author', 'approver', 'compliance', 'viewer'] as const;
const EXPORTERS = ['admin', 'compliance'] as const;
const tags = ['audit'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const AuditEvent = component(
  'AuditEvent',
  z.object({
    id: z.string(),
    seq: z.number(),
    at: instant,
    actor: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    diff: z.unknown(),
    comment: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string(),
  }),
);

export const ChainVerification = component(
  'ChainVerification',
  z.object({
    valid: z.boolean(),
    count: z.number(),
    /** The last verified event, to keep outside Tierwise as an anchor (`<seq>:<hash>`). */
    head: z.object({ seq: z.number(), hash: z.string() }).nullable(),
    brokenAt: z.object({ id: z.string().optional(), seq: z.number(), code: z.string(), reason: z.string() }).optional(),
    anchor: z.object({ seq: z.number(), hash: z.string(), at: z.string() }).nullable().optional(),
    unkeyed: z.number().optional(),
  }),
);

const filters = listQuery.extend({
  entityType: z.string().optional(),
  entityId: z.string().optional(),
  actor: z.string().optional(),
  action: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
});

export const listAuditEvents = defineOperation({
  id: 'listAuditEvents',
  method: 'get',
  path: '/api/audit-events',
  summary: 'Audit events, newest first (filters entityType, entityId, actor, action, from, to)',
  tags,
  roles: READERS,
  query: filters,
  responses: { 200: list(AuditEvent) },
  errors: [400],
});
export const verifyAuditChain = defineOperation({
  id: 'verifyAuditChain',
  method: 'get',
  path: '/api/audit-events/verify',
  summary: 'Verify the hash chain (and, with anchor, that an earlier head is still there)',
  tags,
  roles: READERS,
  query: z.object({ anchor: z.string().optional().describe('<seq>:<hash> from an earlier verify') }),
  responses: { 200: ChainVerification },
  errors: [400],
});
export const exportAuditCsv = defineOperation({
  id: 'exportAuditEventsCsv',
  method: 'get',
  path: '/api/audit-events/export.csv',
  summary: 'The audit events as CSV (the list filters apply)',
  tags,
  roles: EXPORTERS,
  query: filters.omit({ sort: true, range: true }),
  responses: { 200: { file: ['text/csv'], description: 'CSV, formula-safe' } },
  errors: [400],
});
export const exportAudit = defineOperation({
  id: 'exportAuditEvents',
  method: 'get',
  path: '/api/audit-events/export',
  summary: 'The audit events as CSV or XLSX (?format=)',
  tags,
  roles: EXPORTERS,
  query: filters.omit({ sort: true, range: true }).extend({ format: z.enum(['csv', 'xlsx']).optional() }),
  responses: { 200: { file: ['text/csv', XLSX], description: 'The file' } },
  errors: [400],
});
export const getAuditEvent = defineOperation({
  id: 'getAuditEvent',
  method: 'get',
  path: '/api/audit-events/{id}',
  summary: 'One audit event',
  tags,
  roles: READERS,
  params: idParams,
  responses: { 200: AuditEvent },
  errors: [404],
});
