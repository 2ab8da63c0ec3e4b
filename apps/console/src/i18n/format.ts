import { useMemo } from 'react';
import { useLocaleState } from 'react-admin';
import { makeFormatters, type Formatters } from './formatters';

export { makeFormatters, type Formatters };

/** Formatters for the console's current locale. */
export const useFormatters = (): Formatters => {
  const [locale] = useLocaleState();
  return useMemo(() => makeFormatters(locale), [locale]);
};
