/**
 * Projection (issue 12, contract §9): the next better tier and, for each single fact change that alone
 * would reach it, `{fact, current, needed}`.
 *
 * Derived from the conditions: the candidate values of each fact are the values its conditions
 * compare it with (thresholds, range ends, list items, enum values, the other side of a `{fact}`
 * comparison, step-table bounds), and for facts that feed a score, the values at which the score
 * meets the thresholds the conditions set on it. Each candidate is then checked by evaluating the
 * policy with that one fact changed (the compiled evaluator, which is proven identical to
 * json-rules-engine), so `any`, `all`, `not`, scores, multipliers and fact-vs-fact comparisons are
 * all taken into account exactly, and nothing is reported that would not reach the tier. Of the
 * values that reach it, the one nearest the current value is reported (`strict`: the value must be
 * passed, not only met). Scores are projected too (how many more points), as if the score itself
 * could change. Dates and lists (`string[]`) are not projected.
 */
import { compileRanked, type Ranker } from './compile';
import { computedInputs, inputFactsOf, walkDefinitionConditions } from './definition-walk';
import { computeAll } from './expressions';
import { formatNumber, makeLabeller } from './format';
import { fmt } from './phrases';
import { isStepComponent } from './scoring';
import type { EvaluateOptions, FactDefinition, Facts, FastResult, Locale, PolicyDefinition, TierDefinition } from './types';
import { cutResolver, isPopulationOperator, populationKey, populationSpecs } from './population';
import { isFactReference } from './walk';

export interface ProjectionOption {
  /** The fact (or score key) to change. */
  fact: string;
  /** `fact`: an input fact; `score`: a score of the policy (how many more points). */
  kind: 'fact' | 'score';
  /** Its value now (undefined: missing). */
  current: unknown;
  /** The value that alone would reach the tier. */
  needed: unknown;
  /** The value must be passed, not only reached (`> needed` when raising, `< needed` when lowering). */
  strict?: boolean;
}

export interface Projection {
  tier: { key: string; name: string; nameEn?: string; rank: number };
  /** Empty when no single change suffices. */
  options: ProjectionOption[];
}

/** The next tier for `input`; for a definition with population conditions, against the cut-offs given to `createProjector`. */
export type Projector = (input: Facts) => Projection | null;

type Candidate = { value: unknown; strictOf?: number };

/** An inverted breakpoint without its floating-point noise (699999.99999424 → 700000): 12 significant digits. */
const snap = (x: number): number => Number(x.toPrecision(12));

const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

type Push = (k: string, vs: unknown[]) => void;
/** `constant`: every value is a literal of the definition (no {fact} comparison, no population cut-off): the same map for any input. */
type ValuesOf = ((input: Facts, cuts?: ReadonlyMap<string, number | null>) => Map<string, unknown[]>) & { constant: boolean };

/**
 * Numbers a leaf compares `fact` with (literal thresholds, and the other side of a {fact} comparison,
 * read from `input`), as a function built once per definition: the definition is walked here, not on
 * every projection (a batch of 10,000 walked it ~20,000 times); each call replays the same pushes in
 * the same order.
 */
function valuesOf(def: PolicyDefinition): ValuesOf {
  const ops: ((push: Push, input: Facts, cuts: ReadonlyMap<string, number | null>) => void)[] = [];
  let constant = true;
  walkDefinitionConditions(def, {
    leaf: (leaf) => {
      if (isPopulationOperator(leaf.operator)) {
        // a population condition: the frozen cut-off this customer is compared with
        const key = populationKey(leaf);
        constant = false;
        ops.push((push, _input, cuts) => {
          const cut = cuts.get(key);
          if (cut !== undefined && cut !== null) push(leaf.fact, [cut]);
        });
      } else if (isFactReference(leaf.value)) {
        const other = leaf.value.fact;
        constant = false;
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
  const collect = (input: Facts, cuts: ReadonlyMap<string, number | null> = none) => {
    const out = new Map<string, unknown[]>();
    const push: Push = (k, vs) => {
      const list = out.get(k);
      if (list) list.push(...vs);
      else out.set(k, [...vs]);
    };
    for (const op of ops) op(push, input, cuts);
    return out;
  };
  return Object.assign(collect, { constant });
}

/** Significant digits of a number as written (its sign, point and exponent left out), kept per value: the same thresholds come back. */
const digitsOf = new Map<number, number>();
function digits(x: number): number {
  let d = digitsOf.get(x);
  if (d === undefined) {
    d = String(x)
      .replace(/^-|\.|e.*$/g, '')
      .replace(/^0+|0+$/g, '').length;
    if (digitsOf.size >= 4096) digitsOf.clear(); // breakpoints derived per customer (slopes) would otherwise grow it
    digitsOf.set(x, d);
  }
  return d;
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

/** The candidates that reach the tier (`reaches`), each distinct value probed once, the current value not; as options. */
function best(current: unknown, candidates: Candidate[], reaches: (v: unknown) => boolean, numeric: boolean): ProjectionOption[] {
  // distinct as JSON text is (every non-finite number reads as null), without writing it; a handful of values: a list,
  // compared as a Set would (SameValueZero)
  const seen: unknown[] = [];
  const ok: Candidate[] = [];
  for (const cand of candidates) {
    const v = cand.value;
    if (v === current) continue;
    const id = typeof v === 'number' && !Number.isFinite(v) ? null : v;
    if (seen.includes(id)) continue;
    seen.push(id);
    if (reaches(v)) ok.push(cand);
  }
  if (ok.length === 0) return [];
  if (!numeric) return ok.map((k) => ({ fact: '', kind: 'fact', current, needed: k.value }));
  const base = asNumber(current) ?? 0;
  // the nearest value that reaches it; a value just past a breakpoint reads as "past the breakpoint"
  const reported = ok.map((k) => {
    if (k.strictOf !== undefined && !ok.some((o) => o.value === k.strictOf)) return { needed: k.strictOf, strict: true, distance: Math.abs(k.strictOf - base) };
    return { needed: k.value as number, strict: false, distance: Math.abs((k.value as number) - base) };
  });
  const r = reported.every((x) => Number.isFinite(x.distance)) ? nearest(reported) : nearestSorted(reported);
  const o: ProjectionOption = { fact: '', kind: 'fact', current, needed: r.needed };
  if (r.strict) o.strict = true;
  return [o];
}

type Reported = { needed: number; strict: boolean; distance: number };

/**
 * The nearest; of the values within a millionth of it (99.9999999 and 100 with a rounded score) the roundest, then
 * not strict — as `nearestSorted` picks it (stable sorts: ties keep the earlier), without sorting: every distance finite.
 */
function nearest(reported: Reported[]): Reported {
  let first = reported[0];
  for (const x of reported) if (x.distance < first.distance) first = x;
  const tolerance = 1e-6 * Math.max(1, Math.abs(first.needed));
  let pick = first;
  let pickDigits = -1;
  for (const x of reported) {
    if (x === first || !(Math.abs(x.needed - first.needed) <= tolerance)) continue;
    if (pickDigits < 0) pickDigits = digits(first.needed);
    const d = digits(x.needed);
    // before `pick` in the sorted order: rounder, or as round and not strict where it is, or as both and nearer (earlier on a tie)
    const order = d - pickDigits || (x.strict ? 1 : 0) - (pick.strict ? 1 : 0) || x.distance - pick.distance;
    if (order < 0 || (order === 0 && reported.indexOf(x) < reported.indexOf(pick))) {
      pick = x;
      pickDigits = d;
    }
  }
  return pick;
}

/** `nearest` by sorting (any distance, a non-finite one included: the comparisons as they fall). */
function nearestSorted(reported: Reported[]): Reported {
  reported.sort((a, b) => a.distance - b.distance);
  const first = reported[0];
  const close = reported.filter((x) => Math.abs(x.needed - first.needed) <= 1e-6 * Math.max(1, Math.abs(first.needed)));
  if (close.length > 1) {
    // each value's digits counted once, not at every comparison of the sort
    const ds = new Map(close.map((x) => [x, digits(x.needed)]));
    close.sort((a, b) => ds.get(a)! - ds.get(b)! || (a.strict ? 1 : 0) - (b.strict ? 1 : 0));
  }
  return close[0];
}

/** Build a projector for a definition (validated like compileFast; throws InvalidPolicyError when invalid). */
export function createProjector(definition: PolicyDefinition, facts: FactDefinition[], options: EvaluateOptions = {}): Projector {
  // `rank`: the probes' evaluation (the tier only: no result or scores object per probe)
  const { fast, rank } = compileRanked(definition, facts, options);
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
  const scoreAsInput = new Map<string, Ranker>();
  const scoreEvaluator = (key: string): Ranker => {
    let f = scoreAsInput.get(key);
    if (f === undefined) {
      const def: PolicyDefinition = { ...definition, scores: scores.filter((s) => s.key !== key) };
      f = compileRanked(def, [...facts, { key, label: key, type: 'number' }], options).rank;
      scoreAsInput.set(key, f);
    }
    return f;
  };
  const constantValues = collectValues.constant ? collectValues({}) : undefined;
  const constantCandidates = new Map<string, Candidate[]>();
  const rankOf = (r: FastResult): number => (r.eligible && r.tierIndex >= 0 ? r.tierIndex : tiers.length);
  /** Per input fact, once per projector: the computed facts reading it and the scores a weighted component of which reads it. */
  const readersOf = new Map<string, { computed: string[]; scores: typeof scores }>();
  function readers(key: string): { computed: string[]; scores: typeof scores } {
    let r = readersOf.get(key);
    if (r === undefined) {
      const computed = Object.keys(definition.computed ?? {}).filter((ck) => computedInputs(definition, ck).includes(key));
      // a component reads the fact itself or a computed fact that reads it
      const reads = (f: string) => f === key || computed.includes(f);
      r = { computed, scores: scores.filter((s) => s.components.some((c) => 'weight' in c && !isStepComponent(c) && reads(c.fact))) };
      readersOf.set(key, r);
    }
    return r;
  }

  return (input) => {
    const now = fast(input);
    const c = rankOf(now);
    if (c === 0) return null;
    const goal = c - 1;
    const t: TierDefinition = tiers[goal];
    const projection: Projection = { tier: { key: t.key, name: t.name, rank: goal + 1 }, options: [] };
    if (t.nameEn !== undefined) projection.tier.nameEn = t.nameEn;
    // a definition of literal thresholds only: its values (and each fact's candidates) once, not per customer
    const values = constantValues ?? collectValues({ ...input, ...now.scores }, cutsOf(input));

    // one probe object for every candidate of every fact: the input with that one fact changed, restored after each
    const probe: Facts = { ...input };
    for (const key of inputs) {
      const f = catalog.get(key)!;
      const current = input[key];
      const own = Object.prototype.hasOwnProperty.call(input, key);
      const reaches = (v: unknown) => {
        probe[key] = v;
        const r = rank(probe) <= goal;
        if (own) probe[key] = current;
        else delete probe[key];
        return r;
      };
      let found: ProjectionOption[] = [];
      if (f.type === 'number' || f.type === 'integer') {
        let candidates = constantCandidates.get(key);
        if (candidates === undefined) {
          const points = (values.get(key) ?? []).map(asNumber).filter((x): x is number => x !== undefined);
          // a fact no computed fact and no weighted component reads has no breakpoints of its own: its candidates are the values'
          const own = readers(key);
          const fixed = constantValues !== undefined && own.computed.length === 0 && own.scores.length === 0;
          if (!fixed) points.push(...scoreBreakpoints(key, input, now));
          candidates = numericCandidates(points, f.type === 'integer');
          if (fixed) constantCandidates.set(key, candidates);
        }
        found = best(current, candidates, reaches, true);
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
      // the input with the scores as facts, this score set to each candidate in turn (it is always present: a score)
      const withScores: Facts = { ...input, ...now.scores };
      const reaches = (v: unknown) => {
        withScores[s.key] = v;
        return ev(withScores) <= goal;
      };
      for (const o of best(now.scores[s.key], numericCandidates(thresholds, false), reaches, true))
        projection.options.push({ ...o, fact: s.key, kind: 'score' });
    }
    return projection;

    function scoreBreakpoints(key: string, inputNow: Facts, resultNow: FastResult): number[] {
      return breakpoints(key, inputNow, resultNow, values);
    }
  };

  /**
   * Values of `key` at which a score it feeds (weighted components) meets a threshold a condition sets
   * on the score: from the score's slope in `key` around the current value (checked by evaluation after).
   * `values`: collectValues of this input with its scores and cut-offs (the projection's own).
   */
  function breakpoints(key: string, input: Facts, now: FastResult, values: Map<string, unknown[]>): number[] {
    const out: number[] = [];
    const read = readers(key);
    if (read.computed.length === 0 && read.scores.length === 0) return out;
    const x0 = asNumber(input[key]) ?? 0;
    // computed facts reading it (ratios, sums …): where they meet their thresholds
    const c0 = read.computed.length > 0 ? computeAll(definition, input) : {};
    for (const ck of read.computed) {
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
    for (const s of read.scores) {
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

/** The projection in words: `距白金卡客户还差日均综合金融资产 50,000（需达到 300,000）` / `Platinum: 50,000 more Average daily assets (needs 300,000)`. */
export function projectionText(p: Projection | null, definition: PolicyDefinition, facts: FactDefinition[], locale: Locale): string[] {
  const zh = locale !== 'en';
  if (p === null) return [zh ? '已是最高等级' : 'Already at the top tier'];
  const tier = zh ? p.tier.name : (p.tier.nameEn ?? p.tier.name);
  if (p.options.length === 0) return [zh ? `距${tier}：没有单一条件的改变即可达到` : `${tier}: no single change reaches it`];
  const label = makeLabeller(facts, definition.scores, definition.computed);
  return p.options.map((o) => {
    const name = label(o.fact, locale);
    const cur = asNumber(o.current);
    const need = asNumber(o.needed);
    const points = o.kind === 'score' ? (zh ? ' 分' : ' points') : '';
    if (need === undefined) return zh ? `距${tier}需${name}为 ${fmt(o.needed, locale)}` : `${tier}: ${name} ${fmt(o.needed, locale)}`;
    if (cur === undefined) {
      return zh
        ? `距${tier}需${name}${o.strict ? '超过' : '达到'} ${formatNumber(need)}${points}`
        : `${tier}: ${name} ${o.strict ? 'above' : 'of'} ${formatNumber(need)}${points}`;
    }
    if (need > cur) {
      return zh
        ? `距${tier}还差${name} ${formatNumber(need - cur)}${points}（需${o.strict ? '超过' : '达到'} ${formatNumber(need)}）`
        : `${tier}: ${formatNumber(need - cur)} more ${name}${points} (needs ${o.strict ? 'above ' : ''}${formatNumber(need)})`;
    }
    return zh
      ? `距${tier}需${name}降至 ${formatNumber(need)}${o.strict ? ' 以下' : ''}${points}（现为 ${formatNumber(cur)}）`
      : `${tier}: ${name} down to ${o.strict ? 'below ' : ''}${formatNumber(need)}${points} (now ${formatNumber(cur)})`;
  });
}
