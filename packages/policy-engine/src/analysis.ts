/** Small structural helpers over a (validated) definition. */
import { hasOwn, isPlainObject } from './keys';
import type { Condition, PolicyDefinition, TopLevelCondition } from './types';

/** Every fact key used by a condition tree (leaf facts and `{fact}` values), named conditions not followed. */
export function factsInCondition(node: Condition, out: Set<string>): void {
  const stack: Condition[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if ('all' in n) stack.push(...n.all);
    else if ('any' in n) stack.push(...n.any);
    else if ('not' in n) stack.push(n.not);
    else if ('fact' in n) {
      out.add(n.fact);
      const v = n.value;
      if (isPlainObject(v) && hasOwn(v, 'fact') && typeof v.fact === 'string') out.add(v.fact);
    }
  }
}

/** Every fact key the definition uses anywhere (including score keys). */
export function factsInDefinition(def: PolicyDefinition): Set<string> {
  const out = new Set<string>();
  const conds: TopLevelCondition[] = [];
  if (def.eligibility) conds.push(def.eligibility);
  for (const c of Object.values(def.conditions ?? {})) conds.push(c);
  for (const s of def.scores ?? []) {
    for (const comp of s.components) {
      if ('fact' in comp) out.add(comp.fact);
      else conds.push(comp.when);
    }
    for (const m of s.multipliers ?? []) conds.push(m.when);
  }
  for (const t of def.tiers) if (t.when) conds.push(t.when);
  for (const c of conds) factsInCondition(c, out);
  return out;
}

export function isFactReference(value: unknown): value is { fact: string } {
  return isPlainObject(value) && hasOwn(value, 'fact') && typeof value.fact === 'string';
}
