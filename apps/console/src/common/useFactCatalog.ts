import type { FactDefinition } from '@tierwise/policy-engine';
import { useMemo } from 'react';
import { useGetList } from 'react-admin';

const ALL = { pagination: { page: 1, perPage: 1000 }, sort: { field: 'key', order: 'ASC' as const } };

/** The whole fact catalog (list and by key), for labels, pickers and typed inputs. */
export function useFactCatalog(): { facts: FactDefinition[] | undefined; byKey: Map<string, FactDefinition> } {
  const { data } = useGetList<FactDefinition & { id: string }>('facts', ALL);
  const byKey = useMemo(() => new Map((data ?? []).map((f) => [f.key, f])), [data]);
  return { facts: data, byKey };
}
