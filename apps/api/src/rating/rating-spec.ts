import type { LifecycleRules } from '@tierwise/policy-engine';
import type { RolloutVersion } from '../evaluation/rollout-version';
import type { RolloutStep } from '../policies/policy.entities';
import type { DatasetJobInput, VersionSnapshot } from '../simulation/simulation-spec';

/** A tier as a rating run places it: on the ladder of the run's version, merged with the ledger's previous version. */
export interface RunTier {
  key: string;
  name: string;
  nameEn?: string;
  /** 1 = best; not rated is below every tier. */
  rank: number;
  /** Index in the run's version, or null for a tier only the previous version had. */
  index: number | null;
}

/** The lifecycle rules of the run's version (contract §8), normalised by the policy engine. */
export type { LifecycleRules } from '@tierwise/policy-engine';

/**
 * A version a customer may be rated with while a regional rollout is part-way at the run's instant
 * (contract §11), frozen with the run: its timeline (what the resolver reads) and what rates with it.
 */
export interface RolloutCandidate extends RolloutVersion {
  effectiveFrom: string;
  retiredAt: string | null;
  rollout: RolloutStep[] | null;
  snapshot: VersionSnapshot;
  lifecycle: LifecycleRules | null;
}

/**
 * What a rating run evaluates and compares, frozen when it is created (like a simulation's spec):
 * the version in effect at its instant with its catalog, the snapshot, the ladder and the rules.
 */
export interface RatingSpec extends DatasetJobInput {
  policyId: string;
  policyKey: string;
  version: VersionSnapshot;
  /** ISO instant: "today" of date rules (the effective instant asked for, else the creation time). */
  asOf: string;
  ladder: RunTier[];
  /** null: without `lifecycle` the rated tier is the official tier. */
  lifecycle: LifecycleRules | null;
  /** The ledger's head when the run was created: the run compares against that state and applies only on it. */
  basedOnRunId: string | null;
  /**
   * A regional rollout part-way at the run's instant: every version a customer may be rated with, the one in
   * effect for everyone else (`version`) first; each customer is rated with the one their segment has then
   * (evaluation/rollout-version.ts). Absent or null: `version` rates everyone.
   */
  rollout?: RolloutCandidate[] | null;
}

/** Samples kept per matrix cell and for held customers. */
export const RUN_SAMPLES_PER_CELL = 10;
