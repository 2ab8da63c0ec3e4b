/**
 * Population-relative conditions (contract §10): leaves that compare a customer with the population of
 * the rating run (or simulation) they are evaluated in.
 *
 * - `{fact, operator: "topPercent", value: p}`: among the best p% by the fact. The best
 *   k = ⌈n × p / 100⌉ customers of the n ranked (the smallest number that is at least p% of them); the
 *   **cut-off** is the k-th best value and every customer at or beyond it qualifies, so ties at the cut
 *   are all included (more than p% may qualify, never fewer).
 * - `{…, operator: "shareOfTotalAtLeast", value: p}`: the customer's value is at least p% of the
 *   population's total (cut-off = p% × total). With `params.cumulative: true`: the customer is among the
 *   best customers who together bring p% of the total (ranked best first, the cut-off is the value of the
 *   customer at which the running sum first reaches p% of the total; ties included). A total ≤ 0 has no
 *   share: nobody qualifies.
 * - `{…, operator: "quantileAtLeast", value: q, params: {quantiles: Q}}`: the customer's bucket is q or
 *   higher of Q equal-count buckets, bucket Q the best (RFM quintiles). Bucket q or higher = the best
 *   ⌈n × (Q − q + 1) / Q⌉ customers, ties included: the cut-off is that bucket's lower edge.
 *
 * Shared parameters: `best: "highest" | "lowest"` (default highest; lowest ranks e.g. days since the
 * last purchase, where fewer is better), `groupBy: <fact>` (rank within each value of that fact, e.g. per
 * region; a missing value is its own group). The population of a fact is the rows with a finite number
 * for it (a missing value is not ranked and its condition is false), and — when the definition has an
 * eligibility check that does not itself rank — only the eligible rows.
 *
 * Every population condition thus reduces to an ordinary comparison with a frozen number (≥ cut-off, or ≤
 * for `best: "lowest"`): `bindPopulation` rewrites the leaves to compare with per-customer cut-off facts,
 * so json-rules-engine and the compiled evaluator evaluate them with their ordinary operators, and the
 * cut-offs of a run are data (`PopulationCutoffs`) that are stored, approved and shown.
 */
import { computeAll } from './expressions';
import { conditionRoots, walkDefinitionConditions } from './definition-walk';
import { EvaluationError } from './errors';
import { hasOwn, isPlainObject } from './keys';
import { compileFast } from './compile';
import type { FactDefinition, Facts, LeafCondition, PolicyDefinition } from './types';
import { walkCondition } from './walk';
import { isPopulationOperator, type PopulationOperator } from './population-operators';

export { POPULATION_OPERATORS, isPopulationOperator, type PopulationOperator } from './population-operators';

/** The parameters a population leaf may carry (each operator accepts a subset, see operators.ts). */
export interface PopulationParams {
  /** quantileAtLeast: how many buckets (RFM: 5). */
  quantiles?: number;
  /** Which end ranks first (default `highest`). */
  best?: 'highest' | 'lowest';
  /** shareOfTotalAtLeast: the best customers who together bring p% of the total. */
  cumulative?: boolean;
  /** Rank within each value of this fact (e.g. per region). */
  groupBy?: string;
}

/** One distinct population condition of a definition (leaves with the same fact, operator, value and params share it). */
export interface PopulationSpec {
  /** Stable identity of the condition: what a stored cut-off is looked up by. */
  key: string;
  fact: string;
  operator: PopulationOperator;
  value: number;
  params: PopulationParams;
}

/** The cut-off of one condition in one group (or the whole population when not grouped). */
export interface PopulationGroupCut {
  /** The group's value of `groupBy` (null: the rows without one); absent when not grouped. */
  group?: string | number | boolean | null;
  /** Customers ranked (those with a number for the fact). */
  population: number;
  /** The value at the cut: qualifying means ≥ it (≤ for `best: "lowest"`); null: nobody qualifies. */
  cutoff: number | null;
  /** Customers at or beyond the cut (ties included). */
  qualifying: number;
  /** shareOfTotalAtLeast: the population's total. */
  total?: number;
}

export interface PopulationCut {
  key: string;
  fact: string;
  operator: PopulationOperator;
  value: number;
  params: PopulationParams;
  groups: PopulationGroupCut[];
}

/** What a run freezes: every population condition's cut-off, over which population, as of which day. */
export interface PopulationCutoffs {
  /** The day the facts describe (the snapshot's asOf), when known. */
  asOf: string | null;
  /** Rows ranked: the eligible rows when eligibility does not rank, else every row. */
  population: number;
  scope: 'eligible' | 'all';
  cuts: PopulationCut[];
}

/** The per-customer cut-off facts the bound definition compares with (not valid catalog keys, so they never collide). */
export const CUT_FACT_PREFIX = '$cut:';
export const cutFact = (i: number): string => `${CUT_FACT_PREFIX}${i}`;

function paramsOf(leaf: LeafCondition): PopulationParams {
  const p = isPlainObject(leaf.params) ? leaf.params : {};
  const out: PopulationParams = {};
  if (typeof p.quantiles === 'number') out.quantiles = p.quantiles;
  if (p.best === 'lowest' || p.best === 'highest') out.best = p.best;
  if (p.cumulative === true) out.cumulative = true;
  if (typeof p.groupBy === 'string') out.groupBy = p.groupBy;
  return out;
}

/** The identity of a population leaf: `topPercent(profit, 20)`, `quantileAtLeast(frequency, 4, quantiles=5)`, … */
export function populationKey(leaf: Pick<LeafCondition, 'fact' | 'operator' | 'value' | 'params'>): string {
  const p = paramsOf(leaf as LeafCondition);
  const extra = (['quantiles', 'best', 'cumulative', 'groupBy'] as const)
    .filter((k) => p[k] !== undefined && !(k === 'best' && p[k] === 'highest'))
    .map((k) => `, ${k}=${String(p[k])}`)
    .join('');
  return `${leaf.operator}(${leaf.fact}, ${String(leaf.value)}${extra})`;
}

export function isPopulationLeaf(leaf: LeafCondition): boolean {
  return isPopulationOperator(leaf.operator);
}

/** The distinct population conditions of a definition, in document order. */
export function populationSpecs(def: PolicyDefinition): PopulationSpec[] {
  const out = new Map<string, PopulationSpec>();
  walkDefinitionConditions(def, {
    leaf: (leaf) => {
      if (!isPopulationOperator(leaf.operator)) return;
      const key = populationKey(leaf);
      if (!out.has(key)) out.set(key, { key, fact: leaf.fact, operator: leaf.operator, value: leaf.value as number, params: paramsOf(leaf) });
    },
  });
  return [...out.values()];
}

export function hasPopulationConditions(def: PolicyDefinition): boolean {
  let found = false;
  walkDefinitionConditions(def, {
    leaf: (leaf) => {
      if (isPopulationOperator(leaf.operator)) found = true;
    },
  });
  return found;
}

/**
 * The definition with every population leaf rewritten to an ordinary comparison with its cut-off fact
 * (`cutFact(i)`, i = the spec's index): `{fact, operator: "greaterThanInclusive", value: {fact: "$cut:0"}}`
 * (`lessThanInclusive` for `best: "lowest"`). A missing cut-off fact (nobody qualifies) makes it false, as
 * every comparison with a missing fact is.
 */
export function bindPopulation(definition: PolicyDefinition): { definition: PolicyDefinition; specs: PopulationSpec[] } {
  const specs = populationSpecs(definition);
  if (specs.length === 0) return { definition, specs };
  const index = new Map(specs.map((s, i) => [s.key, i]));
  const def = structuredClone(definition);
  walkDefinitionConditions(def, {
    leaf: (leaf) => {
      if (!isPopulationOperator(leaf.operator)) return;
      const i = index.get(populationKey(leaf))!;
      const lowest = paramsOf(leaf).best === 'lowest';
      const node = leaf as unknown as Record<string, unknown>;
      delete node.params;
      node.operator = lowest ? 'lessThanInclusive' : 'greaterThanInclusive';
      node.value = { fact: cutFact(i) };
    },
  });
  return { definition: def, specs };
}

// ---- computing cut-offs -------------------------------------------------------------------------

/** Integer ⌈a / b⌉ for non-negative safe integers. */
function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

/** p% given to at most 4 decimals, as an integer count of 1/10,000 %. */
export function percentUnits(p: number): number {
  return Math.round(p * 10_000);
}

/** How many of the best of `n` customers a spec takes before ties: ⌈n·p/100⌉ (topPercent) or ⌈n·(Q−q+1)/Q⌉ (quantile). */
export function rankCount(spec: Pick<PopulationSpec, 'operator' | 'value' | 'params'>, n: number): number {
  if (spec.operator === 'quantileAtLeast') {
    const q = spec.params.quantiles ?? 1;
    return ceilDiv(n * (q - spec.value + 1), q);
  }
  return ceilDiv(n * percentUnits(spec.value), 1_000_000);
}

/** First index i of an ascending array with a[i] ≥ x. */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}
/** First index i of an ascending array with a[i] > x. */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] <= x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/**
 * The cut of one spec over one group's values, sorted ascending (no NaN). O(log n) for ranks and the plain
 * share, O(k) for the cumulative share (k = customers up to the cut).
 */
export function cutOfSorted(spec: Pick<PopulationSpec, 'operator' | 'value' | 'params'>, sorted: Float64Array): Omit<PopulationGroupCut, 'group'> {
  const n = sorted.length;
  const lowest = spec.params.best === 'lowest';
  const at = (rank: number): number => (lowest ? sorted[rank] : sorted[n - 1 - rank]); // rank 0 = best
  const qualifying = (cut: number): number => (lowest ? upperBound(sorted, cut) : n - lowerBound(sorted, cut));
  if (n === 0)
    return spec.operator === 'shareOfTotalAtLeast' ? { population: 0, cutoff: null, qualifying: 0, total: 0 } : { population: 0, cutoff: null, qualifying: 0 };
  if (spec.operator !== 'shareOfTotalAtLeast') {
    const k = rankCount(spec, n);
    const cut = at(Math.min(n, Math.max(1, k)) - 1);
    return { population: n, cutoff: cut, qualifying: qualifying(cut) };
  }
  // compensated (Neumaier) sum, best first (once per sorted array): 0.1 + 0.2 + 0.3 is 0.6 and exactly 50% of it is 0.3
  const total = totalOf(sorted, lowest);
  if (!(total > 0)) return { population: n, cutoff: null, qualifying: 0, total };
  const p = spec.value;
  if (spec.params.cumulative !== true) {
    const cut = (p * total) / 100;
    return { population: n, cutoff: cut, qualifying: qualifying(cut), total };
  }
  const running = new CompensatedSum();
  let cut = at(0);
  for (let r = 0; r < n; r++) {
    running.add(at(r));
    cut = at(r);
    if (running.value() * 100 >= p * total) break; // cross-multiplied: exactly 70% of the total reaches 70
  }
  return { population: n, cutoff: cut, qualifying: qualifying(cut), total };
}

const totals = new WeakMap<Float64Array, Map<boolean, number>>();

/** The compensated sum of a sorted array taken best first (cached: several shares of one fact share it). */
function totalOf(sorted: Float64Array, lowest: boolean): number {
  let byOrder = totals.get(sorted);
  const known = byOrder?.get(lowest);
  if (known !== undefined) return known;
  const n = sorted.length;
  let s = 0;
  let c = 0;
  for (let r = 0; r < n; r++) {
    const x = lowest ? sorted[r] : sorted[n - 1 - r];
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  const total = s + c;
  if (byOrder === undefined) {
    byOrder = new Map();
    totals.set(sorted, byOrder);
  }
  byOrder.set(lowest, total);
  return total;
}

/** Neumaier's compensated summation: the rounding error of each addition kept and added back. */
class CompensatedSum {
  private s = 0;
  private c = 0;
  add(x: number): void {
    const t = this.s + x;
    this.c += Math.abs(this.s) >= Math.abs(x) ? this.s - t + x : x - t + this.s;
    this.s = t;
  }
  value(): number {
    return this.s + this.c;
  }
}

/** Growable typed columns of the facts the population conditions rank, filled row by row. */
export interface PopulationColumns {
  /** Rows kept (eligible, or all). */
  length: number;
  /** Per ranked fact: its value per row (NaN = missing / not a finite number). */
  values: Record<string, Float64Array>;
  /** Per groupBy fact: the group index per row into `groupValues`. */
  groups: Record<string, Int32Array>;
  groupValues: Record<string, (string | number | boolean | null)[]>;
}

/**
 * The cut-offs of `specs` over typed columns: one sort per (fact, group), O(n log n) on Float64Arrays
 * (no objects per row), so it runs in a worker thread on transferred buffers. Pure.
 */
export function cutoffsFromColumns(
  specs: readonly PopulationSpec[],
  columns: PopulationColumns,
  meta: { asOf?: string | null; scope: 'eligible' | 'all' },
): PopulationCutoffs {
  const sortedCache = new Map<string, Float64Array[]>();
  const sortedGroups = (fact: string, groupBy: string | undefined): Float64Array[] => {
    const id = `${fact}\u0000${groupBy ?? ''}`;
    const known = sortedCache.get(id);
    if (known) return known;
    const vals = columns.values[fact].subarray(0, columns.length);
    let out: Float64Array[];
    if (groupBy === undefined) {
      let m = 0;
      for (let i = 0; i < vals.length; i++) if (vals[i] === vals[i]) m++;
      const a = new Float64Array(m);
      let j = 0;
      for (let i = 0; i < vals.length; i++) if (vals[i] === vals[i]) a[j++] = vals[i];
      out = [a.sort()];
    } else {
      const g = columns.groups[groupBy].subarray(0, columns.length);
      const nGroups = columns.groupValues[groupBy].length;
      const counts = new Int32Array(nGroups);
      for (let i = 0; i < vals.length; i++) if (vals[i] === vals[i]) counts[g[i]]++;
      out = Array.from(counts, (c) => new Float64Array(c));
      const fill = new Int32Array(nGroups);
      for (let i = 0; i < vals.length; i++) if (vals[i] === vals[i]) out[g[i]][fill[g[i]]++] = vals[i];
      for (const a of out) a.sort();
    }
    sortedCache.set(id, out);
    return out;
  };
  const cuts: PopulationCut[] = specs.map((spec) => {
    const groupBy = spec.params.groupBy;
    const sorted = sortedGroups(spec.fact, groupBy);
    const groups: PopulationGroupCut[] =
      groupBy === undefined ? [cutOfSorted(spec, sorted[0])] : sorted.map((a, gi) => ({ group: columns.groupValues[groupBy][gi], ...cutOfSorted(spec, a) }));
    return { key: spec.key, fact: spec.fact, operator: spec.operator, value: spec.value, params: spec.params, groups };
  });
  return { asOf: meta.asOf ?? null, population: columns.length, scope: meta.scope, cuts };
}

/** A number as a population value: finite numbers only (NaN = not ranked). */
function rankValue(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
}

export interface PopulationCollector {
  readonly specs: readonly PopulationSpec[];
  /** Add one customer's facts (filtered by eligibility when it applies). */
  add(row: Facts): void;
  /** The typed columns so far (for a worker thread). */
  columns(): PopulationColumns;
  finish(options?: { asOf?: string | null }): PopulationCutoffs;
}

/**
 * Collect a run's population row by row into typed columns, then compute its cut-offs. `eligible`
 * (optional) says whether a row passes the definition's eligibility — given only when eligibility does
 * not rank itself (see `populationScope`); the run's compiled evaluator provides it.
 */
export function createPopulationCollector(definition: PolicyDefinition, eligible?: (row: Facts) => boolean): PopulationCollector {
  const specs = populationSpecs(definition);
  const computedKeys = new Set(Object.keys(definition.computed ?? {}));
  const rankedFacts = [...new Set(specs.map((s) => s.fact))];
  const groupFacts = [...new Set(specs.flatMap((s) => (s.params.groupBy === undefined ? [] : [s.params.groupBy])))];
  const needsComputed = rankedFacts.some((f) => computedKeys.has(f)) || groupFacts.some((f) => computedKeys.has(f));
  let capacity = 1024;
  let length = 0;
  const values: Record<string, Float64Array> = Object.fromEntries(rankedFacts.map((f) => [f, new Float64Array(capacity)]));
  const groups: Record<string, Int32Array> = Object.fromEntries(groupFacts.map((f) => [f, new Int32Array(capacity)]));
  const groupValues: Record<string, (string | number | boolean | null)[]> = Object.fromEntries(groupFacts.map((f) => [f, []]));
  const groupIndex: Record<string, Map<string | number | boolean | null, number>> = Object.fromEntries(groupFacts.map((f) => [f, new Map()]));
  const scope: 'eligible' | 'all' = eligible === undefined ? 'all' : 'eligible';

  const grow = (): void => {
    capacity *= 2;
    for (const f of rankedFacts) {
      const a = new Float64Array(capacity);
      a.set(values[f]);
      values[f] = a;
    }
    for (const f of groupFacts) {
      const a = new Int32Array(capacity);
      a.set(groups[f]);
      groups[f] = a;
    }
  };
  return {
    specs,
    add(row) {
      if (eligible !== undefined && !eligible(row)) return;
      if (length === capacity) grow();
      const computed = needsComputed ? computeAll(definition, row) : undefined;
      const read = (f: string): unknown => (computed !== undefined && computedKeys.has(f) ? computed[f] : hasOwn(row, f) ? row[f] : undefined);
      for (const f of rankedFacts) values[f][length] = rankValue(read(f));
      for (const f of groupFacts) {
        const raw = read(f);
        const v = typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? raw : null;
        let gi = groupIndex[f].get(v);
        if (gi === undefined) {
          gi = groupValues[f].length;
          groupValues[f].push(v);
          groupIndex[f].set(v, gi);
        }
        groups[f][length] = gi;
      }
      length++;
    },
    columns: () => ({ length, values, groups, groupValues }),
    finish: (options = {}) => cutoffsFromColumns(specs, { length, values, groups, groupValues }, { asOf: options.asOf ?? null, scope }),
  };
}

function groupId(v: unknown): string {
  return v === null || v === undefined ? 'null' : `${typeof v}:${String(v)}`;
}

/**
 * Whether a run's population is the eligible rows: the definition has an eligibility check and it ranks
 * nothing itself (no population condition in it, in the named conditions it uses, or in the scores it reads).
 */
export function populationScope(def: PolicyDefinition): 'eligible' | 'all' {
  if (def.eligibility === undefined) return 'all';
  const scores = new Set((def.scores ?? []).map((s) => s.key));
  let ranks = false;
  const readScores = new Set<string>();
  walkCondition(
    def.eligibility,
    {
      leaf: (leaf) => {
        if (isPopulationOperator(leaf.operator)) ranks = true;
        if (scores.has(leaf.fact)) readScores.add(leaf.fact);
        if (isPlainObject(leaf.value) && typeof leaf.value.fact === 'string' && scores.has(leaf.value.fact)) readScores.add(leaf.value.fact);
      },
    },
    { named: def.conditions ?? {} },
  );
  if (!ranks && readScores.size > 0) {
    for (const r of conditionRoots(def)) {
      if ((r.role === 'points' || r.role === 'multiplier') && r.owner?.kind === 'score' && readScores.has(r.owner.key)) {
        walkCondition(
          r.condition,
          {
            leaf: (leaf) => {
              if (isPopulationOperator(leaf.operator)) ranks = true;
            },
          },
          { named: def.conditions ?? {} },
        );
      }
    }
  }
  return ranks ? 'all' : 'eligible';
}

/** Rows → cut-offs in one call (tests, simulations over a stored dataset). `eligible` as for the collector. */
export function computeCutoffs(
  definition: PolicyDefinition,
  rows: Iterable<Facts>,
  options: { asOf?: string | null; eligible?: (row: Facts) => boolean } = {},
): PopulationCutoffs {
  const c = createPopulationCollector(definition, options.eligible);
  for (const r of rows) c.add(r);
  return c.finish({ asOf: options.asOf ?? null });
}

// ---- using cut-offs in an evaluation -----------------------------------------------------------

/** What a customer's population leaf compared with: its cut and where it came from. */
export interface ResolvedCut {
  spec: PopulationSpec;
  cut: PopulationCut;
  group: PopulationGroupCut;
}

/** For one customer: each spec's cut (by spec index), from the frozen cut-offs. */
export type CutResolver = (input: Facts) => ResolvedCut[];

/**
 * A resolver of `specs` against stored cut-offs. Throws EvaluationError `population-cutoffs-missing` when
 * there are no cut-offs, or a condition has none in them (cut-offs frozen for other conditions), and
 * `population-group-missing` when the customer's group was not in the population: never a silent default.
 */
export function cutResolver(specs: readonly PopulationSpec[], cutoffs: PopulationCutoffs | undefined): CutResolver {
  if (cutoffs === undefined) {
    throw new EvaluationError(
      'population-cutoffs-missing',
      `This policy ranks customers against a population (${specs.map((s) => s.key).join(', ')}); it needs the cut-offs of a rating run (none given).`,
    );
  }
  const byKey = new Map(cutoffs.cuts.map((c) => [c.key, c]));
  const plan = specs.map((spec) => {
    const cut = byKey.get(spec.key);
    if (cut === undefined) {
      throw new EvaluationError('population-cutoffs-missing', `The cut-offs given have no cut-off for ${spec.key}; run a rating run for this version first.`);
    }
    const groupBy = spec.params.groupBy;
    if (groupBy === undefined) {
      const g = cut.groups[0];
      return () => ({ spec, cut, group: g });
    }
    const map = new Map(cut.groups.map((g) => [groupId(g.group ?? null), g]));
    return (input: Facts) => {
      const raw = hasOwn(input, groupBy) ? input[groupBy] : undefined;
      const g = map.get(groupId(raw));
      if (g === undefined) {
        throw new EvaluationError(
          'population-group-missing',
          `No cut-off for ${spec.key} in the group ${groupBy} = ${JSON.stringify(raw ?? null)}: that group was not in the ranked population.`,
          [groupBy],
        );
      }
      return { spec, cut, group: g };
    };
  });
  return (input) => plan.map((p) => p(input));
}

/**
 * The definition reduced to its eligibility check (one catch-all tier), without the named conditions and
 * scores that rank (nor those that use them), for telling which rows a run ranks: null when the population
 * is every row (no eligibility, or an eligibility that ranks itself — see `populationScope`).
 */
export function eligibilityDefinition(def: PolicyDefinition): PolicyDefinition | null {
  if (def.eligibility === undefined || populationScope(def) === 'all') return null;
  const named = def.conditions ?? {};
  const ranks = (c: unknown, droppedNames: Set<string>, droppedScores: Set<string>): boolean => {
    let found = false;
    walkCondition(c, {
      leaf: (leaf) => {
        if (isPopulationOperator(leaf.operator) || droppedScores.has(leaf.fact)) found = true;
        if (isPlainObject(leaf.value) && typeof leaf.value.fact === 'string' && droppedScores.has(leaf.value.fact)) found = true;
      },
      reference: (ref) => {
        if (droppedNames.has(ref.condition)) found = true;
      },
    });
    return found;
  };
  const droppedNames = new Set<string>();
  const droppedScores = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, c] of Object.entries(named)) {
      if (!droppedNames.has(name) && ranks(c, droppedNames, droppedScores)) {
        droppedNames.add(name);
        changed = true;
      }
    }
    for (const s of def.scores ?? []) {
      if (droppedScores.has(s.key)) continue;
      const uses =
        s.components.some((c) => ('when' in c ? ranks(c.when, droppedNames, droppedScores) : 'fact' in c && droppedScores.has(c.fact))) ||
        (s.multipliers ?? []).some((m) => ranks(m.when, droppedNames, droppedScores));
      if (uses) {
        droppedScores.add(s.key);
        changed = true;
      }
    }
  }
  const out: PolicyDefinition = { schemaVersion: 1, eligibility: def.eligibility, tiers: [{ key: 'RANKED', name: 'ranked' }] };
  if (def.computed !== undefined) out.computed = def.computed;
  const keptNames = Object.entries(named).filter(([n]) => !droppedNames.has(n));
  if (keptNames.length > 0) out.conditions = Object.fromEntries(keptNames);
  const keptScores = (def.scores ?? []).filter((s) => !droppedScores.has(s.key));
  if (keptScores.length > 0) out.scores = keptScores;
  return out;
}

/**
 * The cut-offs of a small hand-made population, e.g. a policy's test cases taken together (a population
 * policy's test cases are its population: "of these 10 customers, the best 2 are 关键"); the eligibility
 * decides who is ranked as in a run. Undefined when the definition ranks nothing.
 */
export function cutoffsOfExamples(
  definition: PolicyDefinition,
  facts: readonly FactDefinition[],
  rows: readonly Facts[],
  asOf?: string,
): PopulationCutoffs | undefined {
  if (!hasPopulationConditions(definition)) return undefined;
  const elig = eligibilityDefinition(definition);
  const eligible = elig ? compileFast(elig, [...facts], asOf === undefined ? {} : { asOf }) : null;
  return computeCutoffs(definition, rows, { asOf: null, ...(eligible ? { eligible: (r: Facts) => eligible(r).eligible } : {}) });
}

/**
 * `cutResolver` for each cut-offs object an evaluator is given, built once per object (a WeakMap:
 * the same frozen cut-offs are passed on every call); without cut-offs it throws as cutResolver does.
 */
export function cutResolverCache(specs: readonly PopulationSpec[]): (cutoffs: PopulationCutoffs | undefined) => CutResolver {
  const resolvers = new WeakMap<PopulationCutoffs, CutResolver>();
  return (cutoffs) => {
    if (cutoffs === undefined) return cutResolver(specs, undefined); // throws population-cutoffs-missing
    let r = resolvers.get(cutoffs);
    if (r === undefined) {
      r = cutResolver(specs, cutoffs);
      resolvers.set(cutoffs, r);
    }
    return r;
  };
}
