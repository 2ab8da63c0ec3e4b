/**
 * What each part of a definition uses: the named conditions and scores a tier (or eligibility, a
 * named condition, a scorecard) reads, directly or through other named conditions and scores.
 * Built on the definition walker; tolerant of half-edited definitions (and of cycles in them).
 */
import { walkDefinition } from './definition-walk';
import { leafFacts, walkCondition } from './walk';
import type { PolicyDefinition } from './types';

export interface Uses {
  /** Named conditions used, directly or transitively. */
  conditions: Set<string>;
  /** Scores read, directly or transitively (through named conditions and other scores). */
  scores: Set<string>;
  /** Computed facts read, directly or transitively (through named conditions, scores and other computed facts). */
  computed: Set<string>;
}

export interface DefinitionUses {
  eligibility: Uses;
  /** By tier index; a tier's own uses (eligibility is separate: every rated customer passes it first). */
  tiers: Uses[];
  named: Map<string, Uses>;
  scores: Map<string, Uses>;
  computed: Map<string, Uses>;
}

type Unit = 'eligibility' | `tier:${number}` | `named:${string}` | `score:${string}` | `computed:${string}`;

const empty = (): Uses => ({ conditions: new Set(), scores: new Set(), computed: new Set() });

/** Every part's uses, transitively. */
export function definitionUses(def: PolicyDefinition): DefinitionUses {
  const scoreKeys = new Set((Array.isArray(def.scores) ? def.scores : []).map((s) => s?.key).filter((k): k is string => typeof k === 'string'));
  const direct = new Map<Unit, Uses>();
  const of = (unit: Unit): Uses => {
    let u = direct.get(unit);
    if (u === undefined) direct.set(unit, (u = empty()));
    return u;
  };
  const computedKeys = new Set(def.computed !== null && typeof def.computed === 'object' ? Object.keys(def.computed) : []);
  const readFact = (u: Uses, fact: string) => {
    if (scoreKeys.has(fact)) u.scores.add(fact);
    if (computedKeys.has(fact)) u.computed.add(fact);
  };
  walkDefinition(def, {
    condition: (root) => {
      const unit: Unit =
        root.owner === undefined
          ? 'eligibility'
          : root.owner.kind === 'tier'
            ? `tier:${root.owner.index}`
            : root.owner.kind === 'named'
              ? `named:${root.owner.name}`
              : `score:${root.owner.key}`;
      const u = of(unit);
      walkCondition(root.condition, {
        leaf: (leaf) => leafFacts(leaf).forEach((f) => readFact(u, f)),
        reference: (ref) => {
          if (typeof ref.condition === 'string') u.conditions.add(ref.condition);
        },
      });
    },
    scoreFact: (read) => readFact(of(`score:${read.owner.key}`), read.fact),
    computedFact: (read) => readFact(of(`computed:${read.owner.key}`), read.fact),
  });

  const close = (unit: Unit): Uses => {
    const out = empty();
    const seen = new Set<Unit>([unit]);
    const todo: Unit[] = [unit];
    const visit = (next: Unit) => {
      if (seen.has(next)) return;
      seen.add(next);
      todo.push(next);
    };
    while (todo.length > 0) {
      const u = direct.get(todo.pop()!);
      if (!u) continue;
      for (const c of u.conditions) {
        out.conditions.add(c);
        visit(`named:${c}`);
      }
      for (const s of u.scores) {
        out.scores.add(s);
        visit(`score:${s}`);
      }
      for (const k of u.computed) {
        out.computed.add(k);
        visit(`computed:${k}`);
      }
    }
    return out;
  };

  const tiers = Array.isArray(def.tiers) ? def.tiers : [];
  return {
    eligibility: close('eligibility'),
    tiers: tiers.map((_t, i) => close(`tier:${i}`)),
    named: new Map(Object.keys(def.conditions ?? {}).map((n) => [n, close(`named:${n}`)])),
    scores: new Map([...scoreKeys].map((k) => [k, close(`score:${k}`)])),
    computed: new Map([...computedKeys].map((k) => [k, close(`computed:${k}`)])),
  };
}
