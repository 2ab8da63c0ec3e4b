/** How the lint's boxes, intervals, facts and tiers read in its messages. */
import { formatNumber } from '../format';
import type { Interval } from '../intervals';
import type { Box, LintCtx } from './boxes';

export function describeInterval(iv: Interval, name: string): string {
  const lo = formatNumber(iv.lo);
  const hi = formatNumber(iv.hi);
  if (iv.lo === -Infinity && iv.hi === Infinity) return `any ${name}`;
  if (iv.lo === iv.hi) return `${name} = ${lo}`;
  if (iv.hi === Infinity) return `${name} ${iv.loInc ? '≥' : '>'} ${lo}`;
  if (iv.lo === -Infinity) return `${name} ${iv.hiInc ? '≤' : '<'} ${hi}`;
  return `${lo} ${iv.loInc ? '≤' : '<'} ${name} ${iv.hiInc ? '≤' : '<'} ${hi}`;
}

export function describeBox(box: Box, ctx: LintCtx, locale: 'en' | 'zh-CN'): string {
  const parts = [...box.ivs].map(([f, iv]) => describeInterval(iv, locale === 'en' ? factName(f, ctx) : ctx.label(f, locale)));
  if (parts.length === 0) return locale === 'en' ? 'every customer' : '所有客户';
  return parts.join(locale === 'en' ? ' and ' : ' 且 ');
}

/** At most three alternatives, so messages stay readable (and cheap) on big conditions. */
export function describeBoxes(boxes: Box[], ctx: LintCtx, locale: 'en' | 'zh-CN'): string {
  const shown = boxes.slice(0, 3).map((x) => describeBox(x, ctx, locale));
  const more = boxes.length - shown.length;
  if (more > 0) shown.push(locale === 'en' ? `${more} more` : `另 ${more} 种情况`);
  return shown.join(locale === 'en' ? ' or ' : ' 或 ');
}

export function factName(f: string, ctx: LintCtx): string {
  const l = ctx.label(f, 'en');
  return l === f ? `"${f}"` : `${l} (${f})`;
}

export function tierName(t: { key: string; name: string }): string {
  return t.name === t.key ? t.key : `${t.key} (${t.name})`;
}
