/**
 * The evaluation answer written as JSON text (answer.ts `evaluationMembers`) is, byte for byte, JSON.stringify of the
 * answer object (`evaluationObject`) — over every shipped template (population ones with cut-offs), random facts
 * (missing values, odd numbers, unicode and lone surrogates in strings), rollout steps, explain on and off, the batch's
 * `include` opt-outs, and a prepared version reused across calls (its serialised fragments).
 */
import fc from 'fast-check';
import {
  compileFast,
  compileTraceJson,
  compileTraced,
  createProjector,
  createServingEvaluator,
  hasPopulationConditions,
  tierOutcome,
} from '@tierwise/policy-engine';
import type { FactDefinition, Facts, PopulationCutoffs } from '@tierwise/policy-engine';
import { evaluationMembers, evaluationObject, type AnswerOptions } from '../../src/evaluation/answer';
import { BATCH_SLICE, batchAnswerWriter, type BatchResult } from '../../src/evaluation/batch-answer';
import type { PreparedVersion } from '../../src/policies/evaluator-cache';
import type { FrozenCatalog, PolicyVersionRow } from '../../src/policies/policy.entities';
import { definitionOf, populationOptions, templates, type PolicyTemplate } from './templates/support';

function prepared(t: PolicyTemplate, rollout: boolean): { p: PreparedVersion; cutoffs?: PopulationCutoffs } {
  const definition = definitionOf(t);
  const { cutoffs } = populationOptions(t, definition);
  const benefits = new Map(t.benefits.map((b) => [b.key, b]));
  const packages: FrozenCatalog['packages'] = {};
  for (const pkg of t.benefitPackages)
    packages[pkg.key] = { key: pkg.key, name: pkg.name, nameEn: pkg.nameEn, benefits: pkg.benefits.flatMap((k) => benefits.get(k) ?? []) };
  const version = {
    id: '0b7c8d4e-1f2a-4b3c-8d9e-0f1a2b3c4d5e',
    number: 3,
    rollout: rollout ? [{ segment: { all: [] }, effectiveFrom: new Date(0) }] : null,
  } as unknown as PolicyVersionRow;
  const catalog: FrozenCatalog = { facts: t.facts, packages };
  const projector = createProjector(definition, t.facts, cutoffs ? { cutoffs } : {});
  const p = {
    version,
    definition,
    catalog,
    evaluator: createServingEvaluator(definition, t.facts, cutoffs ? { cutoffs } : {}),
    traced: null,
    ranksPopulation: hasPopulationConditions(definition),
    fast: () => {
      throw new Error('not used');
    },
    traceJson: () => null,
    projector: () => projector,
  } as PreparedVersion;
  return { p, cutoffs };
}

const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }), // lone surrogates included
  fc.constantFrom('\ud800', 'a\udfffb', '"\\/\n\u2028\u2029', '</script>', '白金卡', '=cmd|"/c calc"!A1'),
);

function factValue(f: FactDefinition): fc.Arbitrary<unknown> {
  switch (f.type) {
    case 'number':
      return fc.oneof(fc.double({ min: -1e7, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 2_000_000 }), fc.constantFrom(0, -0, 0.1, 1e21, 5e-324));
    case 'integer':
      return fc.integer({ min: -10, max: 2_000_000 });
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...(f.enumValues?.length ? f.enumValues : ['x']));
    case 'string':
      return oddString;
    case 'string[]':
      return fc.array(oddString, { maxLength: 3 });
    case 'date':
      return fc.constantFrom('2026-01-31', '2025-12-01', '2020-02-29');
  }
}

const factsOf = (t: PolicyTemplate): fc.Arbitrary<Facts> =>
  fc.record(Object.fromEntries(t.facts.map((f) => [f.key, factValue(f)])), { requiredKeys: [] }) as fc.Arbitrary<Facts>;

const options = (cutoffs: PopulationCutoffs | undefined): fc.Arbitrary<AnswerOptions> =>
  fc
    .record(
      {
        decisionId: fc.option(fc.uuid(), { nil: undefined }),
        evaluatedAt: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        explain: fc.option(fc.boolean(), { nil: undefined }),
        rolloutStep: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
        trace: fc.option(fc.boolean(), { nil: undefined }),
        next: fc.option(fc.boolean(), { nil: undefined }),
      },
      { requiredKeys: ['evaluatedAt'] },
    )
    .map((o) => ({
      ...o,
      ...(cutoffs ? { cutoffs: { runId: 'f3f9c7a2-5b1e-4c1d-9e2f-3a4b5c6d7e8f', effectiveAt: new Date('2026-06-30T16:00:00Z'), cutoffs } } : {}),
    }));

describe('the answer as JSON text', () => {
  it.each(templates.map((t) => [t.key, t] as const))('%s: evaluationMembers is JSON.stringify of evaluationObject', async (_key, t) => {
    // one prepared version per template (and rollout or not) for all runs, so fragments serialised once are reused
    const versions = [prepared(t, false), prepared(t, true)];
    const cases = [...t.testCases.map((c) => c.facts), ...fc.sample(factsOf(t), 25)];
    let compared = 0;
    for (const facts of cases) {
      for (const { p, cutoffs } of versions) {
        const r = await p.evaluator.evaluate(facts, cutoffs ? { cutoffs } : {}).catch(() => null); // facts a population cannot place
        if (r === null) continue;
        for (const o of fc.sample(options(cutoffs), 2)) {
          const expected = JSON.stringify(evaluationObject(p, t.key, r, facts, o));
          expect(`{${evaluationMembers(p, t.key, r, facts, o)}}`).toBe(expected);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('leaves out what the batch opt-out turns off, and nothing else', async () => {
    const t = templates.find((x) => x.key === 'cib-card') as PolicyTemplate;
    const { p } = prepared(t, false);
    const facts = { avgDailyAssets: 185_615, familyAvgDailyAssets: 56_555, hasValidId: true };
    const r = await p.evaluator.evaluate(facts);
    const full = JSON.parse(`{${evaluationMembers(p, t.key, r, facts, {})}}`) as Record<string, unknown>;
    const lean = JSON.parse(`{${evaluationMembers(p, t.key, r, facts, { trace: false, next: false })}}`) as Record<string, unknown>;
    expect(Object.keys(full)).toEqual(['policy', 'eligible', 'tier', 'benefitPackage', 'scores', 'trace', 'next']);
    const { trace: _t, next: _n, ...rest } = full;
    expect(lean).toEqual(rest);
    expect(full.next).toMatchObject({ tier: { key: 'PLATINUM' } });
  });

  it.each(templates.filter((t) => compileTraced(definitionOf(t), t.facts) !== null).map((t) => [t.key, t] as const))(
    '%s: a batch answer with the trace written as text (compileTraceJson) is the answer with the trace objects, byte for byte',
    (_key, t) => {
      const { p } = prepared(t, false);
      const traced = compileTraced(p.definition, t.facts)!;
      const fast = compileFast(p.definition, t.facts);
      const traceJson = compileTraceJson(p.definition, t.facts)!;
      // the template's own cases, then generated customers: missing facts, -0, 1e21, 5e-324, CJK, lone surrogates …
      const customers = [...t.testCases.map((c) => c.facts), ...fc.sample(factsOf(t), 300)];
      const version = { id: p.version.id, number: p.version.number };
      const results = (withTrace: boolean): BatchResult[] =>
        customers.map((facts, i) => {
          const o = fast(facts);
          const r = withTrace
            ? traced(facts)
            : { eligible: o.eligible, tier: o.tierIndex < 0 ? null : tierOutcome(p.definition.tiers[o.tierIndex], o.tierIndex), scores: o.scores, trace: [] };
          return { p, r, facts, customerId: `c-${i}`, decisionId: undefined, evaluatedAt: undefined, rolloutStep: null, cutoffs: undefined };
        });
      for (const include of [undefined, { next: false }]) {
        const write = (rs: BatchResult[], tj?: typeof traceJson) => {
          const w = batchAnswerWriter({ policyKey: t.key, version, explain: false, include, traceJson: tj });
          for (let from = 0; from < rs.length; from += BATCH_SLICE) w.results(rs, from, Math.min(from + BATCH_SLICE, rs.length));
          return w.done().toString('utf8');
        };
        expect(write(results(false), traceJson)).toBe(write(results(true)));
      }
    },
  );
});
