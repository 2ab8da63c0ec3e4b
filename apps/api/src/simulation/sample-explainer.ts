import { createEvaluator, explain } from '@tierwise/policy-engine';
import type { EvaluationResult, PolicyEvaluator } from '@tierwise/policy-engine';
import type { SampleRow } from './chunk-evaluator';
import type { ExplainedSample } from './simulation-result';
import { SimulationSpec, VersionSnapshot } from './simulation-spec';

/**
 * Sample customers are re-evaluated through json-rules-engine (the reference evaluator, with its
 * trace) and explained in both locales, exactly as `POST /api/evaluate` explains a decision. Only
 * samples take this path (at most 20 per matrix cell); the bulk is compiled. Each sample also
 * re-checks the compiled outcome: `mismatches` counts samples where the two disagree (never
 * expected — the engine package proves them identical — but a run reports it rather than hides it).
 */
export async function explainSamples(spec: SimulationSpec, samples: Map<number, SampleRow[]>): Promise<{ samples: Map<number, ExplainedSample[]>; checked: number; mismatches: number }> {
  const nC = spec.candidate.definition.tiers.length + 1;
  const make = (v: VersionSnapshot) => createEvaluator(v.definition, v.facts, { asOf: spec.asOf, maxConcurrency: 4 });
  const evaluators: [PolicyEvaluator, PolicyEvaluator] = [make(spec.baseline), make(spec.candidate)];
  const describe = (v: VersionSnapshot, r: EvaluationResult) => ({ 'zh-CN': explain(r, v.definition, v.facts, 'zh-CN'), en: explain(r, v.definition, v.facts, 'en') });
  const out = new Map<number, ExplainedSample[]>();
  let checked = 0;
  let mismatches = 0;
  for (const [cell, rows] of samples) {
    const b = Math.floor(cell / nC);
    const c = cell % nC;
    const expectedB = b < spec.baseline.definition.tiers.length ? spec.baseline.definition.tiers[b].key : null;
    const expectedC = c < spec.candidate.definition.tiers.length ? spec.candidate.definition.tiers[c].key : null;
    const explained: ExplainedSample[] = [];
    for (const row of rows) {
      const [rb, rc] = await Promise.all([evaluators[0].evaluate(row.facts), evaluators[1].evaluate(row.facts)]);
      checked++;
      if ((rb.tier?.key ?? null) !== expectedB || (rc.tier?.key ?? null) !== expectedC) mismatches++;
      explained.push({
        ...row,
        baselineTier: rb.tier?.key ?? null,
        candidateTier: rc.tier?.key ?? null,
        explanation: describe(spec.candidate, rc),
        baselineExplanation: describe(spec.baseline, rb),
      });
    }
    out.set(cell, explained);
  }
  return { samples: out, checked, mismatches };
}
