/**
 * The definition walker: every place in a definition that holds a condition tree (a "root") or
 * reads a fact outside one, each with its site and owner. Everything that needs "all conditions of
 * a definition" (the facts it reads, the compiler's slots, the diff, the console) goes through
 * here, so a new place for conditions (a tier's `keepWhen`, a step-table component) is added once.
 */
import { expressionFacts, factsInCondition, Site, walkCondition, walkExpression, type ConditionVisitor } from './walk';
import type { PolicyDefinition, TopLevelCondition } from './types';
import { isPopulationOperator } from './population-operators';

export type ConditionRole =
  /** `eligibility` */
  | 'eligibility'
  /** `conditions.<name>` */
  | 'named'
  /** `scores[i].components[j].when` */
  | 'points'
  /** `scores[i].multipliers[k].when` */
  | 'multiplier'
  /** `tiers[i].when` */
  | 'tier'
  /** `tiers[i].keepWhen` (lifecycle: the condition to stay in the tier) */
  | 'keep';

export type RootOwner = { kind: 'tier'; index: number; key: string } | { kind: 'score'; index: number; key: string } | { kind: 'named'; name: string };

export interface ConditionRoot {
  role: ConditionRole;
  condition: TopLevelCondition;
  site: Site;
  /** The tier, scorecard or named condition the root belongs to; none for eligibility. */
  owner?: RootOwner;
  /** For `points` and `multiplier`: the component's or multiplier's index in its scorecard. */
  index?: number;
}

/** A fact read outside a condition: a weighted score component (`scores[i].components[j].fact`). */
export interface ScoreFactRead {
  fact: string;
  site: Site;
  owner: { kind: 'score'; index: number; key: string };
  index: number;
}

/** A fact read by a computed fact's expression (`computed.<key>.expr…fact`). */
export interface ComputedFactRead {
  fact: string;
  site: Site;
  owner: { kind: 'computed'; key: string };
}

export interface DefinitionVisitor {
  condition?(root: ConditionRoot): void;
  scoreFact?(read: ScoreFactRead): void;
  computedFact?(read: ComputedFactRead): void;
}

const list = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);

/**
 * Visit every condition root and every fact read of a definition in document order: eligibility,
 * named conditions, scorecards (components, multipliers), tiers. Tolerates a half-edited definition
 * (missing lists are empty).
 */
export function walkDefinition(def: PolicyDefinition, visitor: DefinitionVisitor): void {
  const root = (role: ConditionRole, condition: TopLevelCondition | undefined, segments: (string | number)[], owner?: RootOwner, index?: number) => {
    if (condition === undefined || visitor.condition === undefined) return;
    const r: ConditionRoot = { role, condition, site: Site.at(segments) };
    if (owner !== undefined) r.owner = owner;
    if (index !== undefined) r.index = index;
    visitor.condition(r);
  };
  if (visitor.computedFact !== undefined && def.computed !== null && typeof def.computed === 'object') {
    for (const [key, c] of Object.entries(def.computed)) {
      const owner = { kind: 'computed' as const, key };
      walkExpression(
        (c as { expr?: unknown } | null)?.expr,
        {
          fact: (node, site) => {
            if (typeof node.fact === 'string') visitor.computedFact?.({ fact: node.fact, site, owner });
          },
        },
        { at: Site.at(['computed', key, 'expr']) },
      );
    }
  }
  root('eligibility', def.eligibility, ['eligibility']);
  for (const [name, c] of Object.entries(def.conditions ?? {})) root('named', c, ['conditions', name], { kind: 'named', name });
  list(def.scores).forEach((s, i) => {
    const owner = { kind: 'score' as const, index: i, key: s.key };
    list(s.components).forEach((comp, j) => {
      if ('fact' in comp) visitor.scoreFact?.({ fact: comp.fact, site: Site.at(['scores', i, 'components', j, 'fact']), owner, index: j });
      else if ('when' in comp) root('points', comp.when, ['scores', i, 'components', j, 'when'], owner, j);
    });
    list(s.multipliers).forEach((m, k) => root('multiplier', m.when, ['scores', i, 'multipliers', k, 'when'], owner, k));
  });
  list(def.tiers).forEach((t, i) => {
    const owner = { kind: 'tier' as const, index: i, key: t.key };
    root('tier', t.when, ['tiers', i, 'when'], owner);
    root('keep', t.keepWhen, ['tiers', i, 'keepWhen'], owner);
  });
}

/** Every condition root of a definition, in document order. */
export function conditionRoots(def: PolicyDefinition): ConditionRoot[] {
  const out: ConditionRoot[] = [];
  walkDefinition(def, { condition: (r) => out.push(r) });
  return out;
}

/** Walk every condition of a definition with one visitor (each root where it stands; references not followed: each named condition is a root). */
export function walkDefinitionConditions(def: PolicyDefinition, visitor: ConditionVisitor): void {
  walkDefinition(def, { condition: (r) => walkCondition(r.condition, visitor, { at: r.site }) });
}

/** Every fact key the definition reads anywhere (score keys and computed facts included, and what computed facts read). */
export function factsInDefinition(def: PolicyDefinition): Set<string> {
  const out = new Set<string>();
  walkDefinition(def, {
    scoreFact: (read) => out.add(read.fact),
    computedFact: (read) => out.add(read.fact),
    condition: (r) => factsInCondition(r.condition, out),
  });
  // household aggregates read the id and the sources and provide the targets: all catalog facts the policy uses
  const h = def.household;
  if (h && typeof h === 'object' && typeof h.key === 'string') {
    out.add(h.key);
    for (const [target, spec] of Object.entries(h.facts ?? {})) {
      out.add(target);
      for (const source of Object.values(spec ?? {})) if (typeof source === 'string') out.add(source);
    }
  }
  return out;
}

/** The facts a policy takes as input: what it reads, less its scores and computed facts. */
export function inputFactsOf(def: PolicyDefinition): string[] {
  const own = new Set([...(def.scores ?? []).map((s) => s.key), ...Object.keys(def.computed ?? {})]);
  return [...factsInDefinition(def)].filter((k) => !own.has(k));
}

/**
 * The catalog facts a computed fact reads, through the computed facts it uses (in declaration
 * order; an unknown or later computed fact is not followed).
 */
export function computedInputs(def: PolicyDefinition, key: string): string[] {
  const computed = def.computed ?? {};
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (k: string): void => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const f of expressionFacts(computed[k]?.expr)) {
      if (Object.prototype.hasOwnProperty.call(computed, f)) visit(f);
      else out.add(f);
    }
  };
  visit(key);
  return [...out];
}

/** The numbers each fact is compared with anywhere in the definition (thresholds, range ends, list items), in document order. */
export function thresholdsByFact(def: PolicyDefinition): Map<string, number[]> {
  const out = new Map<string, number[]>();
  walkDefinitionConditions(def, {
    leaf: (leaf) => {
      // a population condition's number is a percentage or a bucket, not a threshold of its fact
      if (isPopulationOperator(leaf.operator)) return;
      const values = (Array.isArray(leaf.value) ? leaf.value : [leaf.value]).filter((v): v is number => typeof v === 'number');
      if (values.length === 0) return;
      const known = out.get(leaf.fact);
      if (known) known.push(...values);
      else out.set(leaf.fact, values);
    },
  });
  return out;
}
