import type { FactDefinition } from '@tierwise/policy-engine';

/** A fact's label in the current language (English label when there is one), or its key. */
export const factLabel = (fact: FactDefinition | undefined, key: string, locale: string): string =>
  fact ? (locale === 'en' && fact.labelEn) || fact.label : key;
