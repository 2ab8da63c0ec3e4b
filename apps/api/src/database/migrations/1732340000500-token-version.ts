import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A per-user token version: carried in each access token (`ver`), raised when the password changes,
 * so that tokens issued before a password change stop working at once.
 */
export class TokenVersion1732340000500 implements MigrationInterface {
  name = 'TokenVersion1732340000500';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN token_version`);
  }
}
