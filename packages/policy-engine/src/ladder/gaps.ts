/** `gap`: customers in no tier, or falling between two tiers to the default. */
import { formatNumber } from '../format';
import { complement, FULL, type Interval } from '../intervals';
import type { Issue, PolicyDefinition } from '../types';
import { dnf, factsOf, inInterval, isInt, LINT_BUDGET, type LintCtx, type TierBoxes } from './boxes';
import { describeInterval, factName, tierName } from './describe';

export function eligibilityDomain(definition: PolicyDefinition, ladder: Set<string>, ctx: LintCtx): Map<string, Interval> | null {
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

export function gapWarnings(
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
