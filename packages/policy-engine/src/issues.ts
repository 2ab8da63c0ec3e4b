/** Building validation issues: one shape for every check (validation, notes, lifecycle). */
import { propPath } from './keys';
import type { Issue } from './types';

export function issue(path: string, code: string, message: string, messageZh?: string): Issue {
  return messageZh === undefined ? { path, code, message } : { path, code, message, messageZh };
}

/** How a wrong value reads in a message: `null`, `an array`, `string "x"`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** `unknown-property` for key `k` of the object at `path`. */
export function unknownProperty(path: string, k: string, allowed: readonly string[]): Issue {
  return issue(propPath(path, k), 'unknown-property', `Unknown property "${k}"; allowed here: ${allowed.join(', ')}.`, `未知属性 "${k}"。`);
}

/** `unknown-property` for every key of `obj` not in `allowed`. */
export function unknownPropIssues(obj: Record<string, unknown>, path: string, allowed: readonly string[]): Issue[] {
  return Object.keys(obj)
    .filter((k) => !allowed.includes(k))
    .map((k) => unknownProperty(path, k, allowed));
}
