import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DatasetColumn } from './column-mapping';

export type DatasetSource = 'csv' | 'json' | 'synthetic';

/**
 * A customer population for simulations, and a facts snapshot for rating runs when it carries
 * `asOf` (the day its facts describe) and optionally the policy it is meant for; its rows live in
 * `dataset_chunk` (columnar, see chunk-codec).
 */
@Entity('dataset')
export class DatasetRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') source: DatasetSource;
  @Column({ name: 'row_count', type: 'int' }) rowCount: number;
  @Column({ name: 'chunk_rows', type: 'int' }) chunkRows: number;
  @Column({ name: 'chunk_count', type: 'int' }) chunkCount: number;
  @Column('jsonb') columns: DatasetColumn[];
  @Column({ name: 'id_column', type: 'text', nullable: true }) idColumn: string | null;
  /** `YYYY-MM-DD`: the day the facts describe (contract §8); null for a population without one. */
  @Column({ name: 'as_of', type: 'date', nullable: true }) asOf: string | null;
  @Column({ name: 'policy_id', type: 'uuid', nullable: true }) policyId: string | null;
  @Column('jsonb') details: Record<string, unknown>;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
