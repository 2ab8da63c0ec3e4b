import type { FactDefinition } from '@tierwise/policy-engine';

/** A fact's label in the current language (English label when there is one), or its key. */
export const factLabel = (fact: FactDefinition | undefined, key: string, locale: string): string =>
  fact ? (locale === 'en' && fact.labelEn) || fact.label : key;

/** A fact value for reading: grouped numbers, yes / no, lists joined, text as is. */
export function showValue(value: unknown, format: { number(v: number): string }, translate: (key: string) => string): string {
  if (typeof value === 'number') return format.number(value);
  if (typeof value === 'boolean') return translate(`ra.boolean.${value}`);
  if (Array.isArray(value)) return value.map((v) => showValue(v, format, translate)).join(', ');
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
