import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../common/access/roles';

@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  username: string;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash: string;

  @Column({ type: 'text', array: true })
  roles: Role[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Raised on each password change; access tokens carry it (`ver`) and older ones are refused. */
  @Column({ name: 'token_version', type: 'integer', default: 0, select: false })
  tokenVersion: number;

  /** The administrator who created the account (null: made by the operator's configuration, or before this was recorded). */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  /**
   * The administrator who last set the account's password (a reset). The account's own changes do
   * not clear it: between the reset and the change that administrator could have signed in as it.
   */
  @Column({ name: 'password_set_by', type: 'uuid', nullable: true })
  passwordSetBy: string | null;

  /** Set by an administrator's create or reset: until the account chooses its own password, its tokens may only do that. */
  @Column({ name: 'password_change_required', type: 'boolean', default: false })
  passwordChangeRequired: boolean;

  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true })
  passwordChangedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** What the API shows of a user: never the hash. */
export function publicUser(u: User) {
  return {
    id: u.id,
    username: u.username,
    roles: u.roles,
    active: u.active,
    passwordChangeRequired: u.passwordChangeRequired,
    createdBy: u.createdBy,
    passwordSetBy: u.passwordSetBy,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}
