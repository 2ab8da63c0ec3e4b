import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ExpiringCache } from '../common/expiring-cache';
import { ROLES, Role } from '../common/access/roles';

export interface AccessState {
  /** The name the account has now: who did something is taken from here, never from the token. */
  username: string;
  active: boolean;
  roles: Role[];
  /** Tokens carrying another version were issued before the last password change. */
  tokenVersion: number;
  /** An administrator created the account or set its password: until it changes it, it may only do that. */
  passwordChangeRequired: boolean;
}

/** How old an account's state may be when a request is checked: another process's change shows within this. */
export const ACCESS_TTL_MS = 5000;

/**
 * The current state of each account (active, roles, token version), so that deactivating a user,
 * taking a role away or changing the password applies to the tokens they already hold — at once in
 * this process (UsersService calls `forget`), within ACCESS_TTL_MS in other HTTP worker processes.
 * Concurrent lookups share one query.
 */
@Injectable()
export class UserAccess {
  private readonly cache = new ExpiringCache<string, AccessState | null>(ACCESS_TTL_MS, (userId) => this.load(userId));

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** null when the account no longer exists. */
  state(userId: string): Promise<AccessState | null> {
    return this.cache.get(userId);
  }

  forget(userId: string): void {
    this.cache.delete(userId);
  }

  private async load(userId: string): Promise<AccessState | null> {
    const rows: { username: string; active: boolean; roles: string[]; token_version: number; password_change_required: boolean }[] = await this.ds.query(
      'SELECT username, active, roles, token_version, password_change_required FROM app_user WHERE id = $1',
      [userId],
    );
    if (!rows.length) return null;
    return {
      username: rows[0].username,
      active: rows[0].active,
      roles: rows[0].roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
      tokenVersion: rows[0].token_version,
      passwordChangeRequired: rows[0].password_change_required,
    };
  }
}
