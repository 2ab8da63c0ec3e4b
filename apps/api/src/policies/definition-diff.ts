import { diffPolicies, rolloutText, type PolicyDiff } from '@tierwise/policy-engine';
import type { LiveCatalog } from './catalog-snapshot';
import type { PolicyVersionRow } from './policy.entities';

/** A version's regional rollout (contract §11) as the diff shows it: its steps and, per locale, who switches when. */
export interface RolloutView {
  effectiveFrom: string | null;
  steps: { segment: unknown; effectiveFrom: string }[];
  text: { 'zh-CN': string[]; en: string[] };
}

export type VersionDiff = PolicyDiff & {
  from: { id: string; number: number };
  to: { id: string; number: number };
  /** Each side's rollout steps (null: everyone switches at its effectiveFrom, or not published). */
  rollout: { from: RolloutView | null; to: RolloutView | null };
};

function rolloutView(v: PolicyVersionRow): RolloutView | null {
  if (!v.rollout?.length) return null;
  const facts = v.rollout.flatMap((s) => s.facts);
  const steps = v.rollout.map((s) => ({ segment: s.segment, effectiveFrom: s.effectiveFrom }));
  const from = v.effectiveFrom ? v.effectiveFrom.toISOString() : null;
  return { effectiveFrom: from, steps, text: { 'zh-CN': rolloutText(steps, from, facts, 'zh-CN'), en: rolloutText(steps, from, facts, 'en') } };
}

/**
 * The engine's per-tier diff from version `from` to version `to` (contract §3), worded with the
 * catalog's labels: each version's frozen catalog where it has one, the live catalog for the rest.
 */
export function versionDiff(from: PolicyVersionRow, to: PolicyVersionRow, live: LiveCatalog): VersionDiff {
  const frozen = [from.frozen, to.frozen].filter((f) => f !== null);
  return {
    from: { id: from.id, number: from.number },
    to: { id: to.id, number: to.number },
    rollout: { from: rolloutView(from), to: rolloutView(to) },
    ...diffPolicies(from.definition, to.definition, {
      facts: [...live.facts, ...frozen.flatMap((f) => f.facts)],
      packages: [...live.packages, ...frozen.flatMap((f) => Object.values(f.packages))],
    }),
  };
}
