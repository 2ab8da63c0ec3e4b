import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Overrides of a customer's official tier (contract §9, issue 12).
 *
 * - `tier_override`: one row per override, from request to its end: `set` / `floor` / `ceiling` a
 *   tier with a reason and an optional expiry; pending → active (approved by someone other than the
 *   requester) → ended (early, audited) or expired (by the sweep); or rejected / withdrawn. At most
 *   one pending-or-active override per customer, policy and mode (partial unique index).
 * - `tier_override_base`: for a customer under an override, the tier their last rating gives (what
 *   they return to at expiry) — moved by each rating run that rates them, dropped when no override
 *   is active any more.
 * - `rating_run_change.base_tier` / `override_modes`: a run's staging row for a customer held by an
 *   override carries the tier the run gives without the override and the modes that bound it.
 */
export class Overrides1796131209924 implements MigrationInterface {
  name = 'Overrides1796131209924';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tier_override (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES policy(id),
        customer_id text NOT NULL,
        mode text NOT NULL CHECK (mode IN ('set','floor','ceiling')),
        tier_key text NOT NULL,
        tier_name text NOT NULL,
        tier_name_en text,
        reason text NOT NULL,
        expires_at timestamptz,
        status text NOT NULL CHECK (status IN ('pending','active','rejected','withdrawn','ended','expired')),
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        approved_by text,
        approved_at timestamptz,
        rejected_by text,
        rejected_at timestamptz,
        ended_by text,
        ended_at timestamptz,
        comment text,
        CHECK (expires_at IS NULL OR expires_at > requested_at)
      )`);
    await q.query(`CREATE UNIQUE INDEX tier_override_one_per_mode ON tier_override (policy_id, customer_id, mode) WHERE status IN ('pending','active')`);
    await q.query(`CREATE INDEX tier_override_customer ON tier_override (customer_id, policy_id)`);
    await q.query(`CREATE INDEX tier_override_due ON tier_override (expires_at) WHERE status = 'active' AND expires_at IS NOT NULL`);
    await q.query(`CREATE INDEX tier_override_requested ON tier_override (requested_at DESC)`);
    await q.query(`
      CREATE TABLE tier_override_base (
        policy_id uuid NOT NULL,
        customer_id text NOT NULL,
        tier_key text,
        run_id uuid,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (policy_id, customer_id)
      )`);
    await q.query(`ALTER TABLE rating_run_change ADD COLUMN base_tier text, ADD COLUMN override_modes text`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rating_run_change DROP COLUMN base_tier, DROP COLUMN override_modes`);
    await q.query(`DROP TABLE tier_override_base`);
    await q.query(`DROP TABLE tier_override`);
  }
}
