import type { FactSensitivity } from '@tierwise/policy-engine';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { FactType } from '@tierwise/policy-engine';

const numeric = { to: (v?: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity('fact')
export class FactRow {
  @PrimaryColumn('text') key: string;
  @Column('text') label: string;
  @Column({ name: 'label_en', type: 'text', nullable: true }) labelEn: string | null;
  @Column('text') type: FactType;
  @Column({ type: 'text', nullable: true }) unit: string | null;
  @Column({ name: 'enum_values', type: 'jsonb', nullable: true }) enumValues: string[] | null;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'text', default: 'internal' }) sensitivity: FactSensitivity;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('benefit')
export class BenefitRow {
  @PrimaryColumn('text') key: string;
  @Column('text') name: string;
  @Column({ name: 'name_en', type: 'text', nullable: true }) nameEn: string | null;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ name: 'unit_cost', type: 'numeric', precision: 18, scale: 2, nullable: true, transformer: numeric }) unitCost: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('benefit_package')
export class BenefitPackageRow {
  @PrimaryColumn('text') key: string;
  @Column('text') name: string;
  @Column({ name: 'name_en', type: 'text', nullable: true }) nameEn: string | null;
  @Column({ type: 'text', array: true }) benefits: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
