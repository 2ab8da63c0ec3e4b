import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-ins per account and per client address, shared by every HTTP worker: after too many,
 * sign-in is refused (429) until `locked_until`; each repeat lockout lasts twice as long.
 */
export class LoginThrottle1796124006400 implements MigrationInterface {
  name = 'LoginThrottle1796124006400';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL,
        last_failure_at timestamptz NOT NULL,
        locked_until timestamptz,
        lockouts integer NOT NULL DEFAULT 0
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_throttle`);
  }
}
