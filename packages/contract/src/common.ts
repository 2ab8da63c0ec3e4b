import { z } from 'zod';
import { component } from './components';
import type { JsonResponse } from './registry';

/** Values a console needs to say an error in its own language (counts, names, numbers). */
export const errorParams = component('ErrorParams', z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])));

/** One problem of a request, at a path (`tiers[0].when.any[1]`, `If-Match`, `file`). */
export const errorDetail = component(
  'ErrorDetail',
  z.object({
    path: z.string(),
    message: z.string(),
    code: z.string().optional(),
    params: errorParams.optional(),
    /** The policy engine's own Chinese wording of a definition issue. */
    messageZh: z.string().optional(),
  }),
);

/** The one error shape of the API (contract §7): every 4xx/5xx answers this. */
export const errorBody = component(
  'Error',
  z.object({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string(),
    /** Stable machine-readable code the console translates (`tw.errors.<code>`). */
    code: z.string().optional(),
    params: errorParams.optional(),
    details: z.array(errorDetail).optional(),
    requestId: z.string().optional(),
  }),
);
export type ErrorBody = z.infer<typeof errorBody>;

/** Keys of a JSON object coming from a user: dangerous names are refused everywhere. */
export const safeKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'must start with a letter and use only letters, digits, _ . - (at most 64)')
  .refine((k) => !['__proto__', 'constructor', 'prototype'].includes(k), 'is a reserved name');

/** A calendar day `YYYY-MM-DD` that exists (2026-02-30 is refused). */
export const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day like 2026-01-31 (YYYY-MM-DD)')
  .refine((d) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return true; // reported by the pattern above
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
  }, 'is not a day of the calendar');

export const uuid = z.uuid({ message: 'must be a UUID' });
/** An instant as the API writes it (ISO 8601, UTC). */
export const instant = z.string().meta({ format: 'date-time' });
export const nullableInstant = instant.nullable();
/** An instant a caller sends: ISO 8601 with a time zone. */
export const instantInput = (message = 'must be an ISO date-time with a time zone') => z.iso.datetime({ offset: true, message });

/** Any JSON value (stored as given: before/after of audit events, facts). */
export const json = z.unknown();
/** The limits of a `facts` object, also read by the API's quick batch-body walk (apps/api batch-body.ts). */
export const FACT_LIMITS = { maxKeyLength: 64, maxKeys: 500 } as const;
export const facts = z
  .record(z.string().max(FACT_LIMITS.maxKeyLength, `fact keys are at most ${FACT_LIMITS.maxKeyLength} characters`), z.unknown())
  .refine((f) => Object.keys(f).length <= FACT_LIMITS.maxKeys, `at most ${FACT_LIMITS.maxKeys} facts`)
  .describe(`Fact values by fact key (at most ${FACT_LIMITS.maxKeys})`);

export const idParams = z.object({ id: uuid });
export const keyParams = z.object({ key: z.string() });

/** react-admin's simple REST list convention: JSON-encoded `sort`, `range` and `filter`. */
export const listQuery = z.object({
  sort: z.string().optional().meta({ description: 'JSON ["field","ASC"|"DESC"]', example: '["createdAt","DESC"]' }),
  range: z.string().optional().meta({ description: 'JSON [from, to], inclusive, at most 1000 rows', example: '[0,24]' }),
  filter: z.string().optional().meta({ description: 'JSON object of filters', example: '{}' }),
});

/** A list: a JSON array, with the `Content-Range` header (`<resource> <from>-<to>/<total>`). */
export function list(item: z.ZodType, description = 'The page asked for; the total is in Content-Range'): JsonResponse {
  return { schema: z.array(item), description, headers: { 'Content-Range': 'resource from-to/total, e.g. "policies 0-24/31"' } };
}

/** The comment a workflow step may carry. */
export const commentBody = component('CommentBody', z.strictObject({ comment: z.string().max(5000, 'is too long').optional() }));

/** An upload or download file body. */
export const fileSchema = z.string().meta({ format: 'binary' });

/** A key/name pair with an optional English name, as tiers and packages are shown. */
export const named = z.object({ key: z.string(), name: z.string(), nameEn: z.string().optional() });
