import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Why a ledger row exists, in both locales, with a stable code (e.g. `rated`, `grace`, `keep-when`, `max-steps`). */
export interface LedgerReason {
  code: string;
  'zh-CN': string;
  en: string;
  /** Rule details a console can show (grace counters, the tier rated, the steps allowed). */
  [detail: string]: unknown;
}

export type TierChange = 'enter' | 'upgrade' | 'downgrade' | 'override' | 'revert';

/**
 * One change of a customer's official tier under a policy (append-only; see the tier-ledger
 * migration). Partitioned by hash of `customer_id`; read and written with SQL by LedgerService.
 */
@Entity('tier_history')
export class TierHistoryRow {
  @PrimaryColumn({ name: 'customer_id', type: 'text' }) customerId: string;
  @PrimaryColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'policy_id', type: 'uuid' }) policyId: string;
  @Column({ name: 'tier_key', type: 'text', nullable: true }) tierKey: string | null;
  @Column({ name: 'tier_name', type: 'text', nullable: true }) tierName: string | null;
  @Column({ name: 'tier_name_en', type: 'text', nullable: true }) tierNameEn: string | null;
  @Column({ name: 'tier_rank', type: 'int', nullable: true }) tierRank: number | null;
  @Column({ name: 'previous_tier', type: 'text', nullable: true }) previousTier: string | null;
  @Column('text') change: TierChange;
  @Column('jsonb') reason: LedgerReason;
  @Column({ name: 'valid_from', type: 'timestamptz' }) validFrom: Date;
  @Column({ name: 'valid_to', type: 'timestamptz', nullable: true }) validTo: Date | null;
  @Column({ name: 'recorded_at', type: 'timestamptz' }) recordedAt: Date;
  @Column({ name: 'run_id', type: 'uuid', nullable: true }) runId: string | null;
  @Column({ name: 'version_id', type: 'uuid' }) versionId: string;
  /** Trace reference for a change made from one logged decision (overrides, later). */
  @Column({ name: 'decision_id', type: 'uuid', nullable: true }) decisionId: string | null;
  /** Trace reference for a change made by a rating run: the customer's row in the run's snapshot. */
  @Column({ name: 'snapshot_row', type: 'int', nullable: true }) snapshotRow: number | null;
  /** The rollout step of the version that rated the customer (contract §11; null: its own effectiveFrom, or no rollout). */
  @Column({ name: 'rollout_step', type: 'int', nullable: true }) rolloutStep: number | null;
}

/** The current official tier of a customer under a policy, and the lifecycle counters the next run needs. */
@Entity('tier_current')
export class TierCurrentRow {
  @PrimaryColumn({ name: 'policy_id', type: 'uuid' }) policyId: string;
  @PrimaryColumn({ name: 'customer_id', type: 'text' }) customerId: string;
  @Column({ name: 'tier_key', type: 'text', nullable: true }) tierKey: string | null;
  @Column({ type: 'timestamptz' }) since: Date;
  @Column({ name: 'history_id', type: 'bigint' }) historyId: string;
  @Column({ name: 'version_id', type: 'uuid' }) versionId: string;
  @Column({ name: 'run_id', type: 'uuid', nullable: true }) runId: string | null;
  /** Consecutive runs that rated the customer below this tier without moving them (downgrade grace). */
  @Column({ name: 'below_runs', type: 'int' }) belowRuns: number;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** A policy's ledger head: the last applied run and its effective instant. */
@Entity('tier_ledger')
export class TierLedgerRow {
  @PrimaryColumn({ name: 'policy_id', type: 'uuid' }) policyId: string;
  @Column({ name: 'head_run_id', type: 'uuid', nullable: true }) headRunId: string | null;
  @Column({ name: 'head_effective_at', type: 'timestamptz', nullable: true }) headEffectiveAt: Date | null;
  @Column('int') customers: number;
  @Column({ name: 'changed_at', type: 'timestamptz' }) changedAt: Date;
}
