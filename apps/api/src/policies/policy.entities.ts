import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Benefit, FactDefinition, Facts, PolicyDefinition, TopLevelCondition } from '@tierwise/policy-engine';

export type StoredStatus = 'draft' | 'in_review' | 'approved' | 'published' | 'retired' | 'discarded';

/** One step of a regional rollout: customers matching `segment` switch to the version at `effectiveFrom` (the segment's facts frozen with it). */
export interface RolloutStep {
  segment: TopLevelCondition;
  effectiveFrom: string;
  facts: FactDefinition[];
}

/** What a published version froze: the catalog entries it uses, as they were at publication. */
export interface FrozenCatalog {
  facts: FactDefinition[];
  packages: Record<string, { key: string; name: string; nameEn?: string; benefits: Benefit[] }>;
}

@Entity('policy')
export class PolicyRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text', unique: true }) key: string;
  @Column('text') name: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  /** Months this policy's decisions are kept (null: DECISION_RETENTION_MONTHS); read and set through DecisionRetentionService. */
  @Column({ name: 'decision_retention_months', type: 'int', nullable: true, select: false }) decisionRetentionMonths?: number | null;
  /** A retention change waiting for a second person's approval. */
  @Column({ name: 'decision_retention_request', type: 'jsonb', nullable: true, select: false }) decisionRetentionRequest?: {
    months: number | null;
    requestedBy: string;
    requestedAt: string;
    comment: string;
  } | null;
}

@Entity('policy_version')
export class PolicyVersionRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'policy_id', type: 'uuid' }) policyId: string;
  @Column('int') number: number;
  @Column('text') status: StoredStatus;
  @Column('int') revision: number;
  @Column('jsonb') definition: PolicyDefinition;
  @Column({ name: 'change_note', type: 'text', nullable: true }) changeNote: string | null;
  @Column({ name: 'based_on', type: 'uuid', nullable: true }) basedOn: string | null;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @Column({ type: 'text', array: true }) editors: string[];
  @Column({ name: 'submitted_by', type: 'text', nullable: true }) submittedBy: string | null;
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true }) submittedAt: Date | null;
  @Column({ name: 'approved_by', type: 'text', nullable: true }) approvedBy: string | null;
  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true }) approvedAt: Date | null;
  @Column({ name: 'published_by', type: 'text', nullable: true }) publishedBy: string | null;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt: Date | null;
  @Column({ name: 'effective_from', type: 'timestamptz', nullable: true }) effectiveFrom: Date | null;
  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true }) supersededAt: Date | null;
  @Column({ name: 'retired_by', type: 'text', nullable: true }) retiredBy: string | null;
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true }) retiredAt: Date | null;
  /** A request to retire a version in effect or scheduled: a second person approves it (four-eyes). */
  @Column({ name: 'retire_requested_by', type: 'text', nullable: true }) retireRequestedBy: string | null;
  @Column({ name: 'retire_requested_at', type: 'timestamptz', nullable: true }) retireRequestedAt: Date | null;
  @Column({ name: 'retire_request_comment', type: 'text', nullable: true }) retireRequestComment: string | null;
  /** The catalog entries the version uses, frozen when it is approved: what the approver saw is what publishes. */
  @Column({ type: 'jsonb', nullable: true }) frozen: FrozenCatalog | null;
  /** Regional rollout steps set at publication (contract §11); null = everyone switches at effectiveFrom. */
  @Column({ type: 'jsonb', nullable: true }) rollout: RolloutStep[] | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('policy_test_case')
export class TestCaseRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'policy_id', type: 'uuid' }) policyId: string;
  @Column('text') name: string;
  @Column('jsonb') facts: Facts;
  @Column({ name: 'expected_tier', type: 'text', nullable: true }) expectedTier: string | null;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** The status a user sees: `published` splits into scheduled / published (in effect) / superseded by time. */
export type VersionStatus = 'draft' | 'in_review' | 'approved' | 'scheduled' | 'published' | 'superseded' | 'retired' | 'discarded';

export function displayStatus(v: PolicyVersionRow, now = new Date()): VersionStatus {
  if (v.status !== 'published') return v.status;
  if (v.effectiveFrom && v.effectiveFrom > now) return 'scheduled';
  if (v.supersededAt && v.supersededAt <= now) return 'superseded';
  return 'published';
}
