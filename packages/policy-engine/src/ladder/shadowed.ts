/** `shadowed-tier` and `unsatisfiable-tier`: tiers no customer can reach. */
import { covers, type Interval } from '../intervals';
import type { Issue } from '../types';
import { boxWithin, isInt, LINT_BUDGET, type Box, type LintCtx, type TierBoxes } from './boxes';
import { describeBoxes, tierName } from './describe';

/**
 * Each tier against the higher ones: unsatisfiable on its own, or every box of it inside a higher
 * tier's box or inside the union of higher tiers' single-fact ranges. `complete` is false when the
 * work budget ran out (then a `lint-incomplete` warning is among the warnings).
 */
export function shadowWarnings(analysed: TierBoxes[], ctx: LintCtx): { warnings: Issue[]; complete: boolean } {
  const warnings: Issue[] = [];
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
    return { warnings, complete: false };
  }

  return { warnings, complete: true };
}
