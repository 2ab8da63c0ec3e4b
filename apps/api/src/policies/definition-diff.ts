import { diffPolicies, type PolicyDiff } from '@tierwise/policy-engine';
import type { LiveCatalog } from './catalog-snapshot';
import type { PolicyVersionRow } from './policy.entities';

export type VersionDiff = PolicyDiff & { from: { id: string; number: number }; to: { id: string; number: number } };

/**
 * The engine's per-tier diff from version `from` to version `to` (contract §3), worded with the
 * catalog's labels: each version's frozen catalog where it has one, the live catalog for the rest.
 */
export function versionDiff(from: PolicyVersionRow, to: PolicyVersionRow, live: LiveCatalog): VersionDiff {
  const frozen = [from.frozen, to.frozen].filter((f) => f !== null);
  return {
    from: { id: from.id, number: from.number },
    to: { id: to.id, number: to.number },
    ...diffPolicies(from.definition, to.definition, {
      facts: [...live.facts, ...frozen.flatMap((f) => f.facts)],
      packages: [...live.packages, ...frozen.flatMap((f) => Object.values(f.packages))],
    }),
  };
}
