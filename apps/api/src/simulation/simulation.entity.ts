import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PopulationCutoffs } from '@tierwise/policy-engine';
import type { StoredSimulationResult } from './simulation-result';

/** A simulation's population pass: over its dataset, for the candidate and (when it ranks) the baseline. */
export interface SimulationCutoffs {
  candidate: PopulationCutoffs | null;
  baseline: PopulationCutoffs | null;
}
import type { SimulationStatus } from './simulation.job';
import type { SimulationSpec } from './simulation-spec';

/** A simulation run (contract §5); its per-chunk outcomes live in `simulation_part`. */
@Entity('simulation')
export class SimulationRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') status: SimulationStatus;
  @Column({ name: 'policy_id', type: 'uuid' }) policyId: string;
  @Column({ name: 'candidate_version_id', type: 'uuid' }) candidateVersionId: string;
  @Column({ name: 'baseline_version_id', type: 'uuid' }) baselineVersionId: string;
  @Column({ name: 'dataset_id', type: 'uuid' }) datasetId: string;
  @Column({ name: 'group_by', type: 'text', array: true }) groupBy: string[];
  @Column({ name: 'as_of', type: 'timestamptz' }) asOf: Date;
  @Column('jsonb') spec: SimulationSpec;
  @Column({ name: 'progress_done', type: 'int' }) progressDone: number;
  @Column({ name: 'progress_total', type: 'int' }) progressTotal: number;
  @Column({ type: 'jsonb', nullable: true }) result: (StoredSimulationResult & Record<string, unknown>) | null;
  /** The cut-offs its population conditions used (issue 16): the candidate's, and the baseline's when it ranks too. */
  @Column({ type: 'jsonb', nullable: true }) cutoffs: SimulationCutoffs | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column('int') attempts: number;
  @Column({ type: 'text', nullable: true }) executor: string | null;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true }) heartbeatAt: Date | null;
  @Column({ name: 'cancelled_by', type: 'text', nullable: true }) cancelledBy: string | null;
}
