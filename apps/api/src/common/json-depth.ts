import { CommonException, CommonExceptionCode } from './errors/app.exception';
import { formatPath } from './validation';

/**
 * The deepest nesting of objects and arrays accepted in any JSON a client sends (bodies, query
 * parameters holding JSON, multipart fields holding JSON). Policy definitions have their own, lower
 * limit in the engine (maxDepth 32, reported with the definition's path); this one only stops
 * hostile input before recursive code (hashing, diffing, evaluation) could overflow the stack.
 */
export const MAX_JSON_DEPTH = 64;

/** The path of the first value nested deeper than `max` levels, without recursion (so it cannot overflow itself). */
export function tooDeepAt(value: unknown, max = MAX_JSON_DEPTH): string | undefined {
  const stack: { v: unknown; depth: number; path: (string | number)[] }[] = [{ v: value, depth: 0, path: [] }];
  while (stack.length) {
    const { v, depth, path } = stack.pop() as (typeof stack)[number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return formatPath(path.slice(0, 12)) + (path.length > 12 ? '…' : '');
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [k, x] of entries) if (typeof x === 'object' && x !== null) stack.push({ v: x, depth: depth + 1, path: [...path, k] });
  }
  return undefined;
}

/** Throws a 422 naming where `value` (from `source`, e.g. "the request body") nests too deep. */
export function assertJsonDepth(value: unknown, source: string, prefix = ''): void {
  const at = tooDeepAt(value);
  if (at === undefined) return;
  const path = prefix && at ? `${prefix}.${at}` : prefix || at;
  throw new CommonException(CommonExceptionCode.JsonTooDeep, `${source} nests objects or lists deeper than ${MAX_JSON_DEPTH} levels`, [
    { path, message: `nested deeper than ${MAX_JSON_DEPTH} levels` },
  ]);
}
