import type { PolicyDefinition, TierDefinition } from '@tierwise/policy-engine';

export interface Change {
  /** Relative path inside the tier (or the definition for `other`), e.g. `when.any[0].value`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export interface TierDiff {
  key: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  rankBefore?: number;
  rankAfter?: number;
  before?: TierDefinition;
  after?: TierDefinition;
  changes: Change[];
}

export interface DefinitionDiff {
  tiers: TierDiff[];
  /** Eligibility, named conditions and scorecards. */
  other: Change[];
}

const isPrimitiveList = (v: unknown[]) => v.every((x) => x === null || typeof x !== 'object');

/** Leaf values by path; lists of plain values (thresholds of `in`, `between`) count as one value. */
export function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value) && !isPrimitiveList(value)) value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, JSON.stringify(value));
  return out;
}

export function diffValues(before: unknown, after: unknown): Change[] {
  const a = flatten(before);
  const b = flatten(after);
  const changes: Change[] = [];
  for (const [path, v] of a) {
    if (!b.has(path)) changes.push({ path, kind: 'removed', before: JSON.parse(v) });
    else if (b.get(path) !== v) changes.push({ path, kind: 'changed', before: JSON.parse(v), after: JSON.parse(b.get(path)!) });
  }
  for (const [path, v] of b) if (!a.has(path)) changes.push({ path, kind: 'added', after: JSON.parse(v) });
  return changes;
}

const withoutKey = ({ key: _key, ...rest }: TierDefinition) => rest;

/** Per tier (matched by key): each threshold and field before → after, plus rank moves. */
export function diffDefinitions(left: PolicyDefinition, right: PolicyDefinition): DefinitionDiff {
  const tiers: TierDiff[] = [];
  const rightByKey = new Map(right.tiers.map((t, i) => [t.key, { tier: t, rank: i + 1 }]));
  const leftKeys = new Set(left.tiers.map((t) => t.key));
  left.tiers.forEach((before, i) => {
    const match = rightByKey.get(before.key);
    if (!match) return tiers.push({ key: before.key, status: 'removed', rankBefore: i + 1, before, changes: [] });
    const changes = diffValues(withoutKey(before), withoutKey(match.tier));
    const moved = match.rank !== i + 1;
    tiers.push({
      key: before.key,
      status: changes.length || moved ? 'changed' : 'unchanged',
      rankBefore: i + 1,
      rankAfter: match.rank,
      before,
      after: match.tier,
      changes,
    });
  });
  right.tiers.forEach((after, i) => {
    if (!leftKeys.has(after.key)) tiers.push({ key: after.key, status: 'added', rankAfter: i + 1, after, changes: [] });
  });
  const rest = (d: PolicyDefinition) => ({ eligibility: d.eligibility, conditions: d.conditions, scores: d.scores });
  return { tiers, other: diffValues(rest(left), rest(right)) };
}
