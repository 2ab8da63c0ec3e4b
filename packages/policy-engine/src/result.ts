/**
 * The parts of an EvaluationResult that json-rules-engine's evaluator (evaluator.ts) and the compiled
 * one with the trace (compile-traced.ts) build alike: a weighted or step-table component's
 * contribution and trace from the value the evaluator read, a tier's outcome, and the walk
 * eligibility → scores → tiers in ladder order (first match wins; no tier traced after a failed
 * eligibility or below the first match). How each evaluator decides a condition stays its own.
 */
import { isStepComponent, stepBandIndex, weightedValue } from './scoring';
import type {
  ConditionTrace,
  EvaluationResult,
  PolicyDefinition,
  ScoreTrace,
  StepComponent,
  TierDefinition,
  TierOutcome,
  TraceEntry,
  WeightedComponent,
} from './types';

export type ComponentTrace = ScoreTrace['components'][number];

/**
 * A weighted or step-table component's trace from the value the evaluator read (`raw`): value ×
 * weight, or the points of the value's band × weight; 0 and `missing` when not a finite number (or,
 * for a step table, in no band: 0). Built once per component (what it reads is taken out here, so the
 * call per customer touches only its own closure).
 */
export function componentTracer(c: StepComponent | WeightedComponent): (raw: unknown) => ComponentTrace {
  const { label, fact } = c;
  if (isStepComponent(c)) {
    const { steps, inclusive, weight } = c;
    const times = weight ?? 1;
    return (raw) => {
      const x = weightedValue(raw);
      const band = x === undefined ? -1 : stepBandIndex(x, steps, inclusive);
      const points = band < 0 ? 0 : steps[band].points;
      const trace: ComponentTrace = { label, contribution: band < 0 ? 0 : points * times, fact, factValue: raw, band: band < 0 ? null : band, points };
      if (weight !== undefined) trace.weight = weight;
      if (x === undefined) trace.missing = true;
      return trace;
    };
  }
  const { weight } = c;
  return (raw) => {
    const x = weightedValue(raw);
    return { label, contribution: x === undefined ? 0 : x * weight, fact, factValue: raw, weight, missing: x === undefined };
  };
}

/** The outcome of landing in the tier at `index` of the ladder (rank 1 = best). */
export function tierOutcome(t: TierDefinition, index: number): TierOutcome {
  const outcome: TierOutcome = { key: t.key, name: t.name, rank: index + 1 };
  if (t.nameEn !== undefined) outcome.nameEn = t.nameEn;
  if (t.benefitPackage !== undefined) outcome.benefitPackage = t.benefitPackage;
  return outcome;
}

/**
 * The result once the scores are known: the eligibility entry (when the definition has one), the
 * score entries, then the tiers from the top until the first that matches (none after a failed
 * eligibility). `eligibility()` and `tier(i)` trace a condition; they are called only for the
 * conditions the evaluation reaches, in that order.
 */
export function assembleResult(
  def: PolicyDefinition,
  scores: Record<string, number>,
  scoreTraces: ScoreTrace[],
  eligibility: (() => ConditionTrace) | null,
  tier: (index: number) => ConditionTrace,
): EvaluationResult {
  const trace: TraceEntry[] = [];
  let eligible = true;
  if (eligibility !== null) {
    const condition = eligibility();
    eligible = condition.result;
    trace.push({ kind: 'eligibility', matched: eligible, condition });
  }
  trace.push(...scoreTraces);
  let outcome: TierOutcome | null = null;
  if (eligible) {
    for (let i = 0; i < def.tiers.length; i++) {
      const t = def.tiers[i];
      if (!t.when) {
        trace.push({ kind: 'tier', tier: t.key, rank: i + 1, matched: true });
        outcome = tierOutcome(t, i);
        break;
      }
      const condition = tier(i);
      trace.push({ kind: 'tier', tier: t.key, rank: i + 1, matched: condition.result, condition });
      if (condition.result) {
        outcome = tierOutcome(t, i);
        break;
      }
    }
  }
  return { eligible, tier: outcome, scores, trace };
}
