/**
 * compileTraced: the compiled evaluator with the trace — the same EvaluationResult as
 * `createEvaluator` (outcome, scores and trace, node for node, so the same explanation), built from
 * compileFast's closures (compile.ts: json-rules-engine's operator semantics, quirks included)
 * instead of json-rules-engine runs. json-rules-engine stays the reference: the differential
 * property test (test/compile-traced.test.ts) compares whole results on random definitions.
 *
 * What the trace reproduces, from evaluator.ts: json-rules-engine evaluates every leaf of a rule
 * (one priority within a rule), so every leaf of a traced condition carries its fact value, the
 * threshold (or the compared fact's value), `missing` and its result; a fact the engine sees as
 * absent (absent, undefined or null in the input) shows `factValue: undefined`; a leaf on a computed
 * fact carries the input facts its expression read (`inputs`); the main rules stop at a failed
 * eligibility (no tier traced then) and at the first tier that matches (tiers below not traced).
 *
 * Not compiled (returns null; use createEvaluator): definitions with population conditions, and
 * `missingFacts: 'error'`.
 */
import { computedInputs } from './definition-walk';
import { compileLeaf, loadInputs, planSlots, usesWithinDays, type Pred, type Vals } from './compile';
import { resolveAsOfDay } from './dates';
import { EvaluationError, InvalidPolicyError } from './errors';
import { createEvaluator } from './evaluator';
import { isMissing } from './keys';
import type { OperatorContext } from './operators';
import { bindPopulation } from './population';
import { assembleResult, componentTracer } from './result';
import { isStepComponent, roundScore } from './scoring';
import type {
  LeafCondition,
  Condition,
  ConditionTrace,
  EvaluateOptions,
  EvaluationResult,
  EvaluatorOptions,
  FactDefinition,
  Facts,
  PolicyDefinition,
  PolicyEvaluator,
  ScoreTrace,
  TopLevelCondition,
} from './types';
import { validatePolicy } from './validate';
import { foldCondition, isFactReference } from './walk';

/** The compiled evaluator with the trace: synchronous, same result as createEvaluator's evaluate. */
export type TracedEvaluator = (input: Facts, options?: EvaluateOptions) => EvaluationResult;

/** A condition's trace from the slots (every leaf evaluated, as json-rules-engine does). */
type Tracer = (v: Vals, ctx: OperatorContext) => ConditionTrace;

/** What json-rules-engine's almanac returns for a slot: absent and null inputs are undefined. */
export const seen = (x: unknown): unknown => (x === null ? undefined : x);

/**
 * What both traced evaluators are built from — the trace as objects (compileTraced) and as JSON text
 * (compileTraceJson, compile-trace-json.ts): the validated definition, its slots, the input facts a
 * computed side read, and each call's slots and operator context. Null where neither applies.
 */
export interface TracedPlan {
  def: PolicyDefinition;
  slotOf: (key: string) => number;
  /**
   * A leaf's compiled predicate, its fact's slot, the fact it compares with (`{fact}` threshold) and that one's slot, and
   * the input facts a computed side read as the engine saw them (collectMissing in evaluator.ts; undefined when no side
   * is computed).
   */
  leaf: (leaf: LeafCondition) => {
    pred: Pred;
    slot: number;
    ref: string | undefined;
    refSlot: number;
    inputs: ((v: Vals) => Record<string, unknown>) | undefined;
  };
  /** One input's slots (a fresh array: the trace is built while reading it, and scores not yet computed read as absent). */
  load: (input: Facts) => Vals;
  /** The operator context of one call ("today" for date operators). */
  context: (input: Facts, callOptions: EvaluateOptions | undefined) => OperatorContext;
}

export function tracedPlan(definition: PolicyDefinition, facts: FactDefinition[], options: EvaluatorOptions = {}): TracedPlan | null {
  if ((options.missingFacts ?? 'false') !== 'false') return null;
  const check = validatePolicy(definition, facts);
  if (!check.valid) throw new InvalidPolicyError(check.errors);
  if (bindPopulation(definition).specs.length > 0) return null;
  const def: PolicyDefinition = structuredClone(definition);

  const plan = planSlots(def);
  const { slots, slotOf, computed: computedParts } = plan;
  const nSlots = plan.size;
  const computedReads = new Map(Object.keys(def.computed ?? {}).map((k) => [k, computedInputs(def, k).map((f) => [f, slotOf(f)] as const)]));
  const inputsOf = (sides: string[]): ((v: Vals) => Record<string, unknown>) | undefined => {
    const reads = sides.flatMap((s) => computedReads.get(s) ?? []);
    if (!sides.some((s) => computedReads.has(s))) return undefined;
    return (v) => {
      const out: Record<string, unknown> = {};
      for (const [f, slot] of reads) out[f] = seen(v[slot]);
      return out;
    };
  };
  const needsAsOf = usesWithinDays(def);
  const fixedCtx: OperatorContext = { asOfDay: 0 };
  const { inputKeys, inputSlots } = slots;
  return {
    def,
    leaf: (leaf) => {
      const ref = isFactReference(leaf.value) ? leaf.value.fact : undefined;
      return {
        pred: compileLeaf(leaf, slots),
        slot: slotOf(leaf.fact),
        ref,
        refSlot: ref === undefined ? -1 : slotOf(ref),
        inputs: inputsOf(ref === undefined ? [leaf.fact] : [leaf.fact, ref]),
      };
    },
    slotOf,
    load: (input) => {
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        throw new EvaluationError('invalid-input', 'Facts must be an object of fact key → value.');
      }
      const v: Vals = new Array<unknown>(nSlots);
      loadInputs(v, input, inputKeys, inputSlots);
      for (const c of computedParts) v[c.slot] = c.value(v);
      return v;
    },
    context: (input, callOptions) => (needsAsOf ? { asOfDay: resolveAsOfDay(input, callOptions?.asOf, options.asOf) } : fixedCtx),
  };
}

export function compileTraced(definition: PolicyDefinition, facts: FactDefinition[], options: EvaluatorOptions = {}): TracedEvaluator | null {
  const tp = tracedPlan(definition, facts, options);
  if (tp === null) return null;
  const { def, slotOf } = tp;

  const named = new Map<string, Tracer | undefined>();
  const tracer = (c: TopLevelCondition | Condition): Tracer =>
    foldCondition<Tracer>(
      c,
      {
        leaf: (leaf) => {
          const { pred, slot: s, ref, refSlot: r, inputs } = tp.leaf(leaf);
          const { fact, operator } = leaf;
          if (ref === undefined) {
            const value = leaf.value;
            return (v, ctx) => {
              const factValue = seen(v[s]);
              const t: ConditionTrace = { type: 'leaf', fact, operator, value, factValue, missing: isMissing(factValue), result: pred(v, ctx) };
              if (inputs) t.inputs = inputs(v);
              return t;
            };
          }
          return (v, ctx) => {
            const factValue = seen(v[s]);
            const value = seen(v[r]);
            const t: ConditionTrace = {
              type: 'leaf',
              fact,
              operator,
              value,
              factValue,
              missing: isMissing(factValue) || isMissing(value),
              result: pred(v, ctx),
              valueFact: ref,
            };
            if (inputs) t.inputs = inputs(v);
            return t;
          };
        },
        all: (_node, children) => {
          const kids = children.map((k) => k());
          return (v, ctx) => {
            const traces = kids.map((k) => k(v, ctx));
            return { type: 'all', result: traces.every((t) => t.result), children: traces };
          };
        },
        any: (_node, children) => {
          const kids = children.map((k) => k());
          return (v, ctx) => {
            const traces = kids.map((k) => k(v, ctx));
            return { type: 'any', result: traces.length === 0 || traces.some((t) => t.result), children: traces };
          };
        },
        not: (_node, child) => {
          const kid = child();
          return (v, ctx) => {
            const t = kid(v, ctx);
            return { type: 'not', result: !t.result, children: [t] };
          };
        },
        reference: (node, target) => {
          const inner = target()!;
          const name = node.condition;
          return (v, ctx) => {
            const t = inner(v, ctx);
            return { type: 'condition', name, result: t.result, children: [t] };
          };
        },
      },
      { named: def.conditions ?? {}, memo: named },
    );

  type Part = (v: Vals, ctx: OperatorContext, st: ScoreTrace) => number;
  const scores = (def.scores ?? []).map((s) => {
    const parts: Part[] = s.components.map((c): Part => {
      if (isStepComponent(c) || 'fact' in c) {
        const slot = slotOf(c.fact);
        const traceOf = componentTracer(c);
        return (v, _ctx, st) => {
          const trace = traceOf(seen(v[slot]));
          st.components.push(trace);
          return trace.contribution;
        };
      }
      const when = tracer(c.when);
      const { label, points } = c;
      return (v, ctx, st) => {
        const condition = when(v, ctx);
        st.components.push({ label, contribution: condition.result ? points : 0, points, condition });
        return condition.result ? points : 0;
      };
    });
    const multipliers = (s.multipliers ?? []).map((m) => ({ label: m.label, factor: m.factor, when: tracer(m.when) }));
    return { key: s.key, round: s.round, slot: slotOf(s.key), parts, multipliers };
  });
  const eligibility = def.eligibility ? tracer(def.eligibility) : null;
  const tiers = def.tiers.map((t) => (t.when ? tracer(t.when) : null));
  return (input, callOptions) => {
    const v = tp.load(input);
    const ctx = tp.context(input, callOptions);
    const out: Record<string, number> = {};
    const scoreTraces: ScoreTrace[] = [];
    for (const s of scores) {
      const st: ScoreTrace = { kind: 'score', score: s.key, value: 0, components: [], multipliers: [] };
      let total = 0;
      for (const p of s.parts) total += p(v, ctx, st);
      for (const m of s.multipliers) {
        const condition = m.when(v, ctx);
        if (condition.result) total *= m.factor;
        st.multipliers.push({ label: m.label, factor: m.factor, applied: condition.result, condition });
      }
      const value = roundScore(total, s.round);
      st.value = value;
      out[s.key] = value;
      v[s.slot] = value;
      scoreTraces.push(st);
    }
    return assembleResult(def, out, scoreTraces, eligibility && (() => eligibility(v, ctx)), (i) => tiers[i]!(v, ctx));
  };
}

/**
 * The evaluator to serve requests with: compileTraced where it applies, else json-rules-engine
 * (createEvaluator) — the same results either way. `compiled` says which; `traced` is the compiled
 * evaluator itself (synchronous: `evaluate` is it behind a promise), null for json-rules-engine.
 */
export function createServingEvaluator(
  definition: PolicyDefinition,
  facts: FactDefinition[],
  options: EvaluatorOptions = {},
): PolicyEvaluator & { compiled: boolean; traced: TracedEvaluator | null } {
  const traced = compileTraced(definition, facts, options);
  if (traced === null) return Object.assign(createEvaluator(definition, facts, options), { compiled: false, traced: null });
  return {
    definition,
    compiled: true,
    traced,
    evaluate: (input, callOptions) => {
      try {
        return Promise.resolve(traced(input, callOptions));
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
}
