/** `out-of-order` and `inconsistent-boundary`: one fact's thresholds down the ladder. */
import { formatNumber } from '../format';
import type { Issue } from '../types';
import type { LintCtx, TierBoxes } from './boxes';
import { factName, tierName } from './describe';

/** A one-sided bound a tier puts on a fact by itself (pure single-fact boxes), as written. */
export interface Bound {
  tier: TierBoxes;
  value: number;
  inclusive: boolean;
}

export function oneSidedBounds(t: TierBoxes, fact: string, side: 'lower' | 'upper'): Bound | undefined {
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

/** On each fact a tier bounds by itself: lower bounds falling (upper rising) down the ladder, with the same inclusivity. */
export function thresholdWarnings(analysed: TierBoxes[], ctx: LintCtx): Issue[] {
  const warnings: Issue[] = [];
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

  return warnings;
}
