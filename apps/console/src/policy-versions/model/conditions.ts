import type { Condition, FactDefinition, LeafCondition, TopLevelCondition } from '@tierwise/policy-engine';
import { conditionChildren, conditionKind, isFactReference } from './engine';

export { isGroup, isLeaf, isNot, isReference } from './engine';

export type GroupKind = 'all' | 'any';

export const groupKind = (c: Condition): GroupKind | null => {
  const kind = conditionKind(c);
  return kind === 'all' || kind === 'any' ? kind : null;
};
export const groupChildren = (c: Condition): readonly Condition[] => (groupKind(c) ? conditionChildren(c) : []);

/** Re-labels a group (all ↔ any) keeping its children and any other keys in place. */
export function switchGroupKind(c: Condition, kind: GroupKind): Condition {
  const children = groupChildren(c);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(c)) out[key === 'all' || key === 'any' ? kind : key] = key === 'all' || key === 'any' ? children : value;
  return out as unknown as Condition;
}

export const isFactValue = isFactReference;

/** A sensible first value for a leaf of this fact and operator. */
export function defaultValue(fact: FactDefinition | undefined, operator: string): unknown {
  // population conditions: a percentage or a bucket, never the fact's own kind of value
  if (operator === 'topPercent') return 20;
  if (operator === 'shareOfTotalAtLeast') return 70;
  if (operator === 'quantileAtLeast') return 5;
  if (operator === 'between' || operator === 'betweenExclusiveMax') return [0, 0];
  if (operator === 'in' || operator === 'notIn') return fact?.type === 'enum' && fact.enumValues?.length ? [fact.enumValues[0]] : [];
  switch (fact?.type) {
    case 'boolean':
      return true;
    case 'enum':
      return fact.enumValues?.[0] ?? '';
    case 'string':
    case 'string[]':
      return '';
    case 'date':
      return new Date().toISOString().slice(0, 10);
    default:
      return 0;
  }
}

export const newLeaf = (fact: FactDefinition | undefined, operator: string): LeafCondition => ({
  fact: fact?.key ?? '',
  operator,
  value: defaultValue(fact, operator),
});

export const newGroup = (kind: GroupKind): TopLevelCondition => (kind === 'all' ? { all: [] } : { any: [] });
