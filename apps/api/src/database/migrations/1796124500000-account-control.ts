import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Separation of duties (issue 14 point 4): who created each account and which administrator last set
 * its password, and whether the account must choose its own password before anything else. Accounts
 * from before this migration were made by the operator's configuration or earlier admins: unknown (NULL).
 */
export class AccountControl1796124500000 implements MigrationInterface {
  name = 'AccountControl1796124500000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE app_user
        ADD COLUMN created_by uuid REFERENCES app_user(id),
        ADD COLUMN password_set_by uuid REFERENCES app_user(id),
        ADD COLUMN password_change_required boolean NOT NULL DEFAULT false,
        ADD COLUMN password_changed_at timestamptz`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE app_user DROP COLUMN created_by, DROP COLUMN password_set_by, DROP COLUMN password_change_required, DROP COLUMN password_changed_at`,
    );
  }
}
