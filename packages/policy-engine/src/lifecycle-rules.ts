/**
 * What the lifecycle rules of a definition (contract §8) mean over rating runs, and how that is
 * said: the one implementation the API's rating runs and ledger reasons use.
 *
 * - `lifecycleRules(definition)`: the rules normalised (null = without `lifecycle` the rated tier is
 *   the official tier).
 * - `decideLifecycle(...)`: the official tier after a run from the tier before it, the rated tier,
 *   the grace counter and whether the current tier's `keepWhen` holds — on ladder ranks.
 * - `lifecycleStepper(ranks, notRated)`: "N tiers below" on a ladder (not rated below the last).
 * - `lifecycleText(...)`: why a customer ends where they do, in zh-CN or en
 *   ("kept 白金: grace 1 of 1 (rated 金)").
 */
import type { LifecycleDefinition, Locale, PolicyDefinition } from './types';

/** The lifecycle rules of a version, normalised. */
export interface LifecycleRules {
  /** Rated below the current tier: kept until that happened in N+1 consecutive runs. */
  downgradeGraceRuns: number;
  /** Then moved down at most this many tiers per run (null = straight to the rated tier). */
  maxDowngradeSteps: number | null;
}

/** The rules of a definition (defaults filled in), or null when it has no `lifecycle`. */
export function lifecycleRules(definition: Pick<PolicyDefinition, 'lifecycle'> | { lifecycle?: LifecycleDefinition }): LifecycleRules | null {
  const lc = definition.lifecycle;
  if (!lc) return null;
  return { downgradeGraceRuns: lc.downgradeGraceRuns ?? 0, maxDowngradeSteps: lc.maxDowngradeSteps ?? null };
}

/** Why a run placed a customer where it did (the ledger's and the samples' `reason.code`). */
export type LifecycleReason =
  /** First rating: the rated tier. */
  | 'first'
  /** The rated tier (an upgrade, no change, or a move down without rules). */
  | 'rated'
  /** Rated in the current tier again: the grace count restarts (no change of tier). */
  | 'qualifies'
  /** Rated below, kept: this is run `belowRuns` of the grace. */
  | 'grace'
  /** Rated below, kept: the current tier's `keepWhen` holds (not "rated below"). */
  | 'keep-when'
  /** Moved down, limited by `maxDowngradeSteps`. */
  | 'max-steps'
  /** Moved down to the rated tier once the grace runs were used up. */
  | 'grace-ended';

/** What a run decides for one customer, on ladder ranks (1 = best; "not rated" ranks below every tier). */
export type LifecycleOutcome =
  | { kind: 'enter'; to: number }
  | { kind: 'unchanged'; to: number }
  | { kind: 'upgrade'; to: number }
  | { kind: 'downgrade'; to: number; reason: 'rated' | 'grace-ended' | 'max-steps' }
  | { kind: 'held'; to: number; reason: 'grace' | 'keep-when' };

export interface LifecycleDecision {
  outcome: LifecycleOutcome;
  /** The grace counter after the run (consecutive runs rated below the current tier). */
  belowRuns: number;
}

/**
 * The lifecycle rules of contract §8. `current` is the customer's official rank before the run
 * (null = never rated), `currentKnown` whether that tier is one of the run's version (a tier the
 * version no longer has cannot be kept), `rated` the rank the version gives now, `belowRuns` the
 * grace counter before the run, `keepHolds` whether the current tier's `keepWhen` holds, `down` the
 * rank `steps` tiers below a rank (see `lifecycleStepper`).
 *
 * Upgrades and first ratings take effect at once. A customer whose current tier's `keepWhen` holds
 * is not "rated below" it (held; the count restarts). Otherwise, rated below: kept while the count
 * of consecutive such runs is ≤ `downgradeGraceRuns`, then moved down at most `maxDowngradeSteps`.
 * A run that moves the customer down, or in which they qualify again, restarts the count. Without
 * rules the rated tier is the official tier.
 */
export function decideLifecycle(
  current: number | null,
  currentKnown: boolean,
  rated: number,
  belowRuns: number,
  keepHolds: boolean,
  rules: LifecycleRules | null,
  down: (from: number, steps: number) => number,
): LifecycleDecision {
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

/**
 * `decideLifecycle`'s `down` for a ladder: `ranks` are the ranks of the run's version's tiers (a
 * tier only an earlier version had is not a step), `notRated` the rank of "not rated", the step
 * below the last tier.
 */
export function lifecycleStepper(ranks: readonly number[], notRated: number): (from: number, steps: number) => number {
  const sorted = [...ranks].sort((a, b) => a - b);
  return (from, steps) => {
    const below = sorted.filter((r) => r > from);
    return steps <= below.length ? below[steps - 1] : notRated;
  };
}

/** A tier as the texts name it; null = not rated. */
export type LifecycleTierName = { key?: string; name: string; nameEn?: string } | null;

export interface LifecycleTextInput {
  reason: LifecycleReason | string;
  /** The official tier before the run. */
  from: LifecycleTierName;
  /** The official tier after the run. */
  to: LifecycleTierName;
  /** The tier the version gave. */
  rated: LifecycleTierName;
  /** The grace counter after the run. */
  belowRuns: number;
}

/** A tier's name in a locale as the lifecycle texts say it ("not rated" / "未评级" for null). */
export function lifecycleTierLabel(t: LifecycleTierName, locale: Locale): string {
  if (t === null) return locale === 'en' ? 'not rated' : '未评级';
  return locale === 'en' ? (t.nameEn ?? t.name) : t.name;
}

/**
 * Why a customer ends where they do after a run, for the ledger's reason and the proposal's samples:
 * "kept Platinum: grace 1 of 1 (rated Gold)" / "保留白金：宽限期第 1 次，共 1 次（本次评为金）".
 * Reasons that are not the lifecycle's (e.g. an override's) are the caller's to word.
 */
export function lifecycleText(s: LifecycleTextInput, rules: LifecycleRules | null, locale: Locale): string {
  const en = locale === 'en';
  const from = lifecycleTierLabel(s.from, locale);
  const to = lifecycleTierLabel(s.to, locale);
  /** "rated Gold" / "评为金"; "not rated" / "未获评级" when the version gives no tier. */
  const rated = (t: LifecycleTierName) =>
    t === null ? (en ? 'not rated' : '未获评级') : en ? `rated ${lifecycleTierLabel(t, locale)}` : `评为${lifecycleTierLabel(t, locale)}`;
  const grace = rules?.downgradeGraceRuns ?? 0;
  const steps = rules?.maxDowngradeSteps;
  switch (s.reason) {
    case 'grace':
      return en
        ? `kept ${from}: grace ${s.belowRuns} of ${grace} (${rated(s.rated)})`
        : `保留${from}：宽限期第 ${s.belowRuns} 次，共 ${grace} 次（本次${rated(s.rated)}）`;
    case 'keep-when':
      return en ? `kept ${from}: its keepWhen holds (${rated(s.rated)})` : `保留${from}：满足保级条件（本次${rated(s.rated)}）`;
    case 'max-steps':
      return en
        ? `${rated(s.rated)}; at most ${steps} step${steps === 1 ? '' : 's'} down per run: moved to ${to}`
        : `${rated(s.rated)}，每次最多降 ${steps} 级：降至${to}`;
    case 'grace-ended':
      return en ? `rated below ${from} in ${grace + 1} consecutive runs: moved to ${to}` : `连续 ${grace + 1} 次评级低于${from}：降至${to}`;
    case 'first':
      return en ? `first rating: ${to}` : `首次评级：${to}`;
    case 'qualifies':
      return en ? `qualifies for ${to} again: the grace count restarts` : `再次符合${to}：宽限期重新计数`;
    default:
      return rated(s.to);
  }
}

/** `lifecycleText` in both locales. */
export function lifecycleTexts(s: LifecycleTextInput, rules: LifecycleRules | null): { 'zh-CN': string; en: string } {
  return { 'zh-CN': lifecycleText(s, rules, 'zh-CN'), en: lifecycleText(s, rules, 'en') };
}
