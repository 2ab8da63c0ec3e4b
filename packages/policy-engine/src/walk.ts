/**
 * The condition-tree walker: the one place that knows how a condition tree is shaped (all / any /
 * not / a named-condition reference / a leaf) and how to go through it. Every other module —
 * validation, lint, the compiler, the evaluator's trace, the diff, the console — walks conditions
 * through these functions, so a new kind of node (or a new thing a leaf reads) is taught here once.
 *
 * Two ways to walk:
 * - `walkCondition(root, visitor)`: top-down, every node in document order, iterative (no recursion,
 *   so any depth is safe). For collecting (facts, thresholds, references) and checking.
 * - `foldCondition(root, fold)`: bottom-up, one value per node built from its children's values,
 *   children folded lazily (a handler folds only what it needs). For building things (the compiled
 *   predicate, the lint's boxes, the trace).
 *
 * Both tolerate unvalidated input (a node that is not a condition goes to `invalid`; children are
 * followed only where the shape allows), and both can follow named-condition references into the
 * definition's `conditions` (each name at most once along one route, so a cycle is never followed).
 * Each node comes with its `Site`: where it stands in the definition, how deep, whether it is
 * negated, and through which named conditions it was reached.
 */
import { hasOwn, indexPath, isPlainObject, propPath } from './keys';
import { isPopulationOperator } from './population-operators';
import type { AllCondition, AnyCondition, Condition, ConditionReference, Expression, ExpressionOperator, LeafCondition, NotCondition } from './types';

export type ConditionKind = 'all' | 'any' | 'not' | 'condition' | 'leaf';

/** The keys that decide a node's kind, in the order validation reports them. */
export const CONDITION_KIND_KEYS = ['all', 'any', 'not', 'condition', 'fact'] as const;

/** Which of all / any / not / condition / fact a node has (several means it is not a valid condition). */
export function conditionKindKeys(node: Record<string, unknown>): (typeof CONDITION_KIND_KEYS)[number][] {
  return CONDITION_KIND_KEYS.filter((k) => hasOwn(node, k));
}

/** The kind of a condition node, or undefined when it is not an object with exactly one of all / any / not / condition / fact. */
export function conditionKind(node: unknown): ConditionKind | undefined {
  if (!isPlainObject(node)) return undefined;
  let kind: ConditionKind | undefined;
  for (const k of CONDITION_KIND_KEYS) {
    if (!hasOwn(node, k)) continue;
    if (kind !== undefined) return undefined;
    kind = k === 'fact' ? 'leaf' : k;
  }
  return kind;
}

export const isLeaf = (c: Condition): c is LeafCondition => conditionKind(c) === 'leaf';
export const isGroup = (c: Condition): c is AllCondition | AnyCondition => {
  const k = conditionKind(c);
  return k === 'all' || k === 'any';
};
export const isNot = (c: Condition): c is NotCondition => conditionKind(c) === 'not';
export const isReference = (c: Condition): c is ConditionReference => conditionKind(c) === 'condition';

/** The children of a node: a group's conditions, a not's one condition, nothing for a leaf or a reference (and for malformed groups). */
export function conditionChildren(node: Condition): readonly Condition[] {
  const kind = conditionKind(node);
  if (kind === 'all' || kind === 'any') {
    const list: unknown = kind === 'all' ? (node as AllCondition).all : (node as AnyCondition).any;
    return Array.isArray(list) ? (list as Condition[]) : [];
  }
  if (kind === 'not') return [(node as NotCondition).not];
  return [];
}

/** `{ "fact": "other" }` as a leaf's value: a comparison with another fact. */
export function isFactReference(value: unknown): value is { fact: string } {
  return isPlainObject(value) && hasOwn(value, 'fact') && typeof value.fact === 'string';
}

/**
 * The facts a leaf reads: its fact, and the other fact when it compares with `{ "fact": … }`.
 * The one place to teach when leaves learn to read more (expressions over several facts).
 */
export function leafFacts(leaf: LeafCondition): string[] {
  const out: string[] = [];
  if (typeof leaf.fact === 'string') out.push(leaf.fact);
  if (isFactReference(leaf.value)) out.push(leaf.value.fact);
  // a population condition ranked per group reads the group fact too (population.ts)
  const groupBy = isPlainObject(leaf.params) ? leaf.params.groupBy : undefined;
  if (typeof groupBy === 'string' && isPopulationOperator(leaf.operator)) out.push(groupBy);
  return out;
}

export type PathSegment = string | number;

/**
 * Where a node stands. `path` is the node's place in the definition as the engine writes paths
 * (`conditions.platinumAssets.any[0]`: for a node reached through a reference, the named
 * condition's own place); `via` the named conditions followed to get there, outermost first.
 */
export class Site {
  private pathText?: string;
  private constructor(
    private readonly prev: Site | null,
    private readonly segment: PathSegment | null,
    /** Nodes above this one in the walk (references followed count as a level). */
    readonly depth: number,
    /** Under an odd number of `not`s. */
    readonly negated: boolean,
    readonly via: readonly string[],
  ) {}

  /** A root at `segments` (e.g. `['tiers', 0, 'when']`). */
  static at(segments: readonly PathSegment[] = []): Site {
    let site = new Site(null, null, 0, false, []);
    for (const s of segments) site = new Site(site, s, 0, false, []);
    return site;
  }

  /** The site of the child one level down at `segment` (`not`), optionally negating. */
  child(segment: PathSegment, negate = false): Site {
    return new Site(this, segment, this.depth + 1, this.negated !== negate, this.via);
  }

  /** The site of a group's `index`-th child (`all[2]`): one level down. */
  item(kind: 'all' | 'any', index: number): Site {
    return new Site(new Site(this, kind, this.depth, this.negated, this.via), index, this.depth + 1, this.negated, this.via);
  }

  /** The site of the named condition `name` (at `conditions.<name>`), reached from this reference. */
  follow(name: string): Site {
    const conditions = new Site(new Site(null, null, 0, false, []), 'conditions', 0, false, []);
    return new Site(conditions, name, this.depth + 1, this.negated, [...this.via, name]);
  }

  /** Path segments from the definition's root: `['tiers', 0, 'when', 'any', 1]`. */
  get segments(): PathSegment[] {
    const out: PathSegment[] = this.segment === null ? [] : [this.segment];
    for (let s = this.prev; s !== null; s = s.prev) if (s.segment !== null) out.push(s.segment);
    return out.reverse();
  }

  /** `tiers[0].when.any[1]` (`""` at the definition's root). Iterative and cached. */
  get path(): string {
    if (this.pathText !== undefined) return this.pathText;
    const pending: Site[] = [this];
    let base = '';
    for (let s = this.prev; s !== null; s = s.prev) {
      if (s.pathText !== undefined) {
        base = s.pathText;
        break;
      }
      pending.push(s);
    }
    for (let i = pending.length - 1; i >= 0; i--) {
      const s = pending[i];
      base = s.segment === null ? base : typeof s.segment === 'number' ? indexPath(base, s.segment) : propPath(base, s.segment);
      s.pathText = base;
    }
    return base;
  }
}

export type NamedConditions = Readonly<Record<string, unknown>>;

export interface WalkOptions {
  /** Where the root stands (default: the definition's root, path ""). */
  at?: Site;
  /** Follow references into these named conditions (the definition's `conditions`); without it references are leaves of the walk. */
  named?: NamedConditions;
}

/** Top-down callbacks. A `false` return skips the node's children (or does not follow the reference). */
export interface ConditionVisitor {
  leaf?(node: LeafCondition, site: Site): void;
  group?(node: AllCondition | AnyCondition, kind: 'all' | 'any', site: Site): boolean | void;
  not?(node: NotCondition, site: Site): boolean | void;
  /** A reference; when following, `target` is the named condition (undefined: unknown name, or a cycle on this route). */
  reference?(node: ConditionReference, site: Site, target: unknown): boolean | void;
  /** A node that is not a condition (not an object, or not exactly one of all / any / not / condition / fact). */
  invalid?(node: unknown, site: Site): void;
}

function namedTarget(named: NamedConditions | undefined, name: unknown, site: Site): unknown {
  if (named === undefined || typeof name !== 'string' || !hasOwn(named, name) || site.via.includes(name)) return undefined;
  return named[name];
}

/** Visit every node of a condition tree, top-down in document order. Iterative: any depth is safe. */
export function walkCondition(root: unknown, visitor: ConditionVisitor, options: WalkOptions = {}): void {
  const { named } = options;
  const stack: { node: unknown; site: Site }[] = [{ node: root, site: options.at ?? Site.at() }];
  while (stack.length > 0) {
    const { node, site } = stack.pop()!;
    const kind = conditionKind(node);
    switch (kind) {
      case undefined:
        visitor.invalid?.(node, site);
        break;
      case 'leaf':
        visitor.leaf?.(node as LeafCondition, site);
        break;
      case 'all':
      case 'any': {
        const group = node as AllCondition | AnyCondition;
        if (visitor.group?.(group, kind, site) === false) break;
        const list = (group as unknown as Record<string, unknown>)[kind];
        if (!Array.isArray(list)) break;
        for (let i = list.length - 1; i >= 0; i--) stack.push({ node: list[i], site: site.item(kind, i) });
        break;
      }
      case 'not': {
        const not = node as NotCondition;
        if (visitor.not?.(not, site) === false) break;
        stack.push({ node: not.not, site: site.child('not', true) });
        break;
      }
      case 'condition': {
        const ref = node as ConditionReference;
        const target = namedTarget(named, ref.condition, site);
        if (visitor.reference?.(ref, site, target) === false || target === undefined) break;
        stack.push({ node: target, site: site.follow(ref.condition) });
        break;
      }
    }
  }
}

export type Thunk<R> = () => R;

/**
 * Bottom-up callbacks: each returns the value of its node. Children come as thunks (`children[i]()`
 * folds the i-th child), so a handler folds only what it needs and may stop early.
 */
export interface ConditionFold<R> {
  leaf(node: LeafCondition, site: Site): R;
  all(node: AllCondition, children: readonly Thunk<R>[], site: Site): R;
  any(node: AnyCondition, children: readonly Thunk<R>[], site: Site): R;
  not(node: NotCondition, child: Thunk<R>, site: Site): R;
  /** `target()` folds the named condition (undefined: not following, unknown name, or a cycle on this route). */
  reference(node: ConditionReference, target: Thunk<R | undefined>, site: Site): R;
  /** A node that is not a condition; without this handler such a node throws a TypeError. */
  invalid?(node: unknown, site: Site): R;
  /** A node deeper than `maxDepth`; its children are not folded. */
  tooDeep?(node: unknown, site: Site): R;
}

export interface FoldOptions<R> extends WalkOptions {
  /** Nodes deeper than this go to `tooDeep` (default: no limit; validated definitions are at most 32 deep per tree). */
  maxDepth?: number;
  /**
   * Share the value of each named condition between references (and between folds, when the same
   * map is passed again): for folds whose value does not depend on where the reference stands.
   */
  memo?: Map<string, R | undefined>;
}

/** Fold a condition tree into one value, bottom-up. Recursive (depth is bounded by validation, or by `maxDepth`). */
export function foldCondition<R>(root: Condition, fold: ConditionFold<R>, options: FoldOptions<R> = {}): R {
  const { named, memo, maxDepth } = options;
  const go = (node: unknown, site: Site): R => {
    if (maxDepth !== undefined && site.depth > maxDepth) {
      if (!fold.tooDeep) throw new RangeError(`Condition deeper than ${maxDepth} levels at ${site.path}`);
      return fold.tooDeep(node, site);
    }
    const kind = conditionKind(node);
    switch (kind) {
      case 'leaf':
        return fold.leaf(node as LeafCondition, site);
      case 'all':
      case 'any': {
        const list = (node as Record<string, unknown>)[kind];
        if (!Array.isArray(list)) break;
        const children = list.map((c: unknown, i) => () => go(c, site.item(kind, i)));
        return kind === 'all' ? fold.all(node as AllCondition, children, site) : fold.any(node as AnyCondition, children, site);
      }
      case 'not':
        return fold.not(node as NotCondition, () => go((node as NotCondition).not, site.child('not', true)), site);
      case 'condition': {
        const ref = node as ConditionReference;
        const target = (): R | undefined => {
          const t = namedTarget(named, ref.condition, site);
          if (t === undefined) return undefined;
          if (memo === undefined) return go(t, site.follow(ref.condition));
          if (memo.has(ref.condition)) return memo.get(ref.condition);
          const value = go(t, site.follow(ref.condition));
          memo.set(ref.condition, value);
          return value;
        };
        return fold.reference(ref, target, site);
      }
    }
    if (!fold.invalid) throw new TypeError(`Not a condition at ${site.path || '(root)'}`);
    return fold.invalid(node, site);
  };
  return go(root, options.at ?? Site.at());
}

/** Every fact a condition tree reads (leaf facts and `{fact}` values); references are followed only when `named` is given. */
export function factsInCondition(root: unknown, out: Set<string> = new Set(), named?: NamedConditions): Set<string> {
  walkCondition(root, { leaf: (leaf) => leafFacts(leaf).forEach((f) => out.add(f)) }, { named });
  return out;
}

/** The named conditions a tree references directly (or, with `named`, transitively). */
export function referencesInCondition(root: unknown, out: Set<string> = new Set(), named?: NamedConditions): Set<string> {
  walkCondition(
    root,
    {
      reference: (ref) => {
        if (typeof ref.condition === 'string') out.add(ref.condition);
      },
    },
    { named },
  );
  return out;
}

// ---- expressions (computed facts) ----------------------------------------------------------------

export const EXPRESSION_OPERATORS = ['add', 'sub', 'mul', 'div', 'min', 'max'] as const;

export type ExpressionKind = 'number' | 'fact' | ExpressionOperator;

/** The kind of an expression node, or undefined when it is not a finite number, `{ fact }` or an object with exactly one operator. */
export function expressionKind(node: unknown): ExpressionKind | undefined {
  if (typeof node === 'number') return Number.isFinite(node) ? 'number' : undefined;
  if (!isPlainObject(node)) return undefined;
  const keys = Object.keys(node);
  if (keys.length !== 1) return undefined;
  const k = keys[0];
  if (k === 'fact') return 'fact';
  return (EXPRESSION_OPERATORS as readonly string[]).includes(k) ? (k as ExpressionOperator) : undefined;
}

/** An operation's operands (an empty list for numbers, fact reads and malformed nodes). */
export function expressionOperands(node: unknown): readonly unknown[] {
  const kind = expressionKind(node);
  if (kind === undefined || kind === 'number' || kind === 'fact') return [];
  const list = (node as Record<string, unknown>)[kind];
  return Array.isArray(list) ? list : [];
}

/** Top-down callbacks over an expression tree; a `false` return from `operation` skips its operands. */
export interface ExpressionVisitor {
  number?(value: number, site: Site): void;
  fact?(node: { fact: unknown }, site: Site): void;
  operation?(node: Record<string, unknown>, kind: ExpressionOperator, site: Site): boolean | void;
  invalid?(node: unknown, site: Site): void;
}

/** Visit every node of an expression tree, top-down in document order (sites like `computed.share.expr.div[0]`). Iterative. */
export function walkExpression(root: unknown, visitor: ExpressionVisitor, options: { at?: Site } = {}): void {
  const stack: { node: unknown; site: Site }[] = [{ node: root, site: options.at ?? Site.at() }];
  while (stack.length > 0) {
    const { node, site } = stack.pop()!;
    const kind = expressionKind(node);
    if (kind === undefined) visitor.invalid?.(node, site);
    else if (kind === 'number') visitor.number?.(node as number, site);
    else if (kind === 'fact') visitor.fact?.(node as { fact: unknown }, site);
    else {
      if (visitor.operation?.(node as Record<string, unknown>, kind, site) === false) continue;
      const list = (node as Record<string, unknown>)[kind];
      if (!Array.isArray(list)) continue;
      for (let i = list.length - 1; i >= 0; i--) stack.push({ node: list[i], site: site.child(kind).child(i) });
    }
  }
}

/** Bottom-up over an expression tree (validated: depth bounded). `operation` gets its operands' values, in order. */
export interface ExpressionFold<R> {
  number(value: number, site: Site): R;
  fact(node: { fact: unknown }, site: Site): R;
  /** Operands' values in order (`list` false: the operands are not an array, `operands` is empty). */
  operation(kind: ExpressionOperator, operands: R[], site: Site, list: boolean): R;
  /** A node that is not an expression; without this handler such a node throws a TypeError. */
  invalid?(node: unknown, site: Site): R;
}

export function foldExpression<R>(root: Expression | unknown, fold: ExpressionFold<R>, options: { at?: Site } = {}): R {
  const go = (node: unknown, site: Site): R => {
    const kind = expressionKind(node);
    if (kind === 'number') return fold.number(node as number, site);
    if (kind === 'fact') return fold.fact(node as { fact: unknown }, site);
    if (kind === undefined) {
      if (!fold.invalid) throw new TypeError(`Not an expression at ${site.path || '(root)'}`);
      return fold.invalid(node, site);
    }
    return fold.operation(
      kind,
      expressionOperands(node).map((n, i) => go(n, site.child(kind).child(i))),
      site,
      Array.isArray((node as Record<string, unknown>)[kind]),
    );
  };
  return go(root, options.at ?? Site.at());
}

/** The facts an expression reads directly (catalog facts and computed facts), in document order. */
export function expressionFacts(root: unknown, out: Set<string> = new Set()): Set<string> {
  walkExpression(root, {
    fact: (node) => {
      if (typeof node.fact === 'string') out.add(node.fact);
    },
  });
  return out;
}
