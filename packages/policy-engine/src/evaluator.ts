/**
 * Evaluation through json-rules-engine: eligibility → scores in order → tiers, first match wins.
 *
 * Engines are built once per evaluator. A json-rules-engine `Engine` is NOT safe to share between
 * overlapping `run()` calls: `run()` keeps its status on the engine, so one run finishing marks the
 * engine FINISHED and an overlapping run then skips its rules (measured: ~45% of results lost
 * under staggered Promise.all, even without `stop()`). So each evaluator keeps a small pool of
 * engine sets; an evaluation holds one set exclusively for its duration and returns it after.
 * Tier rules run in ladder order (one priority each) and the run stops at the first match (or at a
 * failed eligibility check): an engine set is held exclusively, so `stop()` affects only this run.
 */
import { Engine, type Almanac, type RuleResult } from 'json-rules-engine';
import { computedInputs, inputFactsOf } from './definition-walk';
import { resolveAsOfDay } from './dates';
import { installOperators } from './engine-operators';
import { EvaluationError, InvalidPolicyError } from './errors';
import { hasOwn, isMissing } from './keys';
import type { OperatorContext } from './operators';
import { computeAll, evaluateExpression } from './expressions';
import { assembleResult, componentTracer } from './result';
import { isStepComponent, roundScore } from './scoring';
import type {
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
  LeafTrace,
} from './types';
import { validatePolicy } from './validate';
import { bindPopulation, cutFact, cutResolverCache, isPopulationOperator, populationKey, type PopulationCutoffs, type ResolvedCut } from './population';
import { expressionFacts, foldCondition, isFactReference } from './walk';

type JreCondition = Parameters<Engine['setCondition']>[1];
type ResultNode = Record<string, unknown>;

interface EngineSet {
  ctx: OperatorContext;
  /** One engine per scorecard that has conditions (points or multipliers), else null. */
  scoreEngines: (Engine | null)[];
  main: Engine;
}

const ELIGIBILITY = 'eligibility';

interface EngineRule {
  name: string;
  when: TopLevelCondition;
  /** json-rules-engine priority (higher runs first); rules of one priority run together. */
  priority?: number;
}

/**
 * Computed facts as json-rules-engine facts: each reads its operands through the run's almanac (so a
 * computed fact using another is resolved, and cached, by the engine) and computes its expression.
 */
function addComputedFacts(engine: Engine, def: PolicyDefinition): void {
  for (const [key, c] of Object.entries(def.computed ?? {})) {
    const reads = [...expressionFacts(c.expr)];
    engine.addFact(key, async (_params: Record<string, unknown>, almanac: Almanac) => {
      const values = new Map<string, unknown>();
      for (const f of reads) values.set(f, await almanac.factValue(f));
      return evaluateExpression(c.expr, (f) => values.get(f));
    });
  }
}

function newEngine(def: PolicyDefinition, ctx: OperatorContext, rules: EngineRule[]): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  installOperators(engine, ctx);
  addComputedFacts(engine, def);
  for (const [name, cond] of Object.entries(def.conditions ?? {})) {
    engine.setCondition(name, structuredClone(cond) as unknown as JreCondition);
  }
  for (const r of rules) {
    engine.addRule({ name: r.name, priority: r.priority ?? 1, conditions: structuredClone(r.when) as unknown as JreCondition, event: { type: r.name } });
  }
  return engine;
}

/**
 * The main engine: eligibility first, then each tier in ladder order (one priority each). The run
 * stops at the first tier that matches, or when eligibility fails: the tiers below are never
 * evaluated, as the outcome and the trace only ever show tiers down to the first match.
 */
function newMainEngine(def: PolicyDefinition, ctx: OperatorContext): Engine {
  const n = def.tiers.length;
  const rules: EngineRule[] = [];
  if (def.eligibility) rules.push({ name: ELIGIBILITY, when: def.eligibility, priority: n + 1 });
  def.tiers.forEach((t, i) => {
    if (t.when) rules.push({ name: `t${i}`, when: t.when, priority: n - i });
  });
  const engine = newEngine(def, ctx, rules);
  engine.on('success', (event: { type: string }) => {
    if (event.type !== ELIGIBILITY) engine.stop();
  });
  engine.on('failure', (event: { type: string }) => {
    if (event.type === ELIGIBILITY) engine.stop();
  });
  return engine;
}

function buildEngineSet(def: PolicyDefinition): EngineSet {
  const ctx: OperatorContext = { asOfDay: 0 };
  const scoreEngines = (def.scores ?? []).map((s) => {
    const rules: EngineRule[] = [];
    s.components.forEach((c, j) => {
      if ('when' in c) rules.push({ name: `c${j}`, when: c.when });
    });
    (s.multipliers ?? []).forEach((m, k) => rules.push({ name: `m${k}`, when: m.when }));
    return rules.length > 0 ? newEngine(def, ctx, rules) : null;
  });
  return { ctx, scoreEngines, main: newMainEngine(def, ctx) };
}

class EnginePool {
  private readonly idle: EngineSet[] = [];
  private readonly waiters: ((set: EngineSet) => void)[] = [];
  private size = 0;
  constructor(
    private readonly build: () => EngineSet,
    private readonly max: number,
  ) {
    this.idle.push(build());
    this.size = 1;
  }
  acquire(): Promise<EngineSet> {
    const set = this.idle.pop();
    if (set) return Promise.resolve(set);
    if (this.size < this.max) {
      this.size++;
      return Promise.resolve(this.build());
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release(set: EngineSet): void {
    const next = this.waiters.shift();
    if (next) next(set);
    else this.idle.push(set);
  }
}

async function runEngine(engine: Engine, facts: Facts): Promise<Map<string, RuleResult>> {
  const out = await engine.run(facts);
  const map = new Map<string, RuleResult>();
  for (const r of out.results) map.set(r.name, r);
  for (const r of out.failureResults) map.set(r.name, r);
  return map;
}

/** The population condition (spec key) each population leaf of a trace stands for, so its cut-off can be attached. */
const populationKeys = new WeakMap<ConditionTrace, string>();

/** Attach to each population leaf of a trace the cut-off it was compared with. */
function attachCutoffs(t: ConditionTrace, byKey: Map<string, ResolvedCut>, asOf: string | null): void {
  if (t.type !== 'leaf') {
    for (const c of t.children) attachCutoffs(c, byKey, asOf);
    return;
  }
  const key = populationKeys.get(t);
  const r = key === undefined ? undefined : byKey.get(key);
  if (r === undefined) return;
  const cutoff: NonNullable<LeafTrace['cutoff']> = { value: r.group.cutoff, population: r.group.population, qualifying: r.group.qualifying, asOf };
  if (r.group.total !== undefined) cutoff.total = r.group.total;
  if (r.spec.params.groupBy !== undefined) {
    cutoff.groupBy = r.spec.params.groupBy;
    cutoff.group = r.group.group ?? null;
  }
  t.cutoff = cutoff;
}

/** Builds the trace of one condition from json-rules-engine's evaluated copy of it (its rule result's `conditions`). */
type Tracer = (res: ResultNode | undefined, rootResult?: boolean) => ConditionTrace;

function groupTracer(type: 'all' | 'any' | 'not', children: Tracer[]): Tracer {
  return (res, rootResult) => {
    const r = res ?? {};
    const result = rootResult ?? r.result === true;
    if (type === 'not') return { type, result, children: [children[0](r.not as ResultNode | undefined)] };
    const kids = Array.isArray(r[type]) ? (r[type] as ResultNode[]) : [];
    return { type, result, children: children.map((t, i) => t(kids[i])) };
  };
}

/**
 * The tracer of a condition, built once per evaluator (`memo` shares named conditions). A reference's
 * node in the result holds the named condition inlined by json-rules-engine, so the trace re-attaches
 * the name from the definition.
 */
function buildTracer(condition: TopLevelCondition, named: Record<string, TopLevelCondition>, memo: Map<string, Tracer | undefined>): Tracer {
  return foldCondition<Tracer>(
    condition,
    {
      leaf: (def) => {
        if (isPopulationOperator(def.operator)) {
          // the engine compared the fact with the frozen cut-off (a {fact} value after binding): show the condition as written
          const key = populationKey(def);
          return (res) => {
            const r = res ?? {};
            const factValue = r.factResult;
            const leaf: ConditionTrace = {
              type: 'leaf',
              fact: def.fact,
              operator: def.operator,
              value: def.value,
              factValue,
              missing: isMissing(factValue),
              result: r.result === true,
            };
            if (def.params !== undefined) leaf.params = structuredClone(def.params);
            populationKeys.set(leaf, key);
            return leaf;
          };
        }
        const ref = isFactReference(def.value) ? def.value.fact : undefined;
        return (res) => {
          const r = res ?? {};
          const factValue = r.factResult;
          const value = ref !== undefined ? r.valueResult : def.value;
          const missing = isMissing(factValue) || (ref !== undefined && isMissing(value));
          const leaf: ConditionTrace = { type: 'leaf', fact: def.fact, operator: def.operator, value, factValue, missing, result: r.result === true };
          if (ref !== undefined) leaf.valueFact = ref;
          return leaf;
        };
      },
      all: (_node, children) =>
        groupTracer(
          'all',
          children.map((c) => c()),
        ),
      any: (_node, children) =>
        groupTracer(
          'any',
          children.map((c) => c()),
        ),
      not: (_node, child) => groupTracer('not', [child()]),
      reference: (node, target) => {
        const inner = target()!;
        return (res, rootResult) => {
          const r = res ?? {};
          const result = rootResult ?? r.result === true;
          return { type: 'condition', name: node.condition, result, children: [inner(r, result)] };
        };
      },
    },
    { named, memo },
  );
}

/** What the trace needs beyond json-rules-engine's results: each computed fact's input facts (catalog facts, transitively). */
interface TraceContext {
  base: Facts;
  computedReads: Map<string, string[]>;
}

/** The missing facts of a condition's trace (a computed fact's missing inputs), and each computed fact's inputs on its leaves. */
function collectMissing(t: ConditionTrace, out: Set<string>, tc: TraceContext): void {
  if (t.type === 'leaf') {
    const sides = t.valueFact === undefined ? [t.fact] : [t.fact, t.valueFact];
    for (const side of sides) {
      const reads = tc.computedReads.get(side);
      if (reads === undefined) continue;
      t.inputs ??= {};
      for (const f of reads) t.inputs[f] = hasOwn(tc.base, f) ? tc.base[f] : undefined;
    }
    if (t.missing) {
      const add = (f: string): void => {
        const reads = tc.computedReads.get(f);
        if (reads === undefined) out.add(f);
        else for (const r of reads) if (!hasOwn(tc.base, r) || isMissing(tc.base[r])) out.add(r);
      };
      if (isMissing(t.factValue)) add(t.fact);
      if (t.valueFact !== undefined && isMissing(t.value)) add(t.valueFact);
    }
    return;
  }
  for (const c of t.children) collectMissing(c, out, tc);
}

/** One tracer per condition of the definition, built on first use. */
function tracers(named: Record<string, TopLevelCondition>): (def: TopLevelCondition, rr: RuleResult | undefined) => ConditionTrace {
  const byCondition = new Map<TopLevelCondition, Tracer>();
  const memo = new Map<string, Tracer | undefined>();
  return (def, rr) => {
    let t = byCondition.get(def);
    if (t === undefined) {
      t = buildTracer(def, named, memo);
      byCondition.set(def, t);
    }
    return t(rr?.conditions as unknown as ResultNode | undefined, rr?.result === true);
  };
}

/**
 * Build an evaluator for a definition (validated first: throws InvalidPolicyError when invalid).
 * `evaluate` is safe to call concurrently.
 */
export function createEvaluator(definition: PolicyDefinition, facts: FactDefinition[], options: EvaluatorOptions = {}): PolicyEvaluator {
  const check = validatePolicy(definition, facts);
  if (!check.valid) throw new InvalidPolicyError(check.errors);
  const def: PolicyDefinition = structuredClone(definition);
  const ruleTrace = tracers(def.conditions ?? {});
  const inputKeys = inputFactsOf(def);
  const computedReads = new Map(Object.keys(def.computed ?? {}).map((k) => [k, computedInputs(def, k)]));
  const componentTraces = (def.scores ?? []).map((s) => s.components.map((c) => (isStepComponent(c) || 'fact' in c ? componentTracer(c) : null)));
  const missingMode = options.missingFacts ?? 'false';
  // population conditions: the engines evaluate the bound definition (each compared with its cut-off fact)
  const bound = bindPopulation(def);
  const specs = bound.specs;
  const resolverFor = cutResolverCache(specs);
  if (specs.length > 0 && options.cutoffs !== undefined) resolverFor(options.cutoffs); // refuse unusable cut-offs at once
  const pool = new EnginePool(() => buildEngineSet(bound.definition), Math.max(1, options.maxConcurrency ?? 16));

  async function evaluate(input: Facts, callOptions: EvaluateOptions = {}): Promise<EvaluationResult> {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new EvaluationError('invalid-input', 'Facts must be an object of fact key → value.');
    }
    const base: Facts = {};
    for (const k of inputKeys) {
      if (hasOwn(input, k) && !isMissing(input[k])) base[k] = input[k];
    }
    const asOfDay = resolveAsOfDay(input, callOptions.asOf, options.asOf);
    let resolved: ResolvedCut[] = [];
    let cutoffs: PopulationCutoffs | undefined;
    if (specs.length > 0) {
      cutoffs = callOptions.cutoffs ?? options.cutoffs;
      resolved = resolverFor(cutoffs)(input);
    }
    // what the engines see: the inputs and each population condition's cut-off (absent: nobody qualifies)
    const engineFacts: Facts = resolved.length === 0 ? base : { ...base };
    resolved.forEach((r, i) => {
      if (r.group.cutoff !== null) engineFacts[cutFact(i)] = r.group.cutoff;
    });
    const set = await pool.acquire();
    set.ctx.asOfDay = asOfDay;
    const scores: Record<string, number> = {};
    const missing = new Set<string>();
    const tc: TraceContext = { base, computedReads };
    // computed facts for the weighted score components (conditions read them through the engines)
    const computed = computedReads.size > 0 ? computeAll(def, base) : {};
    let result: EvaluationResult;
    try {
      const scoreTraces: ScoreTrace[] = [];
      for (const [i, s] of (def.scores ?? []).entries()) {
        const engine = set.scoreEngines[i];
        const results = engine ? await runEngine(engine, engineFacts) : new Map<string, RuleResult>();
        const st: ScoreTrace = { kind: 'score', score: s.key, value: 0, components: [], multipliers: [] };
        let total = 0;
        s.components.forEach((c, j) => {
          if (isStepComponent(c) || 'fact' in c) {
            const reads = computedReads.get(c.fact);
            const raw = reads !== undefined ? computed[c.fact] : hasOwn(base, c.fact) ? base[c.fact] : undefined;
            const trace = componentTraces[i][j]!(raw);
            total += trace.contribution;
            if (trace.missing === true) {
              if (reads === undefined) missing.add(c.fact);
              else for (const r of reads) if (!hasOwn(base, r) || isMissing(base[r])) missing.add(r);
            }
            st.components.push(trace);
          } else {
            const rr = results.get(`c${j}`);
            const held = rr?.result === true;
            const condition = ruleTrace(c.when, rr);
            collectMissing(condition, missing, tc);
            if (held) total += c.points;
            st.components.push({ label: c.label, contribution: held ? c.points : 0, points: c.points, condition });
          }
        });
        (s.multipliers ?? []).forEach((m, k) => {
          const rr = results.get(`m${k}`);
          const applied = rr?.result === true;
          const condition = ruleTrace(m.when, rr);
          collectMissing(condition, missing, tc);
          if (applied) total *= m.factor;
          st.multipliers.push({ label: m.label, factor: m.factor, applied, condition });
        });
        const value = roundScore(total, s.round);
        st.value = value;
        scores[s.key] = value;
        base[s.key] = value;
        engineFacts[s.key] = value;
        scoreTraces.push(st);
      }
      const results = await runEngine(set.main, engineFacts);
      const traced = (when: TopLevelCondition, rr: RuleResult | undefined): ConditionTrace => {
        const condition = ruleTrace(when, rr);
        collectMissing(condition, missing, tc);
        return condition;
      };
      const { eligibility } = def;
      result = assembleResult(def, scores, scoreTraces, eligibility ? () => traced(eligibility, results.get(ELIGIBILITY)) : null, (i) =>
        traced(def.tiers[i].when!, results.get(`t${i}`)),
      );
    } catch (e) {
      throw new EvaluationError('engine-error', `json-rules-engine failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      pool.release(set);
    }
    if (resolved.length > 0) {
      const byKey = new Map(resolved.map((r) => [r.spec.key, r]));
      for (const e of result.trace) {
        if (e.kind === 'score') {
          for (const c of e.components) if (c.condition) attachCutoffs(c.condition, byKey, cutoffs?.asOf ?? null);
          for (const m of e.multipliers) attachCutoffs(m.condition, byKey, cutoffs?.asOf ?? null);
        } else if (e.condition) attachCutoffs(e.condition, byKey, cutoffs?.asOf ?? null);
      }
    }
    if (missingMode === 'error' && missing.size > 0) {
      const list = [...missing];
      throw new EvaluationError('missing-fact', `Missing fact${list.length > 1 ? 's' : ''}: ${list.join(', ')}.`, list);
    }
    return result;
  }

  return { definition: def, evaluate };
}
