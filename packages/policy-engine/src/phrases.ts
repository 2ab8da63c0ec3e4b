/**
 * How conditions read in zh-CN and en: operator phrases, values and thresholds. Shared by the
 * explanation of an evaluation (which also says whether each comparison held) and the diff.
 */
import { formatNumber, type FactLabeller } from './format';
import type { LeafCondition, Locale } from './types';
import { isPlainObject } from './keys';
import { isFactReference } from './walk';
import { isPopulationOperator } from './population-operators';

export interface Phrase {
  held: string;
  failed: string;
}

const ZH: Record<string, Phrase> = {
  equal: { held: '=', failed: '≠' },
  notEqual: { held: '≠', failed: '=' },
  lessThan: { held: '<', failed: '≥' },
  lessThanInclusive: { held: '≤', failed: '>' },
  greaterThan: { held: '>', failed: '≤' },
  greaterThanInclusive: { held: '≥', failed: '<' },
  in: { held: '属于', failed: '不属于' },
  notIn: { held: '不属于', failed: '属于' },
  contains: { held: '包含', failed: '不包含' },
  doesNotContain: { held: '不包含', failed: '包含' },
  between: { held: '介于', failed: '不介于' },
  betweenExclusiveMax: { held: '介于', failed: '不介于' },
  dateBefore: { held: '早于', failed: '不早于' },
  dateAfter: { held: '晚于', failed: '不晚于' },
  dateOnOrBefore: { held: '不晚于', failed: '晚于' },
  dateOnOrAfter: { held: '不早于', failed: '早于' },
  withinDays: { held: '在最近', failed: '不在最近' },
  containsAny: { held: '包含以下任一', failed: '不包含以下任何一项' },
  containsAll: { held: '包含以下全部', failed: '未包含以下全部' },
  topPercent: { held: '排名前', failed: '未进入前' },
  shareOfTotalAtLeast: { held: '占总额至少', failed: '占总额不足' },
  quantileAtLeast: { held: '处于分位档 ≥', failed: '低于分位档' },
};

const EN: Record<string, Phrase> = {
  ...Object.fromEntries(['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'].map((k) => [k, ZH[k]])),
  in: { held: 'is one of', failed: 'is not one of' },
  notIn: { held: 'is not one of', failed: 'is one of' },
  contains: { held: 'contains', failed: 'does not contain' },
  doesNotContain: { held: 'does not contain', failed: 'contains' },
  between: { held: 'is between', failed: 'is not between' },
  betweenExclusiveMax: { held: 'is between', failed: 'is not between' },
  dateBefore: { held: 'is before', failed: 'is not before' },
  dateAfter: { held: 'is after', failed: 'is not after' },
  dateOnOrBefore: { held: 'is on or before', failed: 'is after' },
  dateOnOrAfter: { held: 'is on or after', failed: 'is before' },
  withinDays: { held: 'is within the last', failed: 'is not within the last' },
  containsAny: { held: 'contains one of', failed: 'contains none of' },
  containsAll: { held: 'contains all of', failed: 'does not contain all of' },
  topPercent: { held: 'in the top', failed: 'not in the top' },
  shareOfTotalAtLeast: { held: 'is at least', failed: 'is below' },
  quantileAtLeast: { held: 'in quantile ≥', failed: 'below quantile' },
};

/** A value as the explanation writes it: numbers grouped, booleans 是/否 (yes/no), lists in brackets. */
export function fmt(v: unknown, locale: Locale): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return locale === 'en' ? (v ? 'yes' : 'no') : v ? '是' : '否';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map((x) => fmt(x, locale)).join(', ')}]`;
  if (v === undefined || v === null) return locale === 'en' ? '(none)' : '（无）';
  return JSON.stringify(v) ?? String(v);
}

/** An operator's phrase when the comparison holds (`held`) or fails, e.g. ≥ / <, 属于 / 不属于. */
export function operatorPhrase(operator: string, locale: Locale): Phrase {
  const zh = locale !== 'en';
  return (zh ? ZH : EN)[operator] ?? { held: operator, failed: zh ? `不满足 ${operator}` : `not ${operator}` };
}

/**
 * The right-hand side of a comparison: `[100, 200)` for ranges, `30 天内` for withinDays, the other
 * fact's label (and, from a trace, its value) for `{fact}` comparisons.
 */
export function thresholdText(operator: string, value: unknown, valueFact: string | undefined, label: FactLabeller, locale: Locale, showValue = true): string {
  if (valueFact !== undefined) return showValue ? `${label(valueFact, locale)} ${fmt(value, locale)}` : label(valueFact, locale);
  if ((operator === 'between' || operator === 'betweenExclusiveMax') && Array.isArray(value) && value.length === 2) {
    return `[${fmt(value[0], locale)}, ${fmt(value[1], locale)}${operator === 'between' ? ']' : ')'}`;
  }
  if (operator === 'withinDays') return locale === 'en' ? `${fmt(value, locale)} days` : `${fmt(value, locale)} 天内`;
  if (operator === 'topPercent') return `${fmt(value, locale)}%`;
  if (operator === 'shareOfTotalAtLeast') return locale === 'en' ? `${fmt(value, locale)}% of the total` : `${fmt(value, locale)}%`;
  return fmt(value, locale);
}

/** A leaf of a definition as a policy owner reads it: "日均综合金融资产 ≥ 1,000,000", "Holds a valid ID = yes". */
export function conditionText(leaf: LeafCondition, label: FactLabeller, locale: Locale): string {
  const ref = isFactReference(leaf.value) ? leaf.value.fact : undefined;
  const text = `${label(leaf.fact, locale)} ${operatorPhrase(leaf.operator, locale).held} ${thresholdText(leaf.operator, leaf.value, ref, label, locale, false)}`;
  return text + populationNote(leaf.operator, leaf.params, label, locale);
}

/**
 * What a population condition's parameters add to its text: `（共 5 档）`, `（累计）`, `（越低越好）`, `（按地区分组）`
 * / ` (of 5)`, ` (cumulative)`, ` (lowest first)`, ` (within each Region)`. Empty for other operators.
 */
export function populationNote(operator: string, params: unknown, label: FactLabeller, locale: Locale): string {
  if (!isPopulationOperator(operator)) return '';
  const p = isPlainObject(params) ? params : {};
  const en = locale === 'en';
  const parts: string[] = [];
  if (typeof p.quantiles === 'number') parts.push(en ? `of ${p.quantiles}` : `共 ${p.quantiles} 档`);
  if (p.cumulative === true) parts.push(en ? 'cumulative: among the best who together bring it' : '累计：属于合计达到该占比的头部客户');
  if (p.best === 'lowest') parts.push(en ? 'lowest first' : '越低越好');
  if (typeof p.groupBy === 'string') parts.push(en ? `within each ${label(p.groupBy, locale)}` : `按${label(p.groupBy, locale)}分组`);
  if (parts.length === 0) return '';
  return en ? ` (${parts.join(', ')})` : `（${parts.join('，')}）`;
}
