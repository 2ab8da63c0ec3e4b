/**
 * Regional rollout (contract §11) as people read it, in zh-CN and en: which customers switch to a
 * version at which instant. A step's segment is a condition (the customers it holds for); everyone
 * else switches at the version's own effectiveFrom. Used by the version diff and the console.
 */
import { makeLabeller } from './format';
import { conditionText } from './phrases';
import type { Condition, FactDefinition, Locale } from './types';
import { conditionChildren, conditionKind } from './walk';

export interface RolloutStepInput {
  segment: unknown;
  effectiveFrom: string;
}

/** A segment condition as text: leaves as the explanation writes them, all → 且 / and, any → 或 / or, not → 非 / not. */
export function segmentText(segment: unknown, facts: readonly FactDefinition[], locale: Locale): string {
  const label = makeLabeller(facts);
  const zh = locale !== 'en';
  const walk = (c: Condition, nested: boolean): string => {
    const kind = conditionKind(c);
    if (kind === 'leaf') return conditionText(c as Parameters<typeof conditionText>[0], label, locale);
    if (kind === 'condition') return String((c as { condition: unknown }).condition);
    const children = conditionChildren(c);
    if (kind === 'not') return `${zh ? '非' : 'not '}(${children.map((x) => walk(x, true)).join('')})`;
    const joined = children.map((x) => walk(x, true)).join(kind === 'all' ? (zh ? ' 且 ' : ' and ') : zh ? ' 或 ' : ' or ');
    return nested && children.length > 1 ? `(${joined})` : joined;
  };
  return conditionKind(segment) === undefined ? '?' : walk(segment as Condition, false);
}

/**
 * One line per step, then one for everyone else: `第 1 步：自 2021-05-01T00:00:00+08:00 起，地区 = east 的客户` /
 * `Step 1: from 2021-05-01T00:00:00+08:00, customers where Region = east`; `其余客户：自 … 起` / `Everyone else: from …`.
 */
export function rolloutText(steps: readonly RolloutStepInput[], effectiveFrom: string | null, facts: readonly FactDefinition[], locale: Locale): string[] {
  const zh = locale !== 'en';
  const lines = steps.map((s, i) =>
    zh
      ? `第 ${i + 1} 步：自 ${s.effectiveFrom} 起，${segmentText(s.segment, facts, locale)} 的客户`
      : `Step ${i + 1}: from ${s.effectiveFrom}, customers where ${segmentText(s.segment, facts, locale)}`,
  );
  if (effectiveFrom !== null) lines.push(zh ? `其余客户：自 ${effectiveFrom} 起` : `Everyone else: from ${effectiveFrom}`);
  return lines;
}
