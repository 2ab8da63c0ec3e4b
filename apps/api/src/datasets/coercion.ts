import type { FactDefinition } from '@tierwise/policy-engine';
import { factValueProblem } from '../evaluation/fact-input';

/**
 * Turning a cell into a fact value of the catalog type. An empty cell is a missing fact (null),
 * which the policy semantics allow (every condition on it is false).
 *
 * - number / integer: `1234.56`, `-5`, `1e6`, and thousands separators as Excel writes them
 *   (`1,234,567.89`); integers must be whole and safe.
 * - boolean: true/false, 1/0, yes/no, y/n, t/f, 是/否, 真/假 (any case).
 * - enum: one of the fact's values (exact; a case-only difference is accepted and normalised).
 * - date: `YYYY-MM-DD`, also `YYYY/M/D` and `YYYY.M.D` (normalised to `YYYY-MM-DD`), or an ISO date-time.
 * - string[]: a JSON array of strings, or items separated by `;`, `；` or `|`.
 * - string: the trimmed text.
 */
export class Problem {
  constructor(readonly reason: string) {}
}

/** What plainNumber accepts (the test checks them against each other). */
export const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const DAY = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

const TRUE = new Set(['true', '1', 'yes', 'y', 't', '是', '真']);
const FALSE = new Set(['false', '0', 'no', 'n', 'f', '否', '假']);

const isDigit = (c: number) => c >= 48 && c <= 57;

/** NUMBER.test(s), by hand: the regular expression was a fifth of a 1M-row import's coercion. */
function plainNumber(s: string): boolean {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) c = s.charCodeAt(++i);
  let digits = 0;
  while (isDigit(c)) {
    digits++;
    c = s.charCodeAt(++i);
  }
  if (c === 46) {
    c = s.charCodeAt(++i);
    let fraction = 0;
    while (isDigit(c)) {
      fraction++;
      c = s.charCodeAt(++i);
    }
    if (digits === 0 && fraction === 0) return false;
  } else if (digits === 0) return false;
  if (c === 101 || c === 69) {
    c = s.charCodeAt(++i);
    if (c === 43 || c === 45) c = s.charCodeAt(++i);
    let exponent = 0;
    while (isDigit(c)) {
      exponent++;
      c = s.charCodeAt(++i);
    }
    if (exponent === 0) return false;
  }
  return i === n;
}

function parseNumber(s: string): number | Problem {
  if (plainNumber(s)) {
    const n = Number(s);
    return Number.isFinite(n) ? n : new Problem('is too large');
  }
  if (GROUPED.test(s)) return Number(s.replace(/,/g, ''));
  return new Problem('must be a number (like 1234.56 or 1,234.56)');
}

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/** A cell's text (trimmed, not empty) → its value or a Problem, for one fact. */
type Coerce = (s: string) => unknown;

/** The coercion of one fact, its type's case chosen once (an import calls it for every cell of the column). */
function coercionOf(f: FactDefinition): Coerce {
  switch (f.type) {
    case 'number':
      return parseNumber;
    case 'integer':
      return (s) => {
        const n = parseNumber(s);
        if (n instanceof Problem) return new Problem('must be a whole number');
        return Number.isSafeInteger(n) ? n : new Problem('must be a whole number');
      };
    case 'boolean':
      return (s) => {
        if (s === 'true') return true;
        if (s === 'false') return false;
        const l = s.toLowerCase();
        if (TRUE.has(l)) return true;
        if (FALSE.has(l)) return false;
        return new Problem('must be true or false (also 1/0, yes/no, 是/否)');
      };
    case 'enum': {
      const values = f.enumValues ?? [];
      const exact = new Set(values);
      // a case-only difference: the first value it matches, as values.find would give
      const folded = new Map<string, string>();
      for (const v of values) if (!folded.has(v.toLowerCase())) folded.set(v.toLowerCase(), v);
      const problem = `must be one of ${values.join(', ')}`;
      return (s) => (exact.has(s) ? s : (folded.get(s.toLowerCase()) ?? new Problem(problem)));
    }
    default: {
      const type = f.type;
      return (s) => coerceOther(type, s);
    }
  }
}

const coercions = new WeakMap<FactDefinition, Coerce>();

/** A cell from a CSV file. Returns the value, null for an empty cell, or a Problem. */
export function coerceText(f: FactDefinition, raw: string): unknown {
  const s = raw.trim();
  if (s === '') return null;
  let coerce = coercions.get(f);
  if (!coerce) coercions.set(f, (coerce = coercionOf(f)));
  return coerce(s);
}

/** The cells of one column (a fact definition is not changed while an import holds it): `coerceText(f, ·)`. */
export function textCoercion(f: FactDefinition): (raw: string) => unknown {
  const coerce = coercionOf(f);
  return (raw) => {
    const s = raw.trim();
    return s === '' ? null : coerce(s);
  };
}

function coerceOther(type: 'date' | 'string[]' | 'string', s: string): unknown {
  switch (type) {
    case 'date': {
      const m = DAY.exec(s);
      if (m) {
        const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
        if (!validDay(y, mo, d)) return new Problem('is not a calendar date');
        return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
      }
      if (DATE_TIME.test(s) && validDay(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)))) return s;
      return new Problem('must be a date like 2026-01-31');
    }
    case 'string[]': {
      if (s.startsWith('[')) {
        try {
          const v: unknown = JSON.parse(s);
          if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
        } catch {
          /* reported below */
        }
        return new Problem('must be a JSON list of strings, or items separated by ;');
      }
      return s
        .split(/[;；|]/)
        .map((x) => x.trim())
        .filter(Boolean);
    }
    case 'string':
      return s;
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

/** A value from a JSON row: strings are read as CSV cells are, other values must already fit the type. */
export function coerceJson(f: FactDefinition, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return coerceText(f, value);
  const problem = factValueProblem(f, value);
  return problem ? new Problem(problem) : value;
}
