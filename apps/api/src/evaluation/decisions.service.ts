import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EvaluationResult } from '@tierwise/policy-engine';
import { DataSource } from 'typeorm';
import { FactMaskingService } from '../catalog/fact-masking';
import type { Role } from '../common/access/roles';
import { CommonException, CommonExceptionCode } from '../common/errors/app.exception';
import { EvaluatorCache, PreparedVersion } from '../policies/evaluator-cache';
import { PolicyVersionRow } from '../policies/policy.entities';
import { DecisionRow } from './decision.entity';
import { explanations } from './answer';
import { PopulationCutoffsSource } from './population-cutoffs';

/** `stored`: the row carries the trace it was logged with (rows from before DecisionDerivedTrace). `derived`: re-derived on read. */
export type TraceSource = 'stored' | 'derived';

/** Whether a re-derived result is the outcome that was logged: eligibility, tier (key, rank, benefit package) and every score. */
function sameOutcome(d: DecisionRow, r: EvaluationResult): boolean {
  if (r.eligible !== d.eligible || (r.tier?.key ?? null) !== d.tierKey || (r.tier?.rank ?? null) !== d.tierRank) return false;
  if ((r.tier?.benefitPackage ?? null) !== d.benefitPackageKey) return false;
  const a = Object.keys(r.scores);
  const b = Object.keys(d.scores);
  return a.length === b.length && a.every((k) => d.scores[k] === r.scores[k]);
}

/**
 * One logged decision as GET /api/decisions/:id shows it: inputs, the version that decided, the outcome and why.
 *
 * A decision is logged without its trace (issue 17: the cheapest stored form that still answers "why"): the trace
 * is a pure function of the published version (its definition and frozen catalog never change), the logged facts
 * and the frozen cut-offs of the rating run its population conditions used, so it is re-derived here with the
 * version's prepared evaluator — the one that decided. The re-derived outcome is checked against the stored one;
 * should they ever differ (the engine changed since), the answer says so (`traceMismatch`) and shows neither a
 * trace nor an explanation, rather than a "why" that does not match what was decided.
 */
@Injectable()
export class DecisionsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly evaluators: EvaluatorCache,
    private readonly population: PopulationCutoffsSource,
    private readonly masking: FactMaskingService,
  ) {}

  /** The trace as the evaluator gives it for this decision's inputs, or null when that does not reproduce the logged outcome. */
  private async derive(d: DecisionRow, p: PreparedVersion): Promise<EvaluationResult | null> {
    const run = d.cutoffRunId ? await this.population.run(d.policyId, d.cutoffRunId) : null;
    if (d.cutoffRunId && !run) return null; // the run's cut-offs are not to be found: nothing to re-derive against
    try {
      const r = await p.evaluator.evaluate(d.facts, run ? { cutoffs: run.cutoffs } : {});
      return sameOutcome(d, r) ? r : null;
    } catch {
      return null; // e.g. a population condition with no cut-offs: the logged outcome cannot be reproduced
    }
  }

  async get(id: string, roles: readonly Role[]) {
    const d = await this.ds.getRepository(DecisionRow).findOneBy({ id });
    if (!d) throw new CommonException(CommonExceptionCode.NotFound, `No decision with id ${id}`);
    const v = await this.ds.getRepository(PolicyVersionRow).findOneByOrFail({ id: d.versionId });
    const p = await this.evaluators.prepare(v);
    const version = { id: v.id, number: v.number, effectiveFrom: v.effectiveFrom };
    const masker = await this.masking.forRoles(roles);
    const facts = masker.facts(d.facts);
    let result: EvaluationResult;
    let traceSource: TraceSource;
    if (d.trace) {
      const tier = p.definition.tiers.find((t) => t.key === d.tierKey);
      result = {
        eligible: d.eligible,
        tier: tier && d.tierRank ? { key: tier.key, name: tier.name, nameEn: tier.nameEn, rank: d.tierRank, benefitPackage: tier.benefitPackage } : null,
        scores: d.scores,
        trace: d.trace,
      };
      traceSource = 'stored';
    } else {
      const derived = await this.derive(d, p);
      if (!derived) {
        const values = facts.masked.length ? { facts: facts.values, maskedFacts: facts.masked } : {};
        return { ...d, ...values, trace: [], traceSource: 'derived' as const, traceMismatch: true, version, explanation: null, explanationWithheld: true };
      }
      result = derived;
      traceSource = 'derived';
    }
    // Values the reader may not see are masked in the inputs and the trace; the explanation quotes them, so it is withheld then.
    const trace = masker.trace(result.trace);
    const masked = [...new Set([...facts.masked, ...trace.masked])];
    if (masked.length)
      return { ...d, facts: facts.values, trace: trace.trace, traceSource, version, explanation: null, explanationWithheld: true, maskedFacts: masked };
    return { ...d, trace: result.trace, traceSource, version, explanation: explanations(p, result) };
  }
}
