import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Entitlement checks (issue 13, contract §11): every answer of POST /api/entitlements/check — may
 * this customer have this benefit / buy this product — kept for compliance in an append-only table:
 * the database refuses UPDATE, DELETE and TRUNCATE.
 */
export class EntitlementChecks1796134500000 implements MigrationInterface {
  name = 'EntitlementChecks1796134500000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE entitlement_check (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        checked_at timestamptz NOT NULL DEFAULT now(),
        as_of timestamptz NOT NULL,
        actor text NOT NULL,
        policy_id uuid NOT NULL REFERENCES policy(id),
        policy_key text NOT NULL,
        version_id uuid,
        version_number integer,
        customer_id text,
        source text NOT NULL CHECK (source IN ('facts', 'ledger')),
        facts jsonb,
        decision_id uuid,
        benefit text NOT NULL,
        allowed boolean NOT NULL,
        tier_key text,
        benefit_package text,
        reason text NOT NULL
      )`);
    await q.query(`CREATE INDEX entitlement_check_customer ON entitlement_check (customer_id, checked_at DESC)`);
    await q.query(`CREATE INDEX entitlement_check_time ON entitlement_check (checked_at DESC)`);
    await q.query(`
      CREATE FUNCTION entitlement_check_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'entitlement checks are append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER entitlement_check_no_change BEFORE UPDATE OR DELETE ON entitlement_check FOR EACH ROW EXECUTE FUNCTION entitlement_check_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER entitlement_check_no_truncate BEFORE TRUNCATE ON entitlement_check FOR EACH STATEMENT EXECUTE FUNCTION entitlement_check_append_only()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE entitlement_check`);
    await q.query(`DROP FUNCTION entitlement_check_append_only()`);
  }
}
