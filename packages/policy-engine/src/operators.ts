/**
 * Operators as data. The built-ins are json-rules-engine's own (their `evaluate` here restates the
 * engine's semantics exactly, for documentation and for the console); the others are Tierwise's,
 * registered on every json-rules-engine instance the evaluator builds.
 *
 * Every operator, built-in or not, is false when the fact (or the compared-to fact) is missing:
 * that rule is applied by the evaluator around `evaluate`, not inside it.
 */
import { parseDay } from './dates';
import type { FactDefinition, FactType } from './types';

export interface OperatorContext {
  /** "Today" as a day number (see dates.ts), for `withinDays`. */
  asOfDay: number;
}

export interface OperatorSpec {
  name: string;
  label: string;
  labelZh: string;
  /** Compact symbol for explanations, e.g. `≥`. */
  symbol: string;
  /** Fact types the operator fits; the console offers only these. */
  factTypes: readonly FactType[];
  /** What `value` must be, in words. */
  valueType: string;
  /** json-rules-engine's own operator (true) or Tierwise's (false). */
  builtIn: boolean;
  /** Whether `value` may be `{ "fact": "other" }` (a fact of a compatible type). */
  allowFactValue: boolean;
  evaluate(factValue: unknown, value: unknown, context?: OperatorContext): boolean;
  /** null when `value` fits `fact`, otherwise a message. Enum membership is checked by the validator. */
  validateValue(value: unknown, fact: FactDefinition): string | null;
  /**
   * The leaf `params` the operator reads, each with its check (null = fits, else a message). Without it the
   * operator takes none: any `params` key on its leaf is an error (`unknown-param`), never silently ignored.
   */
  params?: Readonly<Record<string, (value: unknown) => string | null>>;
  /**
   * A population-relative operator (contract §10, population.ts): it compares the customer with the run's
   * population, so `evaluate` is never used — the leaf is rewritten to compare with its frozen cut-off.
   */
  population?: boolean;
}

/** json-rules-engine's numberValidator: `parseFloat(x)` is not NaN (so "12abc" and [5] pass). */
export function jreNumberValidator(factValue: unknown): boolean {
  return Number.parseFloat(factValue as string).toString() !== 'NaN';
}

const NUMERIC: readonly FactType[] = ['number', 'integer'];
const SCALAR: readonly FactType[] = ['number', 'integer', 'boolean', 'string', 'enum'];
const LISTABLE: readonly FactType[] = ['number', 'integer', 'string', 'enum'];
const ARRAY: readonly FactType[] = ['string[]'];
const DATE: readonly FactType[] = ['date'];

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A single value of the fact's own type. */
export function scalarMessage(value: unknown, fact: FactDefinition): string | null {
  switch (fact.type) {
    case 'number':
    case 'integer':
      return isFiniteNumber(value) ? null : `must be a number (fact "${fact.key}" is a ${fact.type})`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false (fact "${fact.key}" is a boolean)`;
    case 'string':
    case 'enum':
      return typeof value === 'string' ? null : `must be a string (fact "${fact.key}" is a ${fact.type})`;
    case 'date':
      return parseDay(value) !== null ? null : `must be an ISO date like "2021-05-01" (fact "${fact.key}" is a date)`;
    case 'string[]':
      return typeof value === 'string' ? null : `must be a string (an element of the list fact "${fact.key}")`;
  }
}

function numberMessage(value: unknown): string | null {
  return isFiniteNumber(value) ? null : 'must be a number';
}

function listMessage(value: unknown, fact: FactDefinition, elementType: FactDefinition = fact): string | null {
  if (!Array.isArray(value)) return 'must be a list (array) of values';
  if (value.length === 0) return 'must list at least one value';
  for (let i = 0; i < value.length; i++) {
    const m = scalarMessage(value[i], elementType);
    if (m !== null) return `element ${i} ${m}`;
  }
  return null;
}

function rangeMessage(value: unknown): string | null {
  if (!Array.isArray(value) || value.length !== 2 || !isFiniteNumber(value[0]) || !isFiniteNumber(value[1])) {
    return 'must be [min, max], two numbers';
  }
  if (value[0] > value[1]) return `min (${value[0]}) must not exceed max (${value[1]})`;
  return null;
}

function dateMessage(value: unknown): string | null {
  return parseDay(value) !== null ? null : 'must be an ISO date like "2021-05-01"';
}

function compareDays(a: unknown, b: unknown, cmp: (x: number, y: number) => boolean): boolean {
  const da = parseDay(a);
  if (da === null) return false;
  const db = parseDay(b);
  return db !== null && cmp(da, db);
}

function indexOf(list: unknown, item: unknown): number {
  return (list as unknown[]).indexOf(item);
}

export const operatorRegistry: readonly OperatorSpec[] = [
  // ---- json-rules-engine built-ins (semantics restated from engine-default-operators.js) ----
  {
    name: 'equal',
    label: 'equals',
    labelZh: '等于',
    symbol: '=',
    factTypes: SCALAR,
    valueType: "a value of the fact's type",
    builtIn: true,
    allowFactValue: true,
    evaluate: (a, b) => a === b,
    validateValue: scalarMessage,
  },
  {
    name: 'notEqual',
    label: 'does not equal',
    labelZh: '不等于',
    symbol: '≠',
    factTypes: SCALAR,
    valueType: "a value of the fact's type",
    builtIn: true,
    allowFactValue: true,
    evaluate: (a, b) => a !== b,
    validateValue: scalarMessage,
  },
  {
    name: 'lessThan',
    label: 'less than',
    labelZh: '小于',
    symbol: '<',
    factTypes: NUMERIC,
    valueType: 'number',
    builtIn: true,
    allowFactValue: true,
    evaluate: (a, b) => jreNumberValidator(a) && (a as number) < (b as number),
    validateValue: numberMessage,
  },
  {
    name: 'lessThanInclusive',
    label: 'at most',
    labelZh: '小于等于',
    symbol: '≤',
    factTypes: NUMERIC,
    valueType: 'number',
    builtIn: true,
    allowFactValue: true,
    evaluate: (a, b) => jreNumberValidator(a) && (a as number) <= (b as number),
    validateValue: numberMessage,
  },
  {
    name: 'greaterThan',
    label: 'greater than',
    labelZh: '大于',
    symbol: '>',
    factTypes: NUMERIC,
    valueType: 'number',
    builtIn: true,
    allowFactValue: true,
    evaluate: (a, b) => jreNumberValidator(a) && (a as number) > (b as number),
    validateValue: numberMessage,
  },
  {
    name: 'greaterThanInclusive',
    label: 'at least',
    labelZh: '大于等于',
    symbol: '≥',
    factTypes: NUMERIC,
    valueType: 'number',
    builtIn: true,
    allowFactValue: true,
    evaluate: (a, b) => jreNumberValidator(a) && (a as number) >= (b as number),
    validateValue: numberMessage,
  },
  {
    name: 'in',
    label: 'is one of',
    labelZh: '属于',
    symbol: '∈',
    factTypes: LISTABLE,
    valueType: "non-empty list of values of the fact's type",
    builtIn: true,
    allowFactValue: false,
    evaluate: (a, b) => indexOf(b, a) > -1,
    validateValue: (v, f) => listMessage(v, f),
  },
  {
    name: 'notIn',
    label: 'is none of',
    labelZh: '不属于',
    symbol: '∉',
    factTypes: LISTABLE,
    valueType: "non-empty list of values of the fact's type",
    builtIn: true,
    allowFactValue: false,
    evaluate: (a, b) => indexOf(b, a) === -1,
    validateValue: (v, f) => listMessage(v, f),
  },
  {
    name: 'contains',
    label: 'contains',
    labelZh: '包含',
    symbol: '∋',
    factTypes: ARRAY,
    valueType: 'string',
    builtIn: true,
    allowFactValue: false,
    evaluate: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
    validateValue: scalarMessage,
  },
  {
    name: 'doesNotContain',
    label: 'does not contain',
    labelZh: '不包含',
    symbol: '∌',
    factTypes: ARRAY,
    valueType: 'string',
    builtIn: true,
    allowFactValue: false,
    evaluate: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
    validateValue: scalarMessage,
  },
  // ---- Tierwise operators ----
  {
    name: 'between',
    label: 'between (inclusive)',
    labelZh: '介于（含两端）',
    symbol: '∈ [ , ]',
    factTypes: NUMERIC,
    valueType: '[min, max]: two numbers, min ≤ max; true when min ≤ fact ≤ max',
    builtIn: false,
    allowFactValue: false,
    evaluate: (a, b) => Array.isArray(b) && b.length === 2 && jreNumberValidator(a) && (a as number) >= (b[0] as number) && (a as number) <= (b[1] as number),
    validateValue: rangeMessage,
  },
  {
    name: 'betweenExclusiveMax',
    label: 'from min up to (not including) max',
    labelZh: '介于（含下限，不含上限）',
    symbol: '∈ [ , )',
    factTypes: NUMERIC,
    valueType: '[min, max]: two numbers, min ≤ max; true when min ≤ fact < max',
    builtIn: false,
    allowFactValue: false,
    evaluate: (a, b) => Array.isArray(b) && b.length === 2 && jreNumberValidator(a) && (a as number) >= (b[0] as number) && (a as number) < (b[1] as number),
    validateValue: rangeMessage,
  },
  {
    name: 'dateBefore',
    label: 'before',
    labelZh: '早于',
    symbol: '<',
    factTypes: DATE,
    valueType: 'ISO date',
    builtIn: false,
    allowFactValue: true,
    evaluate: (a, b) => compareDays(a, b, (x, y) => x < y),
    validateValue: dateMessage,
  },
  {
    name: 'dateAfter',
    label: 'after',
    labelZh: '晚于',
    symbol: '>',
    factTypes: DATE,
    valueType: 'ISO date',
    builtIn: false,
    allowFactValue: true,
    evaluate: (a, b) => compareDays(a, b, (x, y) => x > y),
    validateValue: dateMessage,
  },
  {
    name: 'dateOnOrBefore',
    label: 'on or before',
    labelZh: '不晚于',
    symbol: '≤',
    factTypes: DATE,
    valueType: 'ISO date',
    builtIn: false,
    allowFactValue: true,
    evaluate: (a, b) => compareDays(a, b, (x, y) => x <= y),
    validateValue: dateMessage,
  },
  {
    name: 'dateOnOrAfter',
    label: 'on or after',
    labelZh: '不早于',
    symbol: '≥',
    factTypes: DATE,
    valueType: 'ISO date',
    builtIn: false,
    allowFactValue: true,
    evaluate: (a, b) => compareDays(a, b, (x, y) => x >= y),
    validateValue: dateMessage,
  },
  {
    name: 'withinDays',
    label: 'within the last N days',
    labelZh: '在最近 N 天内',
    symbol: '≤ N days',
    factTypes: DATE,
    valueType: 'N, a whole number of days ≥ 0; true when 0 ≤ (as-of date − fact date) ≤ N',
    builtIn: false,
    allowFactValue: false,
    evaluate: (a, b, ctx) => {
      if (typeof b !== 'number' || ctx === undefined) return false;
      const d = parseDay(a);
      if (d === null) return false;
      const diff = ctx.asOfDay - d;
      return diff >= 0 && diff <= b;
    },
    validateValue: (v) => (Number.isInteger(v) && (v as number) >= 0 ? null : 'must be a whole number of days, 0 or more'),
  },
  {
    name: 'containsAny',
    label: 'contains any of',
    labelZh: '包含任一',
    symbol: '∩ ≠ ∅',
    factTypes: ARRAY,
    valueType: 'non-empty list of strings; true when the fact list holds at least one of them',
    builtIn: false,
    allowFactValue: false,
    evaluate: (a, b) => Array.isArray(a) && Array.isArray(b) && b.some((x) => a.indexOf(x) > -1),
    validateValue: (v, f) => listMessage(v, f),
  },
  {
    name: 'containsAll',
    label: 'contains all of',
    labelZh: '包含全部',
    symbol: '⊇',
    factTypes: ARRAY,
    valueType: 'non-empty list of strings; true when the fact list holds every one of them',
    builtIn: false,
    allowFactValue: false,
    evaluate: (a, b) => Array.isArray(a) && Array.isArray(b) && b.every((x) => a.indexOf(x) > -1),
    validateValue: (v, f) => listMessage(v, f),
  },
];

function percentMessage(value: unknown): string | null {
  if (!isFiniteNumber(value)) return 'must be a percentage, a number in (0, 100]';
  if (value <= 0 || value > 100) return `must be a percentage in (0, 100] (more than 0, at most 100)`;
  if (Math.abs(value * 10_000 - Math.round(value * 10_000)) > 1e-6) return 'must have at most 4 decimals';
  return null;
}

const groupByParam = (v: unknown): string | null =>
  typeof v === 'string' && v.length > 0 ? null : 'must be a fact key (the fact to rank within, e.g. region)';
const bestParam = (v: unknown): string | null => (v === 'highest' || v === 'lowest' ? null : 'must be "highest" or "lowest"');
const quantilesParam = (v: unknown): string | null =>
  Number.isInteger(v) && (v as number) >= 2 && (v as number) <= 100 ? null : 'must be a whole number from 2 to 100';
const cumulativeParam = (v: unknown): string | null => (typeof v === 'boolean' ? null : 'must be true or false');
/** Never called: population leaves are rewritten to an ordinary comparison with their cut-off before evaluation. */
const byCutoff = (): boolean => false;

/** Population-relative operators (contract §10); their meaning lives in population.ts. */
export const populationOperators: readonly OperatorSpec[] = [
  {
    name: 'topPercent',
    label: 'in the top N% of the population',
    labelZh: '排名前 N%',
    symbol: 'top %',
    factTypes: NUMERIC,
    valueType: 'a percentage in (0, 100]: the best ⌈n × p / 100⌉ customers of the run, ties at the cut included',
    builtIn: false,
    allowFactValue: false,
    evaluate: byCutoff,
    validateValue: percentMessage,
    params: { best: bestParam, groupBy: groupByParam },
    population: true,
  },
  {
    name: 'shareOfTotalAtLeast',
    label: "at least N% of the population's total",
    labelZh: '占总额至少 N%',
    symbol: '≥ % of total',
    factTypes: NUMERIC,
    valueType: "a percentage in (0, 100]: the customer's value is at least p% of the run's total (cumulative: among the best customers who together bring p%)",
    builtIn: false,
    allowFactValue: false,
    evaluate: byCutoff,
    validateValue: percentMessage,
    params: { cumulative: cumulativeParam, groupBy: groupByParam },
    population: true,
  },
  {
    name: 'quantileAtLeast',
    label: 'in quantile N or higher',
    labelZh: '分位档不低于 N',
    symbol: '≥ quantile',
    factTypes: NUMERIC,
    valueType: 'a bucket number 1 … quantiles (params.quantiles, e.g. 5 for quintiles); the highest bucket is the best',
    builtIn: false,
    allowFactValue: false,
    evaluate: byCutoff,
    validateValue: (v) => (Number.isInteger(v) && (v as number) >= 1 ? null : 'must be a bucket number, a whole number from 1'),
    params: { quantiles: quantilesParam, best: bestParam, groupBy: groupByParam },
    population: true,
  },
];

const BY_NAME = new Map([...operatorRegistry, ...populationOperators].map((o) => [o.name, o]));

export function getOperator(name: string): OperatorSpec | undefined {
  return BY_NAME.get(name);
}

/** Operators that fit a fact type (what the console offers). */
export function operatorsForFactType(type: FactType): OperatorSpec[] {
  return [...operatorRegistry, ...populationOperators].filter((o) => o.factTypes.includes(type));
}

/** Types that may be compared with `{ fact: other }`: number~integer, string~enum, date~date, boolean~boolean. */
export function typeFamily(type: FactType): string {
  switch (type) {
    case 'number':
    case 'integer':
      return 'number';
    case 'string':
    case 'enum':
      return 'string';
    default:
      return type;
  }
}
