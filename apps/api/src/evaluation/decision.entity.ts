import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Facts, TraceEntry } from '@tierwise/policy-engine';

@Entity('decision')
export class DecisionRow {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'evaluated_at', type: 'timestamptz' }) evaluatedAt: Date;
  @Column({ name: 'as_of', type: 'timestamptz' }) asOf: Date;
  @Column({ name: 'policy_id', type: 'uuid' }) policyId: string;
  @Column({ name: 'policy_key', type: 'text' }) policyKey: string;
  @Column({ name: 'version_id', type: 'uuid' }) versionId: string;
  @Column({ name: 'version_number', type: 'int' }) versionNumber: number;
  @Column({ name: 'customer_id', type: 'text', nullable: true }) customerId: string | null;
  @Column('text') actor: string;
  @Column('jsonb') facts: Facts;
  @Column('boolean') eligible: boolean;
  @Column({ name: 'tier_key', type: 'text', nullable: true }) tierKey: string | null;
  @Column({ name: 'tier_rank', type: 'int', nullable: true }) tierRank: number | null;
  @Column({ name: 'benefit_package_key', type: 'text', nullable: true }) benefitPackageKey: string | null;
  @Column('jsonb') scores: Record<string, number>;
  /**
   * Null since DecisionDerivedTrace: the trace is re-derived on read from the version, the facts and the
   * cut-off run (DecisionsService). Rows written before carry it (json, not jsonb: read whole, never searched).
   */
  @Column({ type: 'json', nullable: true }) trace: TraceEntry[] | null;
  /** The rollout step of the version that applied (null: the version's own effectiveFrom). */
  @Column({ name: 'rollout_step', type: 'int', nullable: true }) rolloutStep: number | null;
  /** The applied rating run whose frozen cut-offs the population conditions used (null: the version ranks nothing). */
  @Column({ name: 'cutoff_run_id', type: 'uuid', nullable: true }) cutoffRunId: string | null;
}
