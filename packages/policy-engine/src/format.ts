/** Number and fact-label formatting shared by lint messages and explanations. */
import type { FactDefinition } from './types';

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 10 });

/** 1000000 → "1,000,000" (the same grouping reads correctly in zh-CN). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '∞' : n < 0 ? '-∞' : 'NaN';
  return NUMBER.format(n);
}

export type FactLabeller = (key: string, locale: 'en' | 'zh-CN') => string;

/** Labels for facts (labelEn for en, falling back to label) and scores (their labels). */
export function makeLabeller(
  facts: readonly FactDefinition[],
  scores: readonly { key: string; label: string; labelEn?: string }[] = [],
  computed: Readonly<Record<string, { label: string; labelEn?: string }>> = {},
): FactLabeller {
  const map = new Map<string, { label: string; labelEn?: string }>();
  for (const f of facts) map.set(f.key, f);
  for (const s of scores) map.set(s.key, s);
  for (const [k, c] of Object.entries(computed)) map.set(k, c);
  return (key, locale) => {
    const f = map.get(key);
    if (!f) return key;
    return locale === 'en' ? (f.labelEn ?? f.label) : f.label;
  };
}
