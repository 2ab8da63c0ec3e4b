import type { LifecycleRules, RunTier } from './rating-spec';

/** What a run decides for one customer: the tier after the run and why. */
export type Outcome =
  | { kind: 'enter'; to: number }
  | { kind: 'unchanged'; to: number }
  | { kind: 'upgrade'; to: number }
  | { kind: 'downgrade'; to: number; reason: 'rated' | 'grace-ended' | 'max-steps' }
  | { kind: 'held'; to: number; reason: 'grace' | 'keep-when' };

export interface Decided {
  outcome: Outcome;
  /** The grace counter after the run. */
  belowRuns: number;
}

/**
 * The lifecycle rules of contract §8, on ladder positions (`rank`: 1 = best, `notRated` = below
 * every tier). `current` is the customer's official rank before the run (null = never rated),
 * `rated` the rank the version gives now, `keepHolds` whether the current tier's `keepWhen` holds.
 *
 * Upgrades and first ratings take effect at once. A customer whose current tier's `keepWhen` holds
 * is not "rated below" it (held; the count restarts). Otherwise, rated below: kept while the count
 * of consecutive such runs is ≤ `downgradeGraceRuns`, then moved down at most `maxDowngradeSteps`.
 * A run that moves the customer down, or in which they qualify again, restarts the count. Without
 * rules the rated tier is the official tier. A current tier the version no longer has cannot be
 * kept: the customer moves to the rated tier.
 */
export function decide(
  current: number | null,
  currentKnown: boolean,
  rated: number,
  belowRuns: number,
  keepHolds: boolean,
  rules: LifecycleRules | null,
  /** The rank `steps` tiers of the run's version below `from` (not rated below the last). */
  down: (from: number, steps: number) => number,
): Decided {
  if (current === null) return { outcome: { kind: 'enter', to: rated }, belowRuns: 0 };
  if (rated === current) return { outcome: { kind: 'unchanged', to: rated }, belowRuns: 0 };
  if (rated < current) return { outcome: { kind: 'upgrade', to: rated }, belowRuns: 0 };
  if (!currentKnown) return { outcome: { kind: 'downgrade', to: rated, reason: 'rated' }, belowRuns: 0 };
  if (keepHolds) return { outcome: { kind: 'held', to: current, reason: 'keep-when' }, belowRuns: 0 };
  if (!rules) return { outcome: { kind: 'downgrade', to: rated, reason: 'rated' }, belowRuns: 0 };
  const below = belowRuns + 1;
  if (below <= rules.downgradeGraceRuns) return { outcome: { kind: 'held', to: current, reason: 'grace' }, belowRuns: below };
  const limited = rules.maxDowngradeSteps === null ? rated : Math.min(rated, down(current, rules.maxDowngradeSteps));
  const reason = limited !== rated ? 'max-steps' : rules.downgradeGraceRuns > 0 ? 'grace-ended' : 'rated';
  return { outcome: { kind: 'downgrade', to: limited, reason }, belowRuns: 0 };
}

/** Ladder rank of a tier key (null = not rated, ranked below every tier). */
export function rankOf(ladder: RunTier[], key: string | null): number {
  if (key === null) return ladder.length + 1;
  const t = ladder.find((x) => x.key === key);
  return t ? t.rank : ladder.length + 0.5;
}

/** `decide`'s `down` for a ladder: counts only tiers of the run's version, then not rated. */
export function stepper(ladder: RunTier[]): (from: number, steps: number) => number {
  const ranks = ladder.filter((t) => t.index !== null).map((t) => t.rank);
  const notRated = ladder.length + 1;
  return (from, steps) => {
    const below = ranks.filter((r) => r > from);
    return steps <= below.length ? below[steps - 1] : notRated;
  };
}
