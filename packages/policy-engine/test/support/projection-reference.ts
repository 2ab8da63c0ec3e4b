/**
 * The projector as it was before the candidate probes were deduplicated by value and run on one reused object
 * (session 10): a frozen copy of src/projection.ts's createProjector at 53ef0fe, kept as the reference the
 * property test (projection.property.test.ts) holds the current one equal to. Not used by src/.
 */
import { compileFast } from '../../src/compile';
import { computedInputs, inputFactsOf, walkDefinitionConditions } from '../../src/definition-walk';
import { computeAll } from '../../src/expressions';
import { isStepComponent } from '../../src/scoring';
import type { EvaluateOptions, FactDefinition, Facts, FastEvaluator, FastResult, PolicyDefinition, TierDefinition } from '../../src/types';
import { cutResolver, isPopulationOperator, populationKey, populationSpecs } from '../../src/population';
import { isFactReference } from '../../src/walk';

import type { Projection, ProjectionOption, Projector } from '../../src/projection';

type Candidate = { value: unknown; strictOf?: number };

/** An inverted breakpoint without its floating-point noise (699999.99999424 → 700000): 12 significant digits. */
const snap = (x: number): number => Number(x.toPrecision(12));

const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

type Push = (k: string, vs: unknown[]) => void;
type ValuesOf = (input: Facts, cuts?: ReadonlyMap<string, number | null>) => Map<string, unknown[]>;

/**
 * Numbers a leaf compares `fact` with (literal thresholds, and the other side of a {fact} comparison,
 * read from `input`), as a function built once per definition: the definition is walked here, not on
 * every projection (a batch of 10,000 walked it ~20,000 times); each call replays the same pushes in
 * the same order.
 */
function valuesOf(def: PolicyDefinition): ValuesOf {
  const ops: ((push: Push, input: Facts, cuts: ReadonlyMap<string, number | null>) => void)[] = [];
  walkDefinitionConditions(def, {
    leaf: (leaf) => {
      if (isPopulationOperator(leaf.operator)) {
        // a population condition: the frozen cut-off this customer is compared with
        const key = populationKey(leaf);
        ops.push((push, _input, cuts) => {
          const cut = cuts.get(key);
          if (cut !== undefined && cut !== null) push(leaf.fact, [cut]);
        });
      } else if (isFactReference(leaf.value)) {
        const other = leaf.value.fact;
        ops.push((push, input) => {
          push(leaf.fact, [input[other]]);
          push(other, [input[leaf.fact]]);
        });
      } else {
        const vs = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
        ops.push((push) => push(leaf.fact, vs));
      }
    },
  });
  for (const s of def.scores ?? []) {
    for (const c of s.components)
      if (isStepComponent(c)) {
        const vs = c.steps.flatMap((b) => [b.min, b.max]).filter((x) => x !== undefined);
        ops.push((push) => push(c.fact, vs));
      }
  }
  const none: ReadonlyMap<string, number | null> = new Map();
  return (input, cuts = none) => {
    const out = new Map<string, unknown[]>();
    const push: Push = (k, vs) => {
      const list = out.get(k);
      if (list) list.push(...vs);
      else out.set(k, [...vs]);
    };
    for (const op of ops) op(push, input, cuts);
    return out;
  };
}

/** Candidate numbers around each breakpoint: the value itself and just past it on either side (integers: ±1). */
function numericCandidates(points: number[], integer: boolean): Candidate[] {
  const out: Candidate[] = [];
  for (const b of points) {
    if (integer) {
      for (const x of [Math.floor(b), Math.ceil(b), Math.floor(b) - 1, Math.ceil(b) + 1]) out.push({ value: x });
    } else {
      const d = Math.abs(b) * 1e-9 + 1e-9;
      out.push({ value: b }, { value: b + d, strictOf: b }, { value: b - d, strictOf: b });
    }
  }
  return out;
}

/** Build a projector for a definition (validated like compileFast; throws InvalidPolicyError when invalid). */
export function referenceProjector(definition: PolicyDefinition, facts: FactDefinition[], options: EvaluateOptions = {}): Projector {
  const fast = compileFast(definition, facts, options);
  // population conditions: their cut-offs (options.cutoffs; without them evaluating throws population-cutoffs-missing)
  const specs = populationSpecs(definition);
  const cutsOf = (input: Facts): Map<string, number | null> =>
    specs.length === 0 ? new Map() : new Map(cutResolver(specs, options.cutoffs)(input).map((r) => [r.spec.key, r.group.cutoff]));
  const catalog = new Map(facts.map((f) => [f.key, f]));
  const collectValues = valuesOf(definition);
  const inputs = inputFactsOf(definition).filter((k) => catalog.has(k));
  const tiers = definition.tiers;
  const scores = definition.scores ?? [];
  // each score as an input: the policy with that score (and none after it reading it differently) taken as given
  const scoreAsInput = new Map<string, FastEvaluator>();
  const scoreEvaluator = (key: string): FastEvaluator => {
    let f = scoreAsInput.get(key);
    if (f === undefined) {
      const def: PolicyDefinition = { ...definition, scores: scores.filter((s) => s.key !== key) };
      f = compileFast(def, [...facts, { key, label: key, type: 'number' }], options);
      scoreAsInput.set(key, f);
    }
    return f;
  };
  const rankOf = (r: FastResult): number => (r.eligible && r.tierIndex >= 0 ? r.tierIndex : tiers.length);

  return (input) => {
    const now = fast(input);
    const c = rankOf(now);
    if (c === 0) return null;
    const goal = c - 1;
    const t: TierDefinition = tiers[goal];
    const projection: Projection = { tier: { key: t.key, name: t.name, rank: goal + 1 }, options: [] };
    if (t.nameEn !== undefined) projection.tier.nameEn = t.nameEn;
    const cuts = cutsOf(input);
    const values = collectValues({ ...input, ...now.scores }, cuts);

    const best = (current: unknown, candidates: Candidate[], reaches: (v: unknown) => boolean, numeric: boolean): ProjectionOption[] => {
      const seen = new Set<string>();
      const ok: Candidate[] = [];
      for (const cand of candidates) {
        const id = JSON.stringify(cand.value);
        if (seen.has(id) || cand.value === current) continue;
        seen.add(id);
        if (reaches(cand.value)) ok.push(cand);
      }
      if (ok.length === 0) return [];
      if (!numeric) return ok.map((k) => ({ fact: '', kind: 'fact', current, needed: k.value }));
      const base = asNumber(current) ?? 0;
      // the nearest value that reaches it; a value just past a breakpoint reads as "past the breakpoint"
      const reported = ok.map((k) => {
        if (k.strictOf !== undefined && !ok.some((o) => o.value === k.strictOf))
          return { needed: k.strictOf, strict: true, distance: Math.abs(k.strictOf - base) };
        return { needed: k.value as number, strict: false, distance: Math.abs((k.value as number) - base) };
      });
      // the nearest; of the values within a millionth of it (99.9999999 and 100 with a rounded score) the roundest
      reported.sort((a, b) => a.distance - b.distance);
      const first = reported[0];
      const digits = (x: number) =>
        String(x)
          .replace(/^-|\.|e.*$/g, '')
          .replace(/^0+|0+$/g, '').length;
      const close = reported.filter((x) => Math.abs(x.needed - first.needed) <= 1e-6 * Math.max(1, Math.abs(first.needed)));
      close.sort((a, b) => digits(a.needed) - digits(b.needed) || (a.strict ? 1 : 0) - (b.strict ? 1 : 0));
      const r = close[0];
      const o: ProjectionOption = { fact: '', kind: 'fact', current, needed: r.needed };
      if (r.strict) o.strict = true;
      return [o];
    };

    for (const key of inputs) {
      const f = catalog.get(key)!;
      const current = input[key];
      const reaches = (v: unknown) => rankOf(fast({ ...input, [key]: v })) <= goal;
      let found: ProjectionOption[] = [];
      if (f.type === 'number' || f.type === 'integer') {
        const points = (values.get(key) ?? []).map(asNumber).filter((x): x is number => x !== undefined);
        points.push(...scoreBreakpoints(key, input, now));
        found = best(current, numericCandidates(points, f.type === 'integer'), reaches, true);
      } else if (f.type === 'boolean') {
        found = best(current, [{ value: true }, { value: false }], reaches, false);
      } else if (f.type === 'enum' || f.type === 'string') {
        const options = f.type === 'enum' ? (f.enumValues ?? []) : (values.get(key) ?? []).filter((v): v is string => typeof v === 'string');
        found = best(
          current,
          options.map((value) => ({ value })),
          reaches,
          false,
        );
      }
      for (const o of found) projection.options.push({ ...o, fact: key });
    }
    for (const s of scores) {
      const thresholds = (values.get(s.key) ?? []).map(asNumber).filter((x): x is number => x !== undefined);
      if (thresholds.length === 0) continue;
      const ev = scoreEvaluator(s.key);
      const withScores = { ...input, ...now.scores };
      const reaches = (v: unknown) => rankOf(ev({ ...withScores, [s.key]: v })) <= goal;
      for (const o of best(now.scores[s.key], numericCandidates(thresholds, false), reaches, true))
        projection.options.push({ ...o, fact: s.key, kind: 'score' });
    }
    return projection;

    function scoreBreakpoints(key: string, inputNow: Facts, resultNow: FastResult): number[] {
      return breakpoints(key, inputNow, resultNow, cuts);
    }
  };

  /**
   * Values of `key` at which a score it feeds (weighted components) meets a threshold a condition sets
   * on the score: from the score's slope in `key` around the current value (checked by evaluation after).
   */
  function breakpoints(key: string, input: Facts, now: FastResult, cuts: ReadonlyMap<string, number | null>): number[] {
    const out: number[] = [];
    const x0 = asNumber(input[key]) ?? 0;
    const values = collectValues({ ...input, ...now.scores }, cuts);
    // computed facts reading it (ratios, sums …): where they meet their thresholds
    const c0 = computeAll(definition, input);
    for (const ck of Object.keys(definition.computed ?? {})) {
      if (!computedInputs(definition, ck).includes(key)) continue;
      const thresholds = (values.get(ck) ?? []).map(asNumber).filter((x): x is number => x !== undefined);
      const y0 = c0[ck];
      if (y0 === undefined || thresholds.length === 0) continue;
      for (const delta of [1, Math.max(1, Math.abs(x0))]) {
        const y1 = computeAll(definition, { ...input, [key]: x0 + delta })[ck];
        if (y1 === undefined) continue;
        const slope = (y1 - y0) / delta;
        if (!Number.isFinite(slope) || slope === 0) continue;
        for (const T of thresholds) {
          const x = x0 + (T - y0) / slope;
          if (Number.isFinite(x)) out.push(snap(x), Math.ceil(x), Math.floor(x));
        }
      }
    }
    for (const s of scores) {
      const reads = (f: string) => f === key || (definition.computed?.[f] !== undefined && computedInputs(definition, f).includes(key));
      if (!s.components.some((c) => 'weight' in c && !isStepComponent(c) && reads(c.fact))) continue;
      const thresholds = (values.get(s.key) ?? []).map(asNumber).filter((x): x is number => x !== undefined);
      const s0 = now.scores[s.key];
      for (const delta of [1, Math.max(1, Math.abs(x0))]) {
        const s1 = fast({ ...input, [key]: x0 + delta }).scores[s.key];
        const slope = (s1 - s0) / delta;
        if (!Number.isFinite(slope) || slope === 0) continue;
        for (const T of thresholds) {
          const x = x0 + (T - s0) / slope;
          if (Number.isFinite(x)) out.push(snap(x), Math.ceil(x), Math.floor(x));
        }
      }
    }
    return out;
  }
}
