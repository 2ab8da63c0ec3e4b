/**
 * The lint's model: a tier's condition as a disjunction of "boxes" (a conjunction of intervals, one
 * per number fact), built by folding the condition tree. Leaves the model cannot reason about make
 * their box opaque.
 */
import type { FactLabeller } from '../format';
import { covers, intersect, isEmpty, isSubset, type Interval } from '../intervals';
import type { Condition, TopLevelCondition } from '../types';
import { factsInCondition, foldCondition, isFactReference, leafFacts } from '../walk';

export interface Box {
  ivs: Map<string, Interval>;
  opaque: boolean;
  /** Facts constrained by opaque atoms. */
  opaqueFacts: Set<string>;
}

export const MAX_BOXES = 64;
/** Deepest nesting the lint follows (through named conditions); deeper conditions are not analysed. */
export const MAX_DEPTH = 64;
/** Box comparisons the lint may spend on one definition (keeps validation fast on hostile input). */
export const LINT_BUDGET = 200_000;

export type NumericKind = 'number' | 'integer';

export interface LintCtx {
  numeric: Map<string, NumericKind>;
  named: Record<string, TopLevelCondition>;
  label: FactLabeller;
}

export function leafInterval(op: string, value: unknown): Interval | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    switch (op) {
      case 'greaterThan':
        return { lo: value, loInc: false, hi: Infinity, hiInc: false };
      case 'greaterThanInclusive':
        return { lo: value, loInc: true, hi: Infinity, hiInc: false };
      case 'lessThan':
        return { lo: -Infinity, loInc: false, hi: value, hiInc: false };
      case 'lessThanInclusive':
        return { lo: -Infinity, loInc: false, hi: value, hiInc: true };
      case 'equal':
        return { lo: value, loInc: true, hi: value, hiInc: true };
      default:
        return null;
    }
  }
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number') {
    if (op === 'between') return { lo: value[0], loInc: true, hi: value[1], hiInc: true };
    if (op === 'betweenExclusiveMax') return { lo: value[0], loInc: true, hi: value[1], hiInc: false };
  }
  return null;
}

export function opaqueBox(facts: string[]): Box {
  return { ivs: new Map(), opaque: true, opaqueFacts: new Set(facts) };
}

/** Every fact a condition reads, through named conditions. */
export function factsOf(cond: Condition, ctx: LintCtx, out: Set<string>): void {
  factsInCondition(cond, out, ctx.named);
}

/** Disjunctive normal form as boxes, or null when it would be too large (or too deep). Empty boxes are dropped. */
export function dnf(cond: Condition, ctx: LintCtx): Box[] | null {
  return foldCondition<Box[] | null>(
    cond,
    {
      any: (_node, children) => {
        const out: Box[] = [];
        for (const child of children) {
          const d = child();
          if (d === null) return null;
          out.push(...d);
          if (out.length > MAX_BOXES) return null;
        }
        return out;
      },
      all: (_node, children) => {
        let acc: Box[] = [{ ivs: new Map(), opaque: false, opaqueFacts: new Set() }];
        for (const child of children) {
          const d = child();
          if (d === null) return null;
          const next: Box[] = [];
          for (const a of acc) {
            for (const b of d) {
              const m = mergeBoxes(a, b, ctx);
              if (m !== null) next.push(m);
              if (next.length > MAX_BOXES) return null;
            }
          }
          acc = next;
        }
        return acc;
      },
      reference: (_node, target) => target() ?? null,
      not: (node) => {
        const facts = new Set<string>();
        factsOf(node.not, ctx, facts);
        return [opaqueBox([...facts])];
      },
      leaf: (leaf) => {
        const kind = ctx.numeric.get(leaf.fact);
        const iv = kind !== undefined && !isFactReference(leaf.value) ? leafInterval(leaf.operator, leaf.value) : null;
        if (iv === null) return [opaqueBox(leafFacts(leaf))];
        return [{ ivs: new Map([[leaf.fact, iv]]), opaque: false, opaqueFacts: new Set() }];
      },
      tooDeep: () => null,
    },
    { named: ctx.named, maxDepth: MAX_DEPTH },
  );
}

export function mergeBoxes(a: Box, b: Box, ctx: LintCtx): Box | null {
  const ivs = new Map(a.ivs);
  for (const [f, iv] of b.ivs) {
    const cur = ivs.get(f);
    const merged = cur ? intersect(cur, iv) : iv;
    if (emptyFor(merged, f, ctx)) return null;
    ivs.set(f, merged);
  }
  return { ivs, opaque: a.opaque || b.opaque, opaqueFacts: new Set([...a.opaqueFacts, ...b.opaqueFacts]) };
}

export function isInt(f: string, ctx: LintCtx): boolean {
  return ctx.numeric.get(f) === 'integer';
}

export function emptyFor(iv: Interval, f: string, ctx: LintCtx): boolean {
  return covers([], iv, isInt(f, ctx)) || isEmpty(iv);
}

/** `inner` ⊆ `outer` (outer pure): every fact outer constrains is constrained at least as tightly by inner. */
export function boxWithin(inner: Box, outer: Box, ctx: LintCtx): boolean {
  if (outer.opaque) return false;
  for (const [f, oiv] of outer.ivs) {
    const iiv = inner.ivs.get(f);
    if (iiv === undefined || !isSubset(iiv, oiv, isInt(f, ctx))) return false;
  }
  return true;
}

export interface TierBoxes {
  index: number;
  key: string;
  name: string;
  boxes: Box[];
  /** The tier's condition could not be analysed at all. */
  unknown: boolean;
}

export function inInterval(x: number, iv: Interval): boolean {
  return (x > iv.lo || (x === iv.lo && iv.loInc)) && (x < iv.hi || (x === iv.hi && iv.hiInc));
}
