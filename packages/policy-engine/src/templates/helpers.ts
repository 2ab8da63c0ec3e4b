/**
 * Small builders for json-rules-engine conditions, so the templates read like the schemes they
 * encode. Everything they return is plain JSON (contract §1): no functions end up in a definition.
 */
import type { AllCondition, AnyCondition, Condition, ConditionReference, LeafCondition, NotCondition } from '../types';

export const gte = (fact: string, value: number): LeafCondition => ({ fact, operator: 'greaterThanInclusive', value });
export const gt = (fact: string, value: number): LeafCondition => ({ fact, operator: 'greaterThan', value });
export const lt = (fact: string, value: number): LeafCondition => ({ fact, operator: 'lessThan', value });
export const eq = (fact: string, value: string | number | boolean): LeafCondition => ({ fact, operator: 'equal', value });
export const isIn = (fact: string, value: string[]): LeafCondition => ({ fact, operator: 'in', value });
export const all = (...conditions: Condition[]): AllCondition => ({ all: conditions });
export const any = (...conditions: Condition[]): AnyCondition => ({ any: conditions });
export const not = (condition: Condition): NotCondition => ({ not: condition });
export const ref = (condition: string): ConditionReference => ({ condition });
