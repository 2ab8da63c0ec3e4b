import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Append-only: a database trigger refuses UPDATE, DELETE and TRUNCATE. */
@Entity('audit_event')
export class AuditEvent {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'bigint', unique: true, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  seq: number;

  @Column('timestamptz')
  at: Date;

  @Column('text')
  actor: string;

  @Column('text')
  action: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId: string;

  @Column({ type: 'jsonb', nullable: true })
  before: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after: unknown;

  @Column({ type: 'jsonb', nullable: true })
  diff: unknown;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash: string;

  @Column('text')
  hash: string;

  /** Fingerprint of the key that sealed the event (audit-key.ts); null for events from before the chain was keyed. */
  @Column({ name: 'key_id', type: 'text', nullable: true })
  keyId: string | null;
}
