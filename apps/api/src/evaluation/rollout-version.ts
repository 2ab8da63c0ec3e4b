/**
 * Which version applies to a customer at an instant when versions carry a regional rollout
 * (contract §11) — the one implementation, used by single and batch evaluation (EvaluationService)
 * and by rating runs in job threads and BullMQ workers (rating-chunk.ts, from the run's frozen copy).
 *
 * A version starts for a customer at the first step whose segment their facts match, else at its
 * own effectiveFrom; the newest version started by the instant (and not retired by then) applies.
 * A segment is a condition (the customer is in it when it holds), compiled by the policy engine
 * like any definition's condition: a missing fact makes its leaf false.
 */
import { compileFast } from '@tierwise/policy-engine';
import type { FactDefinition, FastEvaluator, Facts, TopLevelCondition } from '@tierwise/policy-engine';
import { LRUCache } from 'lru-cache';

/** What the resolver reads of a published version: a row of policy_version, or a rating run's frozen copy of one. */
export interface RolloutVersion {
  id: string;
  number: number;
  /** null: not scheduled (never starts for everyone). */
  effectiveFrom: Date | string | null;
  retiredAt: Date | string | null;
  rollout: { segment: TopLevelCondition; effectiveFrom: string; facts: FactDefinition[] }[] | null;
}

export interface PickedVersion<V> {
  version: V;
  /** The step whose segment switched the customer (index into the version's rollout); null: the version's own effectiveFrom. */
  rolloutStep: number | null;
}

const time = (d: Date | string | null): number => (d === null ? Infinity : typeof d === 'string' ? Date.parse(d) : d.getTime());

/** A rollout step's segment as an evaluator: one tier that matches when the segment holds. */
function segmentEvaluator(step: { segment: TopLevelCondition; facts: FactDefinition[] }): FastEvaluator {
  return compileFast({ schemaVersion: 1, eligibility: step.segment, tiers: [{ key: 'IN', name: 'in segment' }] }, step.facts);
}

export class RolloutResolver {
  /** Compiled segments by version and step; published rollouts never change, so only the bound evicts. */
  private readonly segments = new LRUCache<string, FastEvaluator>({ max: 1024 });

  private inSegment(v: RolloutVersion, i: number, facts: Facts): boolean {
    const id = `${v.id}:${i}`;
    let e = this.segments.get(id);
    if (!e) {
      e = segmentEvaluator((v.rollout ?? [])[i]);
      this.segments.set(id, e);
    }
    return e(facts).eligible;
  }

  /** The version that applies to a customer with these facts at `t` (ms), and the step that switched them; null: none started. */
  pick<V extends RolloutVersion>(versions: readonly V[], t: number, facts: Facts): PickedVersion<V> | null {
    let best: PickedVersion<V> | null = null;
    for (const v of versions) {
      if (v.retiredAt && time(v.retiredAt) <= t) continue;
      if (best && best.version.number > v.number) continue;
      const steps = v.rollout ?? [];
      let step: number | null = null;
      for (let i = 0; i < steps.length; i++) {
        if (this.inSegment(v, i, facts)) {
          step = i;
          break;
        }
      }
      const start = step === null ? time(v.effectiveFrom) : Date.parse(steps[step].effectiveFrom);
      if (start <= t) best = { version: v, rolloutStep: step };
    }
    return best;
  }
}

/**
 * The versions that can apply to some customer at `t`: the newest version in effect for everyone
 * (`base`, null when there is none) and every newer one with a rollout step already started. Picking
 * among these gives what picking among all versions gives (an older version than the base never wins).
 */
export function versionsAt<V extends RolloutVersion>(versions: readonly V[], t: number): { base: V | null; started: V[] } {
  const live = versions.filter((v) => !(v.retiredAt && time(v.retiredAt) <= t));
  const base = live.filter((v) => time(v.effectiveFrom) <= t).sort((a, b) => b.number - a.number)[0] ?? null;
  const started = live
    .filter((v) => (!base || v.number > base.number) && time(v.effectiveFrom) > t && (v.rollout ?? []).some((s) => Date.parse(s.effectiveFrom) <= t))
    .sort((a, b) => a.number - b.number);
  return { base, started };
}
