import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hash partitions of the history (by customer id): each holds ~1/16 of 100M rows, with its own small indexes. */
const PARTITIONS = 16;

/**
 * The tier ledger (contract §8): every customer's official tier per policy over time.
 *
 * - `tier_history`: one row per change of a customer's official tier per policy, with valid time
 *   (`valid_from` … `valid_to`, open = current) and recorded time, previous tier, change kind,
 *   reason, the run / version and the trace reference that produced it. Append-only: the database
 *   refuses every UPDATE except closing the `valid_to` of an open row, and every DELETE / TRUNCATE.
 *   Hash-partitioned by customer id: every hot read is per customer (as-of lookup = one index range
 *   on (policy, customer, valid_from)), history is never dropped by age, and the same key co-locates
 *   with Citus should one node ever not be enough.
 * - `tier_current`: the narrow current state (customer, policy → tier, since, open history row,
 *   grace counter) that rating runs compare against and update in the same transaction.
 * - `tier_ledger`: one row per policy with a ledger — its head (the last applied run and its
 *   instant); locked by every change so changes of one policy are serialised and in order.
 */
export class TierLedger1796122154796 implements MigrationInterface {
  name = 'TierLedger1796122154796';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tier_ledger (
        policy_id uuid PRIMARY KEY REFERENCES policy(id),
        head_run_id uuid,
        head_effective_at timestamptz,
        customers integer NOT NULL DEFAULT 0,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE tier_history (
        id bigint GENERATED ALWAYS AS IDENTITY,
        policy_id uuid NOT NULL,
        customer_id text NOT NULL,
        tier_key text,
        tier_name text,
        tier_name_en text,
        tier_rank integer,
        previous_tier text,
        change text NOT NULL CHECK (change IN ('enter','upgrade','downgrade','override','revert')),
        reason jsonb NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_to timestamptz,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        run_id uuid,
        version_id uuid NOT NULL,
        decision_id uuid,
        snapshot_row integer,
        CHECK (valid_to IS NULL OR valid_to >= valid_from),
        PRIMARY KEY (customer_id, id)
      ) PARTITION BY HASH (customer_id)`);
    for (let r = 0; r < PARTITIONS; r++) {
      await q.query(`CREATE TABLE tier_history_p${r} PARTITION OF tier_history FOR VALUES WITH (MODULUS ${PARTITIONS}, REMAINDER ${r})`);
    }
    await q.query(`CREATE INDEX tier_history_asof ON tier_history (policy_id, customer_id, valid_from DESC)`);
    await q.query(`CREATE UNIQUE INDEX tier_history_open ON tier_history (policy_id, customer_id) WHERE valid_to IS NULL`);
    await q.query(`CREATE INDEX tier_history_run ON tier_history (run_id) WHERE run_id IS NOT NULL`);
    await q.query(`
      CREATE FUNCTION tier_history_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.valid_to IS NULL AND NEW.valid_to IS NOT NULL
           AND (to_jsonb(NEW) - 'valid_to') = (to_jsonb(OLD) - 'valid_to') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'tier history is append-only: % is not allowed (only closing valid_to of an open row)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE FUNCTION tier_history_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'tier history is append-only: TRUNCATE is not allowed' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER tier_history_guard BEFORE UPDATE OR DELETE ON tier_history FOR EACH ROW EXECUTE FUNCTION tier_history_guard()`);
    for (const t of ['tier_history', ...Array.from({ length: PARTITIONS }, (_v, r) => `tier_history_p${r}`)]) {
      await q.query(`CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION tier_history_no_truncate()`);
    }
    await q.query(`
      CREATE TABLE tier_current (
        policy_id uuid NOT NULL,
        customer_id text NOT NULL,
        tier_key text,
        since timestamptz NOT NULL,
        history_id bigint NOT NULL,
        version_id uuid NOT NULL,
        run_id uuid,
        below_runs integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (policy_id, customer_id)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tier_current`);
    await q.query(`DROP TABLE tier_history`);
    await q.query(`DROP FUNCTION tier_history_no_truncate()`);
    await q.query(`DROP FUNCTION tier_history_guard()`);
    await q.query(`DROP TABLE tier_ledger`);
  }
}
