import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A draft can be discarded (kept, with its number and history, but never edited or submitted again). */
export class VersionDiscarded1796123795848 implements MigrationInterface {
  name = 'VersionDiscarded1796123795848';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policy_version DROP CONSTRAINT policy_version_status_check`);
    await q.query(
      `ALTER TABLE policy_version ADD CONSTRAINT policy_version_status_check CHECK (status IN ('draft','in_review','approved','published','retired','discarded'))`,
    );
    // A discarded draft never changes again, nor is it deleted (its own trigger, beside the published/retired guard).
    await q.query(`
      CREATE FUNCTION policy_version_discarded_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'policy version % is discarded: it cannot change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER policy_version_discarded_immutable BEFORE UPDATE OR DELETE ON policy_version
        FOR EACH ROW WHEN (OLD.status = 'discarded') EXECUTE FUNCTION policy_version_discarded_guard()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER policy_version_discarded_immutable ON policy_version`);
    await q.query(`DROP FUNCTION policy_version_discarded_guard()`);
    // A discarded draft becomes a draft again: the older schema has no such status.
    await q.query(`UPDATE policy_version SET status = 'draft' WHERE status = 'discarded'`);
    await q.query(`ALTER TABLE policy_version DROP CONSTRAINT policy_version_status_check`);
    await q.query(
      `ALTER TABLE policy_version ADD CONSTRAINT policy_version_status_check CHECK (status IN ('draft','in_review','approved','published','retired'))`,
    );
  }
}
