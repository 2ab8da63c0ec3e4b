import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { CommonException, CommonExceptionCode, ErrorDetail } from './errors/app.exception';

/** `tiers[0].when.any[1]` style, the same as the policy engine's paths. */
export function formatPath(parts: readonly PropertyKey[], prefix = ''): string {
  return parts.reduce<string>((acc, p) => {
    if (typeof p === 'number') return `${acc}[${p}]`;
    const key = String(p);
    return acc ? `${acc}.${key}` : key;
  }, prefix);
}

export function zodDetails(error: z.ZodError, prefix = ''): ErrorDetail[] {
  return error.issues.map((i) => ({ path: formatPath(i.path, prefix), message: i.message, code: i.code }));
}

interface Step {
  key: string | number;
  parent?: Step;
}

function pathOfStep(step: Step | undefined): string {
  const parts: (string | number)[] = [];
  for (let s = step; s; s = s.parent) parts.push(s.key);
  return formatPath(parts.reverse());
}

/** The path of the first string (value or key) holding a NUL character: PostgreSQL text cannot store one. */
export function findNul(value: unknown): string | undefined {
  const stack: [unknown, Step | undefined][] = [[value, undefined]];
  while (stack.length) {
    const [v, at] = stack.pop() as [unknown, Step | undefined];
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return pathOfStep(at);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, { key: i, parent: at }]));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) return pathOfStep({ key: k, parent: at });
        stack.push([x, { key: k, parent: at }]);
      }
    }
  }
  return undefined;
}

/**
 * Bodies parsed from JSON text that holds no `\u0000` escape: JSON text can put a NUL into a string (value or key) only
 * by that escape (a raw U+0000 in a string is not JSON), so none of their strings holds one and hasNul need not walk
 * them. The JSON body parser marks them (app.ts): scanning a 10,000-customer body's text takes ~0.02 ms, walking its
 * parsed values (an Object.keys per object) ~3 ms.
 */
const nulFree = new WeakSet<object>();

/** `body`, parsed from `text` (JSON), is marked as holding no NUL when the text has no `\u0000` escape. */
export function markNulFree(body: unknown, text: string): void {
  if (typeof body === 'object' && body !== null && !text.includes('\\u0000')) nulFree.add(body);
}

/**
 * Whether any string (value or key) holds a NUL character: findNul's answer without the path, so without building a
 * step per value (the path is found again, by findNul, only for a body that has one). For every request body.
 */
export function hasNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (k.includes('\u0000')) return true;
        stack.push(o[k]);
      }
    }
  }
  return false;
}

/**
 * Validates a body against a zod schema: not an object → 400; wrong fields → 422 with every path. `fast`, for a large
 * body, is a quicker check that returns what the schema would for a body it accepts and undefined otherwise (zod then
 * gives the refusal); it must agree with the schema (a differential test each).
 */
export class ZodBody<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(
    private readonly schema: T,
    private readonly fast?: (value: unknown) => z.infer<T> | undefined,
  ) {}
  transform(value: unknown): z.infer<T> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new CommonException(CommonExceptionCode.MalformedRequest, 'The request body must be a JSON object');
    }
    const nul = !nulFree.has(value) && hasNul(value) ? findNul(value) : undefined;
    if (nul !== undefined) {
      throw new CommonException(CommonExceptionCode.InvalidBody, 'Text may not contain the NUL character', [
        { path: nul, message: 'contains a NUL (\\u0000) character' },
      ]);
    }
    const quick = this.fast?.(value);
    if (quick !== undefined) return quick;
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) {
      throw new CommonException(CommonExceptionCode.InvalidBody, 'The request body is not valid', zodDetails(parsed.error));
    }
    return parsed.data;
  }
}

export const uuidParam = z.uuid({ message: 'must be a UUID' });

export class UuidParam implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    const parsed = uuidParam.safeParse(value);
    if (!parsed.success) throw new CommonException(CommonExceptionCode.NotFound, `No such id: ${String(value).slice(0, 80)}`);
    return parsed.data;
  }
}

/** Keys of a JSON object coming from a user (dangerous names refused everywhere) and calendar days: the contract's. */
export { calendarDay, safeKey } from '@tierwise/contract';
