import type { PolicyDefinition } from '@tierwise/policy-engine';
import { useMemo } from 'react';
import { useLocaleState } from 'react-admin';

interface Named {
  key: string;
  name: string;
  nameEn?: string;
}

/** A tier's (or package's) name in the current language: the English name when there is one. */
export const localName = (item: Pick<Named, 'name' | 'nameEn'>, locale: string): string => (locale === 'en' && item.nameEn) || item.name;

/** key → name in the current language, for the tiers of a definition (or any named list). */
export function useTierNames(tiers: readonly Named[] | PolicyDefinition | undefined): Map<string, string> {
  const [locale] = useLocaleState();
  return useMemo(() => {
    const list = !tiers ? [] : Array.isArray(tiers) ? (tiers as Named[]) : (tiers as PolicyDefinition).tiers;
    return new Map(list.map((t) => [t.key, localName(t, locale)]));
  }, [tiers, locale]);
}
