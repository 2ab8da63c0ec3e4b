/**
 * The run's ladder as the policy engine's lifecycle rules (`decideLifecycle`, `lifecycleStepper`)
 * see it: ranks of the run's ladder (the version's tiers with the previous ledger version's placed
 * among them). The rules' meaning and wording live in the engine (packages/policy-engine/src/lifecycle-rules.ts).
 */
import { lifecycleStepper, type LifecycleTierName } from '@tierwise/policy-engine';
import { NOT_RATED } from '../simulation/simulation-spec';
import type { RunTier } from './rating-spec';

/** The key the ledger uses for "not rated" / "none" in matrices and staging rows: a simulation's (one key for both). */
export { NOT_RATED };

const ranks = new WeakMap<RunTier[], Map<string, number>>();

/** Ladder rank of a tier key (null = not rated, ranked below every tier; a tier the ladder lacks just above that). */
export function rankOf(ladder: RunTier[], key: string | null): number {
  if (key === null) return ladder.length + 1;
  // one map per ladder (a run's chunk asks for every customer): a look-up, not a scan of the ladder
  let byKey = ranks.get(ladder);
  if (!byKey) {
    byKey = new Map();
    for (const t of ladder) if (!byKey.has(t.key)) byKey.set(t.key, t.rank);
    ranks.set(ladder, byKey);
  }
  return byKey.get(key) ?? ladder.length + 0.5;
}

/**
 * The `down` of `decideLifecycle` for a ladder: counts only tiers of the run's version (or, during a regional
 * rollout, of the version the customer is rated with: `inVersion`), then not rated.
 */
export function stepper(ladder: RunTier[], inVersion: (t: RunTier) => boolean = (t) => t.index !== null): (from: number, steps: number) => number {
  return lifecycleStepper(
    ladder.filter(inVersion).map((t) => t.rank),
    ladder.length + 1,
  );
}

/** A ladder key (or `"null"` / null = not rated) as the engine's lifecycle texts name it. */
export function tierNameOf(ladder: RunTier[], key: string | null): LifecycleTierName {
  if (key === null || key === NOT_RATED) return null;
  const t = ladder.find((x) => x.key === key);
  return t ? { key: t.key, name: t.name, nameEn: t.nameEn } : { key, name: key };
}
