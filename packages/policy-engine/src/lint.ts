/**
 * Ladder lint: warnings about tier ladders, from interval reasoning per fact.
 *
 * Each tier's condition is turned into a disjunction of "boxes" (a conjunction of intervals, one
 * per number fact). Leaves the lint cannot reason about (other operators, `{fact}` comparisons,
 * `not`) make their box "opaque": an opaque box is never used to prove that a higher tier covers
 * a lower one, and ladders with opaque parts get no gap warnings. So every warning is a real
 * property of the rules, never a guess.
 */
import { formatNumber, makeLabeller, type FactLabeller } from './format';
import { complement, covers, FULL, intersect, isEmpty, isSubset, type Interval } from './intervals';
import type { Condition, FactDefinition, Issue, PolicyDefinition, TopLevelCondition } from './types';
import { factsInCondition, foldCondition, isFactReference, leafFacts } from './walk';

interface Box {
  ivs: Map<string, Interval>;
  /** Raw bounds as written (operator inclusivity), for the boundary check. */
  opaque: boolean;
  /** Facts constrained by opaque atoms. */
  opaqueFacts: Set<string>;
}

const MAX_BOXES = 64;
/** Deepest nesting the lint follows (through named conditions); deeper conditions are not analysed. */
const MAX_DEPTH = 64;
/** Box comparisons the lint may spend on one definition (keeps validation fast on hostile input). */
const LINT_BUDGET = 200_000;

type NumericKind = 'number' | 'integer';

interface LintCtx {
  numeric: Map<string, NumericKind>;
  named: Record<string, TopLevelCondition>;
  label: FactLabeller;
}

function leafInterval(op: string, value: unknown): Interval | null {
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

function opaqueBox(facts: string[]): Box {
  return { ivs: new Map(), opaque: true, opaqueFacts: new Set(facts) };
}

/** Every fact a condition reads, through named conditions. */
function factsOf(cond: Condition, ctx: LintCtx, out: Set<string>): void {
  factsInCondition(cond, out, ctx.named);
}

/** Disjunctive normal form as boxes, or null when it would be too large (or too deep). Empty boxes are dropped. */
function dnf(cond: Condition, ctx: LintCtx): Box[] | null {
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

function mergeBoxes(a: Box, b: Box, ctx: LintCtx): Box | null {
  const ivs = new Map(a.ivs);
  for (const [f, iv] of b.ivs) {
    const cur = ivs.get(f);
    const merged = cur ? intersect(cur, iv) : iv;
    if (emptyFor(merged, f, ctx)) return null;
    ivs.set(f, merged);
  }
  return { ivs, opaque: a.opaque || b.opaque, opaqueFacts: new Set([...a.opaqueFacts, ...b.opaqueFacts]) };
}

function isInt(f: string, ctx: LintCtx): boolean {
  return ctx.numeric.get(f) === 'integer';
}

function emptyFor(iv: Interval, f: string, ctx: LintCtx): boolean {
  return covers([], iv, isInt(f, ctx)) || isEmpty(iv);
}

/** `inner` ⊆ `outer` (outer pure): every fact outer constrains is constrained at least as tightly by inner. */
function boxWithin(inner: Box, outer: Box, ctx: LintCtx): boolean {
  if (outer.opaque) return false;
  for (const [f, oiv] of outer.ivs) {
    const iiv = inner.ivs.get(f);
    if (iiv === undefined || !isSubset(iiv, oiv, isInt(f, ctx))) return false;
  }
  return true;
}

// ---------- descriptions ----------

function describeInterval(iv: Interval, name: string): string {
  const lo = formatNumber(iv.lo);
  const hi = formatNumber(iv.hi);
  if (iv.lo === -Infinity && iv.hi === Infinity) return `any ${name}`;
  if (iv.lo === iv.hi) return `${name} = ${lo}`;
  if (iv.hi === Infinity) return `${name} ${iv.loInc ? '≥' : '>'} ${lo}`;
  if (iv.lo === -Infinity) return `${name} ${iv.hiInc ? '≤' : '<'} ${hi}`;
  return `${lo} ${iv.loInc ? '≤' : '<'} ${name} ${iv.hiInc ? '≤' : '<'} ${hi}`;
}

function describeBox(box: Box, ctx: LintCtx, locale: 'en' | 'zh-CN'): string {
  const parts = [...box.ivs].map(([f, iv]) => describeInterval(iv, locale === 'en' ? factName(f, ctx) : ctx.label(f, locale)));
  if (parts.length === 0) return locale === 'en' ? 'every customer' : '所有客户';
  return parts.join(locale === 'en' ? ' and ' : ' 且 ');
}

/** At most three alternatives, so messages stay readable (and cheap) on big conditions. */
function describeBoxes(boxes: Box[], ctx: LintCtx, locale: 'en' | 'zh-CN'): string {
  const shown = boxes.slice(0, 3).map((x) => describeBox(x, ctx, locale));
  const more = boxes.length - shown.length;
  if (more > 0) shown.push(locale === 'en' ? `${more} more` : `另 ${more} 种情况`);
  return shown.join(locale === 'en' ? ' or ' : ' 或 ');
}

function factName(f: string, ctx: LintCtx): string {
  const l = ctx.label(f, 'en');
  return l === f ? `"${f}"` : `${l} (${f})`;
}

// ---------- the checks ----------

interface TierBoxes {
  index: number;
  key: string;
  name: string;
  boxes: Box[];
  /** The tier's condition could not be analysed at all. */
  unknown: boolean;
}

/** A one-sided bound a tier puts on a fact by itself (pure single-fact boxes), as written. */
interface Bound {
  tier: TierBoxes;
  value: number;
  inclusive: boolean;
}

function oneSidedBounds(t: TierBoxes, fact: string, side: 'lower' | 'upper'): Bound | undefined {
  let best: Bound | undefined;
  for (const b of t.boxes) {
    if (b.opaque || b.ivs.size !== 1) continue;
    const iv = b.ivs.get(fact);
    if (!iv) continue;
    if (side === 'lower' && iv.hi === Infinity && iv.lo !== -Infinity) {
      if (!best || iv.lo < best.value) best = { tier: t, value: iv.lo, inclusive: iv.loInc };
    }
    if (side === 'upper' && iv.lo === -Infinity && iv.hi !== Infinity) {
      if (!best || iv.hi > best.value) best = { tier: t, value: iv.hi, inclusive: iv.hiInc };
    }
  }
  return best;
}

function tierName(t: { key: string; name: string }): string {
  return t.name === t.key ? t.key : `${t.key} (${t.name})`;
}

/**
 * Warnings about a tier ladder: `shadowed-tier` (a tier that can never match because higher tiers
 * take all its customers), `unsatisfiable-tier` (contradictory conditions), `out-of-order`
 * (thresholds that do not fall, or rise, down the ladder), `gap` (customers in no tier, or falling
 * between two tiers to the default), `inconsistent-boundary` (≥ in one tier, > in the next).
 * Never throws on a validated definition.
 */
export function lintLadder(definition: PolicyDefinition, facts: FactDefinition[]): Issue[] {
  try {
    return lintInner(definition, facts);
  } catch {
    // only reachable on a definition that did not pass validatePolicy
    return [{ path: '', code: 'lint-incomplete', message: 'The ladder lint could not analyse this definition; validate it first.' }];
  }
}

function lintInner(definition: PolicyDefinition, facts: FactDefinition[]): Issue[] {
  const numeric = new Map<string, NumericKind>();
  for (const f of facts) if (f.type === 'number' || f.type === 'integer') numeric.set(f.key, f.type);
  for (const s of definition.scores ?? []) numeric.set(s.key, 'number');
  const ctx: LintCtx = { numeric, named: definition.conditions ?? {}, label: makeLabeller(facts, definition.scores) };
  const warnings: Issue[] = [];
  const tiers = definition.tiers ?? [];
  const hasDefault = tiers.length > 0 && tiers[tiers.length - 1].when === undefined;
  const defaultTier = hasDefault ? tiers[tiers.length - 1] : undefined;

  const analysed: TierBoxes[] = [];
  tiers.forEach((t, index) => {
    if (!t.when) return;
    const boxes = dnf(t.when, ctx);
    analysed.push({ index, key: t.key, name: t.name, boxes: boxes ?? [opaqueBox([])], unknown: boxes === null });
  });

  // shadowed / unsatisfiable
  const earlier: { box: Box; tier: TierBoxes }[] = [];
  const singleFact = new Map<string, { parts: Interval[]; tiers: TierBoxes[] }>();
  let work = 0;
  for (const t of analysed) {
    if (work > LINT_BUDGET) break;
    if (!t.unknown && t.boxes.length === 0) {
      warnings.push({
        path: `tiers[${t.index}].when`,
        code: 'unsatisfiable-tier',
        message: `Tier ${tierName(t)} can never match: its conditions contradict each other.`,
        messageZh: `等级 ${tierName(t)} 的条件相互矛盾，永远无法匹配。`,
      });
    } else if (earlier.length > 0) {
      const shadowers = new Set<TierBoxes>();
      const allCovered = t.boxes.every((b) => {
        for (const e of earlier) {
          work++;
          if (boxWithin(b, e.box, ctx)) {
            shadowers.add(e.tier);
            return true;
          }
        }
        // union of higher tiers' single-fact ranges on one of this box's facts
        for (const [f, iv] of b.ivs) {
          const u = singleFact.get(f);
          work += u ? u.parts.length : 0;
          if (u && u.parts.length > 1 && covers(u.parts, iv, isInt(f, ctx))) {
            u.tiers.forEach((e) => shadowers.add(e));
            return true;
          }
        }
        return false;
      });
      if (allCovered) {
        const by = [...shadowers].sort((a, b) => a.index - b.index);
        const byText = by
          .map(
            (e) =>
              `${tierName(e)} (${describeBoxes(
                e.boxes.filter((x) => !x.opaque),
                ctx,
                'en',
              )})`,
          )
          .join(', ');
        const own = describeBoxes(t.boxes, ctx, 'en');
        warnings.push({
          path: `tiers[${t.index}].when`,
          code: 'shadowed-tier',
          message: `Tier ${tierName(t)} can never match: every customer it would take (${own}) is already taken by ${by.length > 1 ? 'higher tiers' : 'the higher tier'} ${byText}.`,
          messageZh: `等级 ${tierName(t)} 永远不会匹配：满足其条件（${describeBoxes(t.boxes, ctx, 'zh-CN')}）的客户已被更高等级 ${by.map(tierName).join('、')} 取走。`,
        });
      }
    }
    for (const b of t.boxes) {
      if (b.opaque) continue;
      earlier.push({ box: b, tier: t });
      if (b.ivs.size === 1) {
        const [[f, iv]] = [...b.ivs];
        const u = singleFact.get(f) ?? { parts: [], tiers: [] };
        u.parts.push(iv);
        if (!u.tiers.includes(t)) u.tiers.push(t);
        singleFact.set(f, u);
      }
    }
  }
  if (work > LINT_BUDGET) {
    warnings.push({
      path: 'tiers',
      code: 'lint-incomplete',
      message: 'The tier conditions are too complex for the ladder lint to check completely; simplify them to get every warning.',
      messageZh: '等级条件过于复杂，阶梯检查未能全部完成。',
    });
    return warnings;
  }

  // thresholds per fact: order and boundary inclusivity
  const ladderFacts = new Set<string>();
  for (const t of analysed) for (const b of t.boxes) if (!b.opaque && b.ivs.size === 1) for (const f of b.ivs.keys()) ladderFacts.add(f);
  for (const f of ladderFacts) {
    for (const side of ['lower', 'upper'] as const) {
      const seq = analysed.map((t) => oneSidedBounds(t, f, side)).filter((b): b is Bound => b !== undefined);
      for (let k = 1; k < seq.length; k++) {
        const prev = seq[k - 1];
        const cur = seq[k];
        const sym = (b: Bound) => (side === 'lower' ? (b.inclusive ? '≥' : '>') : b.inclusive ? '≤' : '<');
        const name = factName(f, ctx);
        const wrongWay = side === 'lower' ? cur.value > prev.value : cur.value < prev.value;
        if (wrongWay) {
          warnings.push({
            path: `tiers[${cur.tier.index}].when`,
            code: 'out-of-order',
            message: `Thresholds on ${name} are out of order: tier ${tierName(cur.tier)} (${sym(cur)} ${formatNumber(cur.value)}) comes after tier ${tierName(prev.tier)} (${sym(prev)} ${formatNumber(prev.value)}); tiers are tried best first, so ${side === 'lower' ? 'lower bounds should fall' : 'upper bounds should rise'} down the ladder.`,
            messageZh: `${ctx.label(f, 'zh-CN')} 的阈值顺序错误：等级 ${tierName(cur.tier)}（${sym(cur)} ${formatNumber(cur.value)}）排在等级 ${tierName(prev.tier)}（${sym(prev)} ${formatNumber(prev.value)}）之后。`,
          });
        } else if (cur.inclusive !== prev.inclusive && cur.value !== prev.value) {
          warnings.push({
            path: `tiers[${cur.tier.index}].when`,
            code: 'inconsistent-boundary',
            message: `Tiers ${tierName(prev.tier)} and ${tierName(cur.tier)} treat their thresholds on ${name} inconsistently: ${tierName(prev.tier)} uses ${sym(prev)} ${formatNumber(prev.value)} (${prev.inclusive ? 'includes' : 'excludes'} the threshold) but ${tierName(cur.tier)} uses ${sym(cur)} ${formatNumber(cur.value)} (${cur.inclusive ? 'includes' : 'excludes'} it); check which tier a customer exactly on a threshold should get.`,
            messageZh: `等级 ${tierName(prev.tier)} 与 ${tierName(cur.tier)} 在 ${ctx.label(f, 'zh-CN')} 上的边界处理不一致（${sym(prev)} ${formatNumber(prev.value)} 与 ${sym(cur)} ${formatNumber(cur.value)}）。`,
          });
        }
      }
    }
  }

  warnings.push(...gapWarnings(definition, analysed, ctx, hasDefault, defaultTier?.key, defaultTier?.name));
  return warnings;
}

function eligibilityDomain(definition: PolicyDefinition, ladder: Set<string>, ctx: LintCtx): Map<string, Interval> | null {
  const dom = new Map<string, Interval>();
  if (!definition.eligibility) return dom;
  const boxes = dnf(definition.eligibility, ctx);
  if (boxes === null || boxes.length !== 1) {
    // several alternatives or unknown: only usable if it says nothing about the ladder's facts
    const fs = new Set<string>();
    factsOf(definition.eligibility, ctx, fs);
    return [...fs].some((f) => ladder.has(f)) ? null : dom;
  }
  const b = boxes[0];
  if ([...b.opaqueFacts].some((f) => ladder.has(f))) return null;
  for (const [f, iv] of b.ivs) if (ladder.has(f)) dom.set(f, iv);
  return dom;
}

function gapWarnings(
  definition: PolicyDefinition,
  analysed: TierBoxes[],
  ctx: LintCtx,
  hasDefault: boolean,
  defaultKey: string | undefined,
  defaultName: string | undefined,
): Issue[] {
  if (analysed.length === 0 || analysed.some((t) => t.unknown || t.boxes.some((b) => b.opaque || b.ivs.size === 0))) return [];
  const ladder = new Set<string>();
  for (const t of analysed) for (const b of t.boxes) for (const f of b.ivs.keys()) ladder.add(f);
  const domain = eligibilityDomain(definition, ladder, ctx);
  if (domain === null) return [];
  const out: Issue[] = [];
  if (ladder.size === 1) {
    const [f] = [...ladder];
    const integer = isInt(f, ctx);
    const all: Interval[] = analysed.flatMap((t) => t.boxes.map((b) => b.ivs.get(f)!));
    const dom = domain.get(f) ?? FULL;
    const gaps = complement(all, dom, integer);
    for (const g of gaps) {
      const interior = g.lo !== dom.lo && g.hi !== dom.hi && Number.isFinite(g.lo) && Number.isFinite(g.hi);
      if (!interior && hasDefault) continue;
      const above = analysed.find((t) =>
        t.boxes.some((b) => {
          const iv = b.ivs.get(f)!;
          return iv.lo >= g.hi;
        }),
      );
      const below = analysed.find((t) =>
        t.boxes.some((b) => {
          const iv = b.ivs.get(f)!;
          return iv.hi <= g.lo;
        }),
      );
      const where = describeInterval(g, factName(f, ctx));
      const between = interior && above && below ? ` between tiers ${tierName(above)} and ${tierName(below)}` : '';
      out.push({
        path: 'tiers',
        code: 'gap',
        message: hasDefault
          ? `Customers with ${where} fall${between} to the default tier ${tierName({ key: defaultKey!, name: defaultName! })}, skipping the tiers in between.`
          : `Customers with ${where} fall into no tier${between} (there is no default tier).`,
        messageZh: hasDefault
          ? `${describeInterval(g, ctx.label(f, 'zh-CN'))} 的客户会落入默认等级 ${tierName({ key: defaultKey!, name: defaultName! })}。`
          : `${describeInterval(g, ctx.label(f, 'zh-CN'))} 的客户不属于任何等级（没有默认等级）。`,
      });
    }
    return out;
  }
  if (hasDefault || ladder.size > 3) return out;
  // several facts, no default: look for an uncovered point on the grid of thresholds
  const facts = [...ladder];
  const axes = facts.map((f) => samplePoints(f, analysed, ctx, domain.get(f) ?? FULL));
  const total = axes.reduce((n, a) => n * a.length, 1);
  const boxCount = analysed.reduce((n, t) => n + t.boxes.length, 0);
  if (total > 20_000 || total * boxCount > LINT_BUDGET * 10 || axes.some((a) => a.length === 0)) return out;
  const idx = facts.map(() => 0);
  for (let n = 0; n < total; n++) {
    const point = new Map(facts.map((f, i) => [f, axes[i][idx[i]]]));
    const covered = analysed.some((t) => t.boxes.some((b) => [...b.ivs].every(([f, iv]) => inInterval(point.get(f)!, iv))));
    if (!covered) {
      const where = facts.map((f) => `${factName(f, ctx)} = ${formatNumber(point.get(f)!)}`).join(' and ');
      out.push({
        path: 'tiers',
        code: 'gap',
        message: `Some customers fall into no tier (there is no default tier): for example ${where}.`,
        messageZh: `部分客户不属于任何等级（没有默认等级），例如 ${facts.map((f) => `${ctx.label(f, 'zh-CN')} = ${formatNumber(point.get(f)!)}`).join(' 且 ')}。`,
      });
      break;
    }
    for (let i = 0; i < idx.length; i++) {
      if (++idx[i] < axes[i].length) break;
      idx[i] = 0;
    }
  }
  return out;
}

function inInterval(x: number, iv: Interval): boolean {
  return (x > iv.lo || (x === iv.lo && iv.loInc)) && (x < iv.hi || (x === iv.hi && iv.hiInc));
}

/** Threshold values of a fact, the points between them and one beyond each end, inside the domain. */
function samplePoints(f: string, analysed: TierBoxes[], ctx: LintCtx, dom: Interval): number[] {
  const bounds = new Set<number>();
  for (const t of analysed)
    for (const b of t.boxes) {
      const iv = b.ivs.get(f);
      if (!iv) continue;
      if (Number.isFinite(iv.lo)) bounds.add(iv.lo);
      if (Number.isFinite(iv.hi)) bounds.add(iv.hi);
    }
  const sorted = [...bounds].sort((a, b) => a - b);
  const step = isInt(f, ctx) ? 1 : 0.5;
  const pts = new Set<number>();
  if (sorted.length === 0) pts.add(0);
  sorted.forEach((v, i) => {
    pts.add(v);
    if (i + 1 < sorted.length) pts.add(isInt(f, ctx) ? Math.floor((v + sorted[i + 1]) / 2) : (v + sorted[i + 1]) / 2);
  });
  if (sorted.length > 0) {
    pts.add(sorted[0] - Math.max(step, Math.abs(sorted[0]) / 2));
    pts.add(sorted[sorted.length - 1] + Math.max(step, Math.abs(sorted[sorted.length - 1]) / 2));
  }
  return [...pts].filter((x) => inInterval(x, dom)).sort((a, b) => a - b);
}
