import type { Explanation } from '../dataProvider/types';

/** The explanation lines for the current locale, whatever shape the API sent. */
export function explanationLines(explanation: Explanation | null | undefined, locale: string): string[] {
  if (!explanation) return [];
  if (typeof explanation === 'string') return [explanation];
  if (Array.isArray(explanation)) return explanation;
  const own = explanation[locale === 'zh-CN' ? 'zh-CN' : 'en'] ?? explanation.en ?? explanation['zh-CN'];
  return own === undefined ? [] : typeof own === 'string' ? [own] : own;
}
