import type { FactDefinition } from '@tierwise/policy-engine';
import { useLocaleState } from 'react-admin';
import { factLabel } from '../../common/labels';
import { FactInput } from './FactInput';

interface Props {
  keys: readonly string[];
  facts: Map<string, FactDefinition>;
  values: Record<string, unknown>;
  /** The values with one fact set (or removed when empty). */
  onChange(next: Record<string, unknown>): void;
}

/** One typed input per fact (try-it, test cases): an empty input leaves the fact out (missing). */
export const FactInputs = ({ keys, facts, values, onChange }: Props) => {
  const [locale] = useLocaleState();
  return (
    <>
      {keys.map((key) => (
        <FactInput
          key={key}
          fact={facts.get(key)!}
          label={factLabel(facts.get(key), key, locale)}
          value={values[key]}
          onChange={(v) => {
            const next = { ...values };
            if (v === undefined) delete next[key];
            else next[key] = v;
            onChange(next);
          }}
        />
      ))}
    </>
  );
};
