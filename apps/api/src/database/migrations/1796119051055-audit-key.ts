import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain is sealed with a key kept outside the database (HMAC-SHA256, audit/audit-key.ts);
 * each event records the fingerprint of the key that sealed it. Events written before this
 * migration keep `key_id` null: verify accepts them only as the chain's first events (plain
 * SHA-256, as they were written), and every event after them must carry the key's seal. Adding a
 * nullable column rewrites no row, so the append-only trigger is not involved.
 */
export class AuditKey1796119051055 implements MigrationInterface {
  name = 'AuditKey1796119051055';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_event ADD COLUMN key_id text`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_event DROP COLUMN key_id`);
  }
}
