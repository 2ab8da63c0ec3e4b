import type { Condition, PolicyDefinition, TierDefinition, TopLevelCondition } from '@tierwise/policy-engine';
import { canonicalJson } from '../audit/canonical-json';

type Change = 'added' | 'removed' | 'changed';

export interface LeafDiff {
  /** Where the condition sits inside its tier's `when`, e.g. `any[1]`. */
  path: string;
  fact: string;
  change: Change;
  before?: { operator: string; value: unknown };
  after?: { operator: string; value: unknown };
}

export interface TierDiff {
  key: string;
  change: Change | 'unchanged';
  name: { before?: string; after?: string };
  rank: { before?: number; after?: number };
  moved: boolean;
  benefitPackage?: { before?: string; after?: string };
  conditions: LeafDiff[];
}

export interface DefinitionDiff {
  tiers: TierDiff[];
  eligibility: LeafDiff[];
  namedConditions: { name: string; change: Change; conditions: LeafDiff[] }[];
  scores: { key: string; change: Change; before?: unknown; after?: unknown }[];
  summary: { added: number; removed: number; changed: number; moved: number; unchanged: number };
}

interface Leaf {
  fact: string;
  operator: string;
  value: unknown;
}

/** Every leaf (and named-condition reference) of a condition tree by its path inside the tree. */
function leaves(c: Condition | undefined, path = '', out = new Map<string, Leaf>()): Map<string, Leaf> {
  if (!c) return out;
  const join = (k: string) => (path ? `${path}.${k}` : k);
  if ('all' in c) c.all.forEach((x, i) => leaves(x, `${join('all')}[${i}]`, out));
  else if ('any' in c) c.any.forEach((x, i) => leaves(x, `${join('any')}[${i}]`, out));
  else if ('not' in c) leaves(c.not, join('not'), out);
  else if ('condition' in c) out.set(path || 'condition', { fact: `@${c.condition}`, operator: 'condition', value: c.condition });
  else out.set(path, { fact: c.fact, operator: c.operator, value: c.value });
  return out;
}

export function diffConditions(a: TopLevelCondition | undefined, b: TopLevelCondition | undefined): LeafDiff[] {
  const before = leaves(a);
  const after = leaves(b);
  const out: LeafDiff[] = [];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(path);
    const y = after.get(path);
    const shown = (l: Leaf) => ({ operator: l.operator, value: l.value });
    if (x && !y) out.push({ path, fact: x.fact, change: 'removed', before: shown(x) });
    else if (!x && y) out.push({ path, fact: y.fact, change: 'added', after: shown(y) });
    else if (x && y && canonicalJson(x) !== canonicalJson(y)) {
      out.push({ path, fact: y.fact === x.fact ? y.fact : `${x.fact} → ${y.fact}`, change: 'changed', before: shown(x), after: shown(y) });
    }
  }
  return out;
}

function tierDiff(key: string, a: TierDefinition | undefined, ra: number | undefined, b: TierDefinition | undefined, rb: number | undefined): TierDiff {
  const conditions = diffConditions(a?.when, b?.when);
  const packageChanged = a && b && a.benefitPackage !== b.benefitPackage;
  const nameChanged = a && b && (a.name !== b.name || a.nameEn !== b.nameEn);
  const change: TierDiff['change'] = !a ? 'added' : !b ? 'removed' : conditions.length || packageChanged || nameChanged ? 'changed' : 'unchanged';
  return {
    key,
    change,
    name: { before: a?.name, after: b?.name },
    rank: { before: ra, after: rb },
    moved: ra !== undefined && rb !== undefined && ra !== rb,
    ...(a?.benefitPackage !== b?.benefitPackage ? { benefitPackage: { before: a?.benefitPackage, after: b?.benefitPackage } } : {}),
    conditions,
  };
}

/** A structured, per-tier diff from `a` (before) to `b` (after). */
export function diffDefinitions(a: PolicyDefinition, b: PolicyDefinition): DefinitionDiff {
  const tiersA = Array.isArray(a.tiers) ? a.tiers : [];
  const tiersB = Array.isArray(b.tiers) ? b.tiers : [];
  const rank = (ts: TierDefinition[]) => new Map(ts.map((t, i) => [t.key, i + 1]));
  const ra = rank(tiersA);
  const rb = rank(tiersB);
  const byKeyA = new Map(tiersA.map((t) => [t.key, t]));
  const byKeyB = new Map(tiersB.map((t) => [t.key, t]));
  const keys = [...tiersB.map((t) => t.key), ...tiersA.map((t) => t.key).filter((k) => !byKeyB.has(k))];
  const tiers = keys.map((k) => tierDiff(k, byKeyA.get(k), ra.get(k), byKeyB.get(k), rb.get(k)));

  const namedA = a.conditions ?? {};
  const namedB = b.conditions ?? {};
  const namedConditions = [...new Set([...Object.keys(namedA), ...Object.keys(namedB)])].flatMap((name) => {
    const conditions = diffConditions(namedA[name], namedB[name]);
    const change: Change = !namedA[name] ? 'added' : !namedB[name] ? 'removed' : 'changed';
    return conditions.length || change !== 'changed' ? [{ name, change, conditions }] : [];
  });

  const scoresA = new Map((a.scores ?? []).map((s) => [s.key, s]));
  const scoresB = new Map((b.scores ?? []).map((s) => [s.key, s]));
  const scores = [...new Set([...scoresA.keys(), ...scoresB.keys()])].flatMap((key) => {
    const x = scoresA.get(key);
    const y = scoresB.get(key);
    if (x && y && canonicalJson(x) === canonicalJson(y)) return [];
    return [{ key, change: (!x ? 'added' : !y ? 'removed' : 'changed') as Change, before: x, after: y }];
  });

  const count = (c: TierDiff['change']) => tiers.filter((t) => t.change === c).length;
  return {
    tiers,
    eligibility: diffConditions(a.eligibility, b.eligibility),
    namedConditions,
    scores,
    summary: {
      added: count('added'),
      removed: count('removed'),
      changed: count('changed'),
      moved: tiers.filter((t) => t.moved).length,
      unchanged: count('unchanged'),
    },
  };
}
