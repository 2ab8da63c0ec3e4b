import { createEvaluator, createProjector, explain, projectionText } from '@tierwise/policy-engine';
import type { EvaluationResult, Facts, PolicyEvaluator, PopulationCutoffs, Projector } from '@tierwise/policy-engine';
import type { SimulationCutoffs } from './simulation.entity';
import type { SampleRow } from './chunk-evaluator';
import type { ExplainedSample } from './simulation-result';
import { SimulationSpec, VersionSnapshot } from './simulation-spec';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Sample customers are re-evaluated through json-rules-engine (the reference evaluator, with its
 * trace) and explained in both locales, exactly as `POST /api/evaluate` explains a decision. Only
 * samples take this path (at most 20 per matrix cell); the bulk is compiled. Each sample also
 * re-checks the compiled outcome: `mismatches` counts samples where the two disagree (never
 * expected — the engine package proves them identical — but a run reports it rather than hides it).
 */
export class SampleExplainer {
  private readonly evaluators: [PolicyEvaluator, PolicyEvaluator];
  private projector?: Projector;
  /** Explained customers by dataset row: samples found early (the first chunk) are explained while the run goes on. */
  private readonly done = new Map<number, Promise<ExplainedSample>>();

  constructor(
    private readonly spec: SimulationSpec,
    /** The cut-offs of population conditions over the simulation's dataset (issue 16), when a version ranks. */
    private readonly cutoffs: SimulationCutoffs | null = null,
  ) {
    const make = (v: VersionSnapshot, c: PopulationCutoffs | null | undefined) =>
      createEvaluator(v.definition, v.facts, { asOf: spec.asOf, maxConcurrency: 4, ...(c ? { cutoffs: c } : {}) });
    this.evaluators = [make(spec.baseline, cutoffs?.baseline), make(spec.candidate, cutoffs?.candidate)];
  }

  private describe(v: VersionSnapshot, r: EvaluationResult) {
    return { 'zh-CN': explain(r, v.definition, v.facts, 'zh-CN'), en: explain(r, v.definition, v.facts, 'en') };
  }

  /** The candidate's projection for a sample (built once per run). */
  private next(facts: Facts): ExplainedSample['next'] {
    const v = this.spec.candidate;
    const c = this.cutoffs?.candidate;
    const p = (this.projector ??= createProjector(v.definition, v.facts, c ? { cutoffs: c } : {}))(facts);
    if (p === null) return null;
    return { ...p, explanation: { 'zh-CN': projectionText(p, v.definition, v.facts, 'zh-CN'), en: projectionText(p, v.definition, v.facts, 'en') } };
  }

  explainRow(row: SampleRow): Promise<ExplainedSample> {
    let p = this.done.get(row.row);
    if (!p) {
      p = Promise.all([this.evaluators[0].evaluate(row.facts), this.evaluators[1].evaluate(row.facts)]).then(([rb, rc]) => ({
        ...row,
        baselineTier: rb.tier?.key ?? null,
        candidateTier: rc.tier?.key ?? null,
        explanation: this.describe(this.spec.candidate, rc),
        baselineExplanation: this.describe(this.spec.baseline, rb),
        next: this.next(row.facts),
      }));
      this.done.set(row.row, p);
    }
    return p;
  }

  /**
   * Explain ahead of the merge (errors surface when the same rows are asked for again). One row per
   * turn of the event loop: json-rules-engine runs on this thread, and a chunk's samples explained at
   * once would hold it for a second or more (progress ticks and HTTP requests waiting behind them).
   */
  async prefetch(rows: SampleRow[]): Promise<void> {
    for (const r of rows) {
      await yieldToEventLoop();
      await this.explainRow(r).catch(() => undefined);
    }
  }

  async explainAll(samples: Map<number, SampleRow[]>): Promise<{ samples: Map<number, ExplainedSample[]>; checked: number; mismatches: number }> {
    const { spec } = this;
    const nC = spec.candidate.definition.tiers.length + 1;
    const out = new Map<number, ExplainedSample[]>();
    let checked = 0;
    let mismatches = 0;
    for (const [cell, rows] of samples) {
      const b = Math.floor(cell / nC);
      const c = cell % nC;
      const expectedB = b < spec.baseline.definition.tiers.length ? spec.baseline.definition.tiers[b].key : null;
      const expectedC = c < spec.candidate.definition.tiers.length ? spec.candidate.definition.tiers[c].key : null;
      // row by row, yielding between rows not explained yet (as prefetch does)
      const explained: ExplainedSample[] = [];
      for (const row of rows) {
        if (!this.done.has(row.row)) await yieldToEventLoop();
        explained.push(await this.explainRow(row));
      }
      for (const e of explained) {
        checked++;
        if (e.baselineTier !== expectedB || e.candidateTier !== expectedC) mismatches++;
      }
      out.set(cell, explained);
    }
    return { samples: out, checked, mismatches };
  }
}
