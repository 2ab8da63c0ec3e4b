import type { FactDefinition } from '@tierwise/policy-engine';
import type { ErrorDetail } from '../common/errors/app.exception';

const DAY = /^\d{4}-\d{2}-\d{2}/;

/** Why `value` does not fit the fact's type, or null. null/absent is "missing", which is allowed. */
export function factValueProblem(f: FactDefinition, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (f.type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'integer':
      return Number.isSafeInteger(value) ? null : 'must be a whole number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'string':
      return typeof value === 'string' ? null : 'must be a string';
    case 'enum':
      return typeof value === 'string' && (f.enumValues ?? []).includes(value) ? null : `must be one of ${(f.enumValues ?? []).join(', ')}`;
    case 'string[]':
      return Array.isArray(value) && value.every((x) => typeof x === 'string') ? null : 'must be a list of strings';
    case 'date':
      return typeof value === 'string' && DAY.test(value) && !Number.isNaN(Date.parse(value.slice(0, 10))) ? null : 'must be a date like 2026-01-31';
    default: {
      const unreachable: never = f.type;
      return unreachable;
    }
  }
}

/** Check the input facts a version uses against their catalog types; other keys are ignored. */
export function checkFacts(facts: Record<string, unknown>, catalog: FactDefinition[], prefix = 'facts'): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const f of catalog) {
    if (!Object.prototype.hasOwnProperty.call(facts, f.key)) continue;
    const problem = factValueProblem(f, facts[f.key]);
    if (problem) out.push({ path: `${prefix}.${f.key}`, message: `${f.label}: ${problem}` });
  }
  return out;
}
