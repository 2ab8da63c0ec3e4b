import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PopulationCutoffs } from '@tierwise/policy-engine';
import type { RatingResult } from './rating-result';
import type { RatingRunStatus } from './rating-run.job';
import type { RatingSpec } from './rating-spec';

/** A rating run (contract §8); its per-chunk parts live in `rating_run_part`, its proposal in `rating_run_change`. */
@Entity('rating_run')
export class RatingRunRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') status: RatingRunStatus;
  @Column({ name: 'policy_id', type: 'uuid' }) policyId: string;
  @Column({ name: 'version_id', type: 'uuid' }) versionId: string;
  @Column({ name: 'dataset_id', type: 'uuid' }) datasetId: string;
  /** As asked when started; null = the moment of approval. */
  @Column({ name: 'requested_effective_at', type: 'timestamptz', nullable: true }) requestedEffectiveAt: Date | null;
  /** The instant its changes take effect (set at approval when not asked for). */
  @Column({ name: 'effective_at', type: 'timestamptz', nullable: true }) effectiveAt: Date | null;
  @Column({ name: 'based_on_run_id', type: 'uuid', nullable: true }) basedOnRunId: string | null;
  @Column({ name: 'group_by', type: 'text', array: true }) groupBy: string[];
  @Column('jsonb') spec: RatingSpec;
  @Column({ name: 'progress_done', type: 'int' }) progressDone: number;
  @Column({ name: 'progress_total', type: 'int' }) progressTotal: number;
  @Column({ type: 'jsonb', nullable: true }) result: RatingResult | null;
  /** The cut-offs of its population conditions (issue 16), frozen by the population pass; null when it ranks nothing. */
  @Column({ type: 'jsonb', nullable: true }) cutoffs: PopulationCutoffs | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column('int') attempts: number;
  @Column({ type: 'text', nullable: true }) executor: string | null;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true }) heartbeatAt: Date | null;
  @Column({ name: 'cancelled_by', type: 'text', nullable: true }) cancelledBy: string | null;
  @Column({ name: 'approved_by', type: 'text', nullable: true }) approvedBy: string | null;
  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true }) approvedAt: Date | null;
  @Column({ name: 'decision_comment', type: 'text', nullable: true }) decisionComment: string | null;
  @Column({ name: 'rejected_by', type: 'text', nullable: true }) rejectedBy: string | null;
  @Column({ name: 'rejected_at', type: 'timestamptz', nullable: true }) rejectedAt: Date | null;
  @Column({ name: 'applied_at', type: 'timestamptz', nullable: true }) appliedAt: Date | null;
}
