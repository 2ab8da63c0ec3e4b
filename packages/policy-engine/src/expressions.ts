/**
 * Computed facts (`computed` in a definition): arithmetic over facts and constants. This file is the
 * reference semantics, used by the json-rules-engine evaluator (each computed fact is a fact registered
 * on its engines) and by the explanation; the compiled evaluator builds closures of its own and is
 * proven identical by the differential property test.
 *
 * A fact read is usable only when it is a finite number (a string "100", a boolean, a missing fact are
 * not): otherwise the expression has no value, as it has when dividing by zero or when the result is
 * not finite. A computed fact without a value is a missing fact for every condition on it (false).
 */
import type { ComputedFact, Expression, ExpressionOperator, PolicyDefinition } from './types';
import { formatNumber } from './format';
import { foldExpression } from './walk';

/** A usable operand: a finite number, else undefined. */
export function operandValue(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** One operation on operand values (undefined = no value); the arithmetic both evaluators share in meaning. */
export function applyOperation(kind: ExpressionOperator, xs: readonly (number | undefined)[]): number | undefined {
  for (const x of xs) if (x === undefined) return undefined;
  const v = xs as readonly number[];
  let r: number;
  switch (kind) {
    case 'add':
      r = v.reduce((a, b) => a + b);
      break;
    case 'sub':
      r = v[0] - v[1];
      break;
    case 'mul':
      r = v.reduce((a, b) => a * b);
      break;
    case 'div':
      if (v[1] === 0) return undefined;
      r = v[0] / v[1];
      break;
    case 'min':
      r = Math.min(...v);
      break;
    case 'max':
      r = Math.max(...v);
      break;
  }
  return Number.isFinite(r) ? r : undefined;
}

/** The value of an expression, reading facts through `read` (raw values; computed facts already computed). */
export function evaluateExpression(expr: Expression, read: (fact: string) => unknown): number | undefined {
  return foldExpression<number | undefined>(expr, {
    number: (n) => n,
    fact: (node) => operandValue(read(node.fact as string)),
    operation: (kind, xs) => applyOperation(kind, xs),
  });
}

/** Every computed fact of a definition from raw input values, in declaration order (each may read the ones before it). */
export function computeAll(def: PolicyDefinition, input: Readonly<Record<string, unknown>>): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  const computed = def.computed ?? {};
  const read = (k: string): unknown =>
    Object.prototype.hasOwnProperty.call(out, k) ? out[k] : Object.prototype.hasOwnProperty.call(input, k) ? input[k] : undefined;
  for (const [key, c] of Object.entries(computed)) out[key] = evaluateExpression(c.expr, read);
  return out;
}

// ---- units -------------------------------------------------------------------------------------

/** A unit as the checker sees it: `''` unitless, `null` a constant (takes the unit of what it meets). */
export type Unit = string | null;

const SYMBOL: Record<ExpressionOperator, string> = { add: '+', sub: '−', mul: '×', div: '÷', min: 'min', max: 'max' };

/** Operator symbol for texts (`÷`, `min`). */
export const expressionSymbol = (kind: ExpressionOperator): string => SYMBOL[kind];

/**
 * The unit of a product or quotient of units. Sums, differences, min and max need like units and
 * are checked by the validator; a product with a unitless factor or a constant keeps the unit; a
 * quotient of like units is unitless (a ratio).
 */
export function combineUnits(kind: 'mul' | 'div', units: readonly Unit[]): Unit {
  if (kind === 'div') {
    const [a, b] = units;
    if (b === null || b === '') return a;
    if (a === b) return '';
    return a === null || a === '' ? `1/${b}` : `${a}/${b}`;
  }
  const named = units.filter((u): u is string => u !== null && u !== '');
  if (named.length === 0) return units.every((u) => u === null) ? null : '';
  return named.join('·');
}

/** How a computed fact reads in texts: its label (labelEn in `en`). */
export function computedLabel(c: ComputedFact, locale: 'zh-CN' | 'en'): string {
  return locale === 'en' ? (c.labelEn ?? c.label) : c.label;
}

/**
 * An expression as text, with each fact's label and, when `values` is given, the value seen:
 * `客户销售 750,000 ÷ 总销售 1,000,000`, `min(日均资产 120,000, 300,000)`.
 */
export function expressionText(
  expr: Expression,
  label: (key: string) => string,
  values?: Readonly<Record<string, unknown>>,
  computed: Readonly<Record<string, ComputedFact>> = {},
): string {
  type T = { text: string; op?: ExpressionOperator };
  const show = (v: unknown): string => (typeof v === 'number' ? formatNumber(v) : v === undefined || v === null ? '—' : JSON.stringify(v));
  const r = foldExpression<T>(expr, {
    number: (n) => ({ text: formatNumber(n) }),
    fact: (node) => {
      const key = String(node.fact);
      const inner = Object.prototype.hasOwnProperty.call(computed, key) ? computed[key] : undefined;
      if (inner !== undefined && values !== undefined) return { text: `(${expressionText(inner.expr, label, values, computed)})` };
      return { text: values !== undefined ? `${label(key)} ${show(values[key])}` : label(key) };
    },
    operation: (kind, xs) => {
      if (kind === 'min' || kind === 'max') return { text: `${kind}(${xs.map((x) => x.text).join(', ')})` };
      const strong = kind === 'mul' || kind === 'div';
      const parts = xs.map((x, i) =>
        x.op !== undefined && x.op !== 'min' && x.op !== 'max' && (strong ? true : i > 0 && kind === 'sub') ? `(${x.text})` : x.text,
      );
      return { text: parts.join(` ${SYMBOL[kind]} `), op: kind };
    },
  });
  return r.text;
}
