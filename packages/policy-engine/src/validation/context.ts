/** What the validation checks share: the issue list and the definition's names, and small field checks. */
import { FORBIDDEN_KEYS, hasOwn, isValidKey, propPath } from '../keys';
import { describe, issue, unknownProperty } from '../issues';
import { checkRuleNote } from '../notes';
import type { FactDefinition, Issue } from '../types';

export const KEY_RULE = 'must start with a letter and contain only letters, digits, "_" or "-" (at most 64 characters)';

export type Scope =
  /** Eligibility, tiers and named conditions: every score may be used. */
  | { kind: 'open' }
  /** Inside scorecard `index`: only earlier scores may be used. */
  | { kind: 'score'; index: number; key: string };

export interface Ctx {
  errors: Issue[];
  catalog: Map<string, FactDefinition>;
  scoreIndex: Map<string, number>;
  /** Computed facts that passed their key check: declaration index and unit (`''` = unitless; undefined while unknown or when the expression is wrong). */
  computed: Map<string, { index: number; unit: string | undefined }>;
  conditionNames: Set<string>;
  /** named condition → names it references directly */
  conditionRefs: Map<string, Set<string>>;
  /** named condition → score keys it uses directly */
  conditionScores: Map<string, Set<string>>;
  /** References made from inside scorecards, checked once the condition graph is known. */
  scoreConditionRefs: { name: string; scope: { index: number; key: string }; path: string }[];
}

export function checkUnknownProps(ctx: Ctx, obj: Record<string, unknown>, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) {
    if (FORBIDDEN_KEYS.has(k) || allowed.includes(k)) continue;
    if (k === 'path') {
      ctx.errors.push(issue(propPath(path, k), 'unsupported-path', '"path" is not supported: catalog facts are flat values, compare them directly.'));
    } else ctx.errors.push(unknownProperty(path, k, allowed));
  }
}

/**
 * A field that must be present (unless `optional`) and pass `valid`: its value, or undefined after
 * reporting `required` or `code` ("<key> <rule> <the value>") at the field's path.
 */
function requireField<T>(
  ctx: Ctx,
  obj: Record<string, unknown>,
  key: string,
  path: string,
  optional: boolean,
  valid: (v: unknown) => v is T,
  code: string,
  rule: string,
): T | undefined {
  const p = propPath(path, key);
  if (!hasOwn(obj, key) || obj[key] === undefined) {
    if (!optional) ctx.errors.push(issue(p, 'required', `"${key}" is required.`, `缺少必填项 "${key}"。`));
    return undefined;
  }
  const v = obj[key];
  if (!valid(v)) {
    ctx.errors.push(issue(p, code, `"${key}" ${rule} ${describe(v)}.`));
    return undefined;
  }
  return v;
}

const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const finiteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function requireString(ctx: Ctx, obj: Record<string, unknown>, key: string, path: string, optional = false): string | undefined {
  return requireField(ctx, obj, key, path, optional, nonEmptyString, 'invalid-type', 'must be a non-empty string, got');
}

export function requireKey(ctx: Ctx, obj: Record<string, unknown>, key: string, path: string, optional = false): string | undefined {
  return requireField(ctx, obj, key, path, optional, isValidKey, 'invalid-key', `${KEY_RULE}; got`);
}

/** A finite number; unlike the others, a present `undefined` counts as a wrong value, not as absent. */
export function requireNumber(ctx: Ctx, obj: Record<string, unknown>, key: string, path: string): number | undefined {
  if (!hasOwn(obj, key)) {
    ctx.errors.push(issue(propPath(path, key), 'required', `"${key}" is required.`, `缺少必填项 "${key}"。`));
    return undefined;
  }
  const v = obj[key];
  if (finiteNumber(v)) return v;
  ctx.errors.push(issue(propPath(path, key), 'invalid-type', `"${key}" must be a finite number, got ${describe(v)}.`));
  return undefined;
}

/** The rule note of a tier, score, component or multiplier, when it has one. */
export function checkNote(ctx: Ctx, obj: Record<string, unknown>, path: string): void {
  if (hasOwn(obj, 'note')) ctx.errors.push(...checkRuleNote(obj.note, propPath(path, 'note')));
}
