/**
 * compileFast: a definition turned into plain JavaScript closures over its parsed structure (never
 * `new Function` or eval of user strings), giving exactly the outcome of `createEvaluator`
 * (eligible, tier, scores) — json-rules-engine's semantics, quirks included — without a trace.
 *
 * The quirks reproduced (from json-rules-engine 7.3.1 engine-default-operators.js, operator.js,
 * rule.js): the numeric operators first check `parseFloat(fact)` is not NaN and then compare with
 * JavaScript's `<`/`>=`, so "150", "150abc"→(compare NaN)false, [150] and true→false behave as in the
 * engine; `in`/`notIn` use `Array#indexOf` (strict equality); `contains`/`doesNotContain` require
 * the fact to be an array (otherwise false, even for doesNotContain); an empty `all` or `any` is
 * true; every leaf of a group is evaluated (no operator here can throw, so short-circuiting here
 * gives the same result). Tierwise's rule that a missing (absent/null) fact makes a condition false
 * is applied exactly as the evaluator's operator wrapper does.
 */
import { factsInDefinition, inputFactsOf } from './definition-walk';
import type { Expression, StepComponent } from './types';
import { parseDay, resolveAsOfDay } from './dates';
import { InvalidPolicyError } from './errors';
import { hasOwn } from './keys';
import { getOperator, jreNumberValidator, type OperatorContext } from './operators';
import { isStepComponent, roundScore, weightedValue } from './scoring';
import type { Condition, EvaluateOptions, FactDefinition, Facts, FastEvaluator, LeafCondition, PolicyDefinition, TopLevelCondition } from './types';
import { validatePolicy } from './validate';
import { bindPopulation, CUT_FACT_PREFIX, cutResolverCache } from './population';
import { foldCondition, foldExpression, isFactReference } from './walk';

export type Vals = unknown[];
export type Pred = (v: Vals, ctx: OperatorContext) => boolean;

const TRUE: Pred = () => true;

export interface Slots {
  index: Map<string, number>;
  inputKeys: string[];
  inputSlots: number[];
}

function num(a: unknown): boolean {
  return jreNumberValidator(a);
}

/** Numeric comparison with json-rules-engine's validator; `a` and `b` known to be non-null. */
type Cmp = (a: number, b: number) => boolean;
const CMP: Record<string, Cmp> = {
  lessThan: (a, b) => a < b,
  lessThanInclusive: (a, b) => a <= b,
  greaterThan: (a, b) => a > b,
  greaterThanInclusive: (a, b) => a >= b,
};

function compileNumericLiteral(s: number, op: string, t: number): Pred {
  switch (op) {
    case 'lessThan':
      return (v) => {
        const a = v[s];
        return typeof a === 'number' ? a < t : a != null && num(a) && (a as number) < t;
      };
    case 'lessThanInclusive':
      return (v) => {
        const a = v[s];
        return typeof a === 'number' ? a <= t : a != null && num(a) && (a as number) <= t;
      };
    case 'greaterThan':
      return (v) => {
        const a = v[s];
        return typeof a === 'number' ? a > t : a != null && num(a) && (a as number) > t;
      };
    default:
      return (v) => {
        const a = v[s];
        return typeof a === 'number' ? a >= t : a != null && num(a) && (a as number) >= t;
      };
  }
}

export function compileLeaf(c: LeafCondition, slots: Slots): Pred {
  const s = slots.index.get(c.fact)!;
  const op = c.operator;
  if (isFactReference(c.value)) {
    const r = slots.index.get(c.value.fact)!;
    const cmp = CMP[op];
    if (cmp)
      return (v) => {
        const a = v[s];
        const b = v[r];
        return a != null && b != null && num(a) && cmp(a as number, b as number);
      };
    if (op === 'equal')
      return (v) => {
        const a = v[s];
        const b = v[r];
        return a != null && b != null && a === b;
      };
    if (op === 'notEqual')
      return (v) => {
        const a = v[s];
        const b = v[r];
        return a != null && b != null && a !== b;
      };
    const spec = getOperator(op)!;
    return (v, ctx) => {
      const a = v[s];
      const b = v[r];
      return a != null && b != null && spec.evaluate(a, b, ctx);
    };
  }
  const t = c.value;
  switch (op) {
    case 'lessThan':
    case 'lessThanInclusive':
    case 'greaterThan':
    case 'greaterThanInclusive':
      return compileNumericLiteral(s, op, t as number);
    case 'equal':
      return (v) => v[s] === t; // t is never null/undefined, so a missing fact is false
    case 'notEqual':
      return (v) => {
        const a = v[s];
        return a != null && a !== t;
      };
    case 'in':
    case 'notIn': {
      const list = t as unknown[];
      const want = op === 'in';
      if (list.length > 8) {
        const set = new Set(list); // no NaN in JSON lists, so Set#has agrees with indexOf
        return (v) => {
          const a = v[s];
          return a != null && set.has(a) === want;
        };
      }
      return (v) => {
        const a = v[s];
        return a != null && list.indexOf(a) > -1 === want;
      };
    }
    case 'contains':
      return (v) => {
        const a = v[s];
        return Array.isArray(a) && a.indexOf(t) > -1;
      };
    case 'doesNotContain':
      return (v) => {
        const a = v[s];
        return Array.isArray(a) && a.indexOf(t) === -1;
      };
    case 'between':
    case 'betweenExclusiveMax': {
      const [lo, hi] = t as [number, number];
      if (op === 'between') {
        return (v) => {
          const a = v[s];
          return typeof a === 'number' ? a >= lo && a <= hi : a != null && num(a) && (a as number) >= lo && (a as number) <= hi;
        };
      }
      return (v) => {
        const a = v[s];
        return typeof a === 'number' ? a >= lo && a < hi : a != null && num(a) && (a as number) >= lo && (a as number) < hi;
      };
    }
    case 'dateBefore':
    case 'dateAfter':
    case 'dateOnOrBefore':
    case 'dateOnOrAfter': {
      const d = parseDay(t)!;
      const cmp: Cmp =
        op === 'dateBefore' ? (x, y) => x < y : op === 'dateAfter' ? (x, y) => x > y : op === 'dateOnOrBefore' ? (x, y) => x <= y : (x, y) => x >= y;
      return (v) => {
        const a = parseDay(v[s]);
        return a !== null && cmp(a, d);
      };
    }
    case 'withinDays': {
      const n = t as number;
      return (v, ctx) => {
        const a = parseDay(v[s]);
        if (a === null) return false;
        const diff = ctx.asOfDay - a;
        return diff >= 0 && diff <= n;
      };
    }
    default: {
      const spec = getOperator(op)!;
      return (v, ctx) => {
        const a = v[s];
        return a != null && spec.evaluate(a, t, ctx);
      };
    }
  }
}

type Num = (v: Vals) => number | undefined;

/**
 * An expression as a closure over the slots: a fact read is usable only when it is a finite number,
 * division by zero and non-finite results give no value (undefined), as in expressions.ts.
 */
export function compileExpression(expr: Expression, slots: Slots): Num {
  return foldExpression<Num>(expr, {
    number: (n) => () => n,
    fact: (node) => {
      const s = slots.index.get(node.fact as string)!;
      return (v) => {
        const x = v[s];
        return typeof x === 'number' && x - x === 0 ? x : undefined; // finite numbers only (x - x is NaN for ±Infinity and NaN)
      };
    },
    operation: (kind, xs) => {
      const fin = (r: number): number | undefined => (r - r === 0 ? r : undefined);
      if (kind === 'sub' || kind === 'div') {
        const [a, b] = xs;
        if (kind === 'sub')
          return (v) => {
            const x = a(v);
            if (x === undefined) return undefined;
            const y = b(v);
            return y === undefined ? undefined : fin(x - y);
          };
        return (v) => {
          const x = a(v);
          if (x === undefined) return undefined;
          const y = b(v);
          return y === undefined || y === 0 ? undefined : fin(x / y);
        };
      }
      const n = xs.length;
      const step: (acc: number, y: number) => number =
        kind === 'add' ? (p, q) => p + q : kind === 'mul' ? (p, q) => p * q : kind === 'min' ? (p, q) => Math.min(p, q) : (p, q) => Math.max(p, q);
      return (v) => {
        let acc = xs[0](v);
        if (acc === undefined) return undefined;
        for (let i = 1; i < n; i++) {
          const y = xs[i](v);
          if (y === undefined) return undefined;
          acc = step(acc, y);
        }
        return fin(acc);
      };
    },
  });
}

/**
 * A step table as a binary search over its bands (validated: ascending, non-overlapping): the last band
 * whose lower end admits the value, if its upper end admits it too.
 */
function compileSteps(c: StepComponent, slot: number): (v: Vals) => number {
  const n = c.steps.length;
  const lo = c.steps.map((b) => (b.min === undefined ? -Infinity : b.min));
  const hi = c.steps.map((b) => (b.max === undefined ? Infinity : b.max));
  const open = c.steps.map((b) => [b.min === undefined, b.max === undefined]);
  const pts = c.steps.map((b) => b.points * (c.weight ?? 1));
  const byMin = c.inclusive !== 'max';
  return (v) => {
    const x = v[slot];
    if (typeof x !== 'number' || x - x !== 0) return 0;
    let a = 0;
    let b = n - 1;
    let found = -1;
    while (a <= b) {
      const m = (a + b) >> 1;
      if (open[m][0] || (byMin ? x >= lo[m] : x > lo[m])) {
        found = m;
        a = m + 1;
      } else b = m - 1;
    }
    if (found < 0) return 0;
    return open[found][1] || (byMin ? x < hi[found] : x <= hi[found]) ? pts[found] : 0;
  };
}

function group(preds: Pred[], every: boolean): Pred {
  if (preds.length === 0) return TRUE; // json-rules-engine: an empty all/any is true
  if (preds.length === 1) return preds[0];
  if (preds.length === 2) {
    const [p, q] = preds;
    return every ? (v, c) => p(v, c) && q(v, c) : (v, c) => p(v, c) || q(v, c);
  }
  if (every)
    return (v, c) => {
      for (let i = 0; i < preds.length; i++) if (!preds[i](v, c)) return false;
      return true;
    };
  return (v, c) => {
    for (let i = 0; i < preds.length; i++) if (preds[i](v, c)) return true;
    return false;
  };
}

/** A condition tree as one predicate; named conditions are compiled once (validated: known and acyclic) and shared through `named`. */
function compileCondition(c: Condition, slots: Slots, named: Map<string, Pred | undefined>, def: PolicyDefinition): Pred {
  return foldCondition<Pred>(
    c,
    {
      leaf: (leaf) => compileLeaf(leaf, slots),
      all: (_node, children) =>
        group(
          children.map((child) => child()),
          true,
        ),
      any: (_node, children) =>
        group(
          children.map((child) => child()),
          false,
        ),
      not: (_node, child) => {
        const p = child();
        return (v, ctx) => !p(v, ctx);
      },
      reference: (_node, target) => target()!,
    },
    { named: def.conditions ?? {}, memo: named },
  );
}

/** Where each fact of a compiled definition lives in its values array, and how the array is filled. */
export interface SlotPlan {
  slots: Slots;
  /** The number of slots. */
  size: number;
  slotOf: (key: string) => number;
  /** Each computed fact, in declaration order: its slot and its expression over the slots. */
  computed: { slot: number; value: Num }[];
  /** The slot of each population condition's cut-off (`$cut:i`), by spec index. */
  cutSlots: number[];
}

/**
 * The slots of a (bound) definition: every fact it reads (factsInDefinition's order), then its
 * scores, its computed facts and `cuts` population cut-offs. The inputs are the facts it reads less
 * its scores, computed facts and cut-offs, in that same order (inputFactsOf).
 */
export function planSlots(def: PolicyDefinition, cuts = 0): SlotPlan {
  const index = new Map<string, number>();
  const addSlot = (k: string): number => {
    let i = index.get(k);
    if (i === undefined) {
      i = index.size;
      index.set(k, i);
    }
    return i;
  };
  for (const f of factsInDefinition(def)) addSlot(f);
  for (const s of def.scores ?? []) addSlot(s.key);
  const computedKeys = Object.keys(def.computed ?? {});
  for (const k of computedKeys) addSlot(k);
  const cutKeys = Array.from({ length: cuts }, (_s, i) => `${CUT_FACT_PREFIX}${i}`);
  const cutSlots = cutKeys.map(addSlot);
  const cutSet = new Set(cutKeys);
  const inputKeys = inputFactsOf(def).filter((k) => !cutSet.has(k));
  const slots: Slots = { index, inputKeys, inputSlots: inputKeys.map((k) => index.get(k)!) };
  const slotOf = (k: string): number => index.get(k)!;
  const computed = computedKeys.map((k) => ({ slot: slotOf(k), value: compileExpression(def.computed![k].expr, slots) }));
  return { slots, size: index.size, slotOf, computed, cutSlots };
}

/** Copy a customer's inputs into their slots (an absent key reads as undefined). */
export function loadInputs(v: Vals, input: Facts, inputKeys: string[], inputSlots: number[]): void {
  for (let i = 0; i < inputKeys.length; i++) {
    const k = inputKeys[i];
    v[inputSlots[i]] = hasOwn(input, k) ? input[k] : undefined;
  }
}

export function usesWithinDays(def: PolicyDefinition): boolean {
  return JSON.stringify(def).includes('"withinDays"');
}

/**
 * Compile a definition (validated first: throws InvalidPolicyError when invalid) into a fast
 * synchronous evaluator. `options.asOf` is "today" for `withinDays` unless the input or the call says otherwise.
 */
export function compileFast(definition: PolicyDefinition, facts: FactDefinition[], options: EvaluateOptions = {}): FastEvaluator {
  return compileRanked(definition, facts, options).fast;
}

/** Where a customer lands on the ladder without its scores: the tier's index, or the number of tiers when not rated or not eligible. */
export type Ranker = (input: Facts, options?: EvaluateOptions) => number;

/**
 * compileFast's evaluator, and the same evaluation as a rank only (`rank`: what the projection probes, ~20 times a
 * customer — no result and no scores object allocated per probe).
 */
export function compileRanked(definition: PolicyDefinition, facts: FactDefinition[], options: EvaluateOptions = {}): { fast: FastEvaluator; rank: Ranker } {
  const check = validatePolicy(definition, facts);
  if (!check.valid) throw new InvalidPolicyError(check.errors);
  // population conditions: compile the bound definition, each compared with its cut-off ($cut:i) slot
  const bound = bindPopulation(definition);
  const def: PolicyDefinition = structuredClone(bound.definition);
  const specs = bound.specs;

  const plan = planSlots(def, specs.length);
  const { slots, cutSlots } = plan;
  const nSlots = plan.size;

  const named = new Map<string, Pred | undefined>();
  const compile = (c: TopLevelCondition): Pred => compileCondition(c, slots, named, def);

  interface CompiledScore {
    key: string;
    slot: number;
    round?: number;
    /** components in order, as closures adding to the total */
    parts: ((v: Vals, c: OperatorContext) => number)[];
    multipliers: { when: Pred; factor: number }[];
  }
  const scores: CompiledScore[] = (def.scores ?? []).map((s) => {
    const parts = s.components.map((comp): ((v: Vals, c: OperatorContext) => number) => {
      if (isStepComponent(comp)) return compileSteps(comp, slots.index.get(comp.fact)!);
      if ('fact' in comp) {
        const slot = slots.index.get(comp.fact)!;
        const w = comp.weight;
        return (v) => {
          const x = weightedValue(v[slot]);
          return x === undefined ? 0 : x * w;
        };
      }
      const when = compile(comp.when);
      const pts = comp.points;
      return (v, c) => (when(v, c) ? pts : 0);
    });
    return {
      key: s.key,
      slot: plan.slotOf(s.key),
      round: s.round,
      parts,
      multipliers: (s.multipliers ?? []).map((m) => ({ when: compile(m.when), factor: m.factor })),
    };
  });
  const computedParts = plan.computed;
  const nComputed = computedParts.length;
  const eligibility = def.eligibility ? compile(def.eligibility) : null;
  const tiers: (Pred | null)[] = def.tiers.map((t) => (t.when ? compile(t.when) : null));
  const needsAsOf = usesWithinDays(def);
  const fixedCtx: OperatorContext = { asOfDay: 0 };
  const { inputKeys, inputSlots } = slots;
  const nScores = scores.length;
  const nTiers = tiers.length;

  // One scratch array per compiled evaluator: the function is synchronous and every slot is
  // written before it is read (inputs first, each score before anything that may use it).
  const v: Vals = Array.from({ length: nSlots }, () => undefined);
  const nCuts = specs.length;
  const resolverFor = cutResolverCache(specs);
  const fixedResolver = nCuts > 0 && options.cutoffs !== undefined ? resolverFor(options.cutoffs) : undefined;
  const NOT_ELIGIBLE = -2;
  /** The tier's index, -1 when none matches, NOT_ELIGIBLE; each score into `out` when given. */
  const evaluate = (input: Facts, callOptions: EvaluateOptions | undefined, out: Record<string, number> | null): number => {
    loadInputs(v, input, inputKeys, inputSlots);
    if (nCuts > 0) {
      const cuts = (callOptions?.cutoffs !== undefined ? resolverFor(callOptions.cutoffs) : (fixedResolver ?? resolverFor(undefined)))(input);
      for (let i = 0; i < nCuts; i++) {
        const c = cuts[i].group.cutoff;
        v[cutSlots[i]] = c === null ? undefined : c;
      }
    }
    for (let i = 0; i < nComputed; i++) v[computedParts[i].slot] = computedParts[i].value(v);
    const ctx = needsAsOf ? { asOfDay: resolveAsOfDay(input, callOptions?.asOf, options.asOf) } : fixedCtx;
    for (let i = 0; i < nScores; i++) {
      const s = scores[i];
      let total = 0;
      for (let j = 0; j < s.parts.length; j++) total += s.parts[j](v, ctx);
      for (let j = 0; j < s.multipliers.length; j++) if (s.multipliers[j].when(v, ctx)) total *= s.multipliers[j].factor;
      const value = roundScore(total, s.round);
      if (out !== null) out[s.key] = value;
      v[s.slot] = value;
    }
    if (eligibility !== null && !eligibility(v, ctx)) return NOT_ELIGIBLE;
    for (let i = 0; i < nTiers; i++) {
      const t = tiers[i];
      if (t === null || t(v, ctx)) return i;
    }
    return -1;
  };
  return {
    fast: (input, callOptions) => {
      const out: Record<string, number> = {};
      const t = evaluate(input, callOptions, out);
      return t === NOT_ELIGIBLE ? { eligible: false, tierIndex: -1, scores: out } : { eligible: true, tierIndex: t, scores: out };
    },
    rank: (input, callOptions) => {
      const t = evaluate(input, callOptions, null);
      return t < 0 ? nTiers : t;
    },
  };
}
