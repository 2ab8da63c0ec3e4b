import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tier events and webhooks (contract §9, issue 12).
 *
 * - `tier_event`: the outbox — one row per change of an official tier (`tier.changed`: run, override,
 *   revert) and per customer entering a grace period (`tier.downgrade_pending`), written in the same
 *   transaction as the change. Append-only (trigger), ordered by `seq`.
 * - `webhook`: admin-managed targets (URL, event types, secret), each with its delivery cursor (the
 *   last event seq it has a delivery for) and its back-off state.
 * - `webhook_delivery`: one row per (webhook, event) attempted: status delivered / retrying / failed,
 *   attempts, the last response code or error, the next attempt.
 */
export class TierEvents1796134095796 implements MigrationInterface {
  name = 'TierEvents1796134095796';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tier_event (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
        type text NOT NULL CHECK (type IN ('tier.changed','tier.downgrade_pending')),
        occurred_at timestamptz NOT NULL,
        policy_id uuid NOT NULL,
        policy_key text NOT NULL,
        customer_id text NOT NULL,
        from_tier text,
        to_tier text,
        change text,
        run_id uuid,
        history_id bigint,
        override_id uuid,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE FUNCTION tier_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'tier events are append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER tier_event_guard BEFORE UPDATE OR DELETE ON tier_event FOR EACH ROW EXECUTE FUNCTION tier_event_guard()`);
    await q.query(`CREATE TRIGGER tier_event_no_truncate BEFORE TRUNCATE ON tier_event FOR EACH STATEMENT EXECUTE FUNCTION tier_event_guard()`);
    await q.query(`
      CREATE TABLE webhook (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL,
        events text[] NOT NULL,
        secret text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        cursor_seq bigint NOT NULL,
        fail_streak integer NOT NULL DEFAULT 0,
        blocked_until timestamptz,
        last_error text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE webhook_delivery (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        webhook_id uuid NOT NULL REFERENCES webhook(id) ON DELETE CASCADE,
        event_seq bigint NOT NULL,
        event_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('delivered','retrying','failed')),
        attempts integer NOT NULL,
        response_code integer,
        error text,
        next_attempt_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (webhook_id, event_seq)
      )`);
    await q.query(`CREATE INDEX webhook_delivery_due ON webhook_delivery (webhook_id, next_attempt_at) WHERE status = 'retrying'`);
    await q.query(`CREATE INDEX webhook_delivery_list ON webhook_delivery (webhook_id, id DESC)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_delivery`);
    await q.query(`DROP TABLE webhook`);
    await q.query(`DROP TABLE tier_event`);
    await q.query(`DROP FUNCTION tier_event_guard()`);
  }
}
