/**
 * Household aggregates (issue 13): `household: { key, facts: { <target>: { <avg|sum|min|max>: <source> } } }`
 * declares facts computed over the rows that share a household id (the `key` fact), e.g. the family card's
 * `familyAvgDailyAssets` = the average of the members' `avgDailyAssets`. `aggregateHouseholds` fills them
 * into every member row (each member keeps their own facts, so their personal tier comes from the same
 * data). Only finite numbers count; a household with no usable value leaves the target missing; a row
 * without a household id is a household of its own.
 */
import { operandValue } from './expressions';
import type { Facts, PolicyDefinition } from './types';

export type HouseholdAggregate = 'avg' | 'sum' | 'min' | 'max';
export const HOUSEHOLD_AGGREGATES: readonly HouseholdAggregate[] = ['avg', 'sum', 'min', 'max'];

function combine(kind: HouseholdAggregate, xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  switch (kind) {
    case 'sum':
      return xs.reduce((a, b) => a + b, 0);
    case 'avg':
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    case 'min':
      return Math.min(...xs);
    case 'max':
      return Math.max(...xs);
  }
}

/** The rows with the definition's household aggregates filled in (new objects; rows without a declaration are returned as they are). */
export function aggregateHouseholds(definition: PolicyDefinition, rows: readonly Facts[]): Facts[] {
  const h = definition.household;
  if (h === undefined) return [...rows];
  const groups = new Map<unknown, number[]>();
  rows.forEach((r, i) => {
    const id = r[h.key];
    const k = id === undefined || id === null || id === '' ? Symbol(i) : id;
    const list = groups.get(k);
    if (list) list.push(i);
    else groups.set(k, [i]);
  });
  const out = rows.map((r) => ({ ...r }));
  for (const members of groups.values()) {
    for (const [target, spec] of Object.entries(h.facts)) {
      const [kind, source] = Object.entries(spec)[0] as [HouseholdAggregate, string];
      const xs = members.map((i) => operandValue(rows[i][source])).filter((x): x is number => x !== undefined);
      const v = combine(kind, xs);
      for (const i of members) {
        if (v === undefined) delete out[i][target];
        else out[i][target] = v;
      }
    }
  }
  return out;
}
