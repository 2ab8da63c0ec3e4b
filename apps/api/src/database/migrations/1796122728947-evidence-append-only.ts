import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Append-only evidence (issue 14 point 9).
 *
 * 1. Published (incl. scheduled and superseded) versions: every column is immutable except the two
 *    moves the workflow makes — another version's publication (or a scheduled successor's retirement)
 *    sets or moves `superseded_at` while it has not passed yet; a retirement request comes and goes
 *    (`retire_requested_*`); retirement sets `status = 'retired'`, `retired_by`, `retired_at` once
 *    (`updated_at` moves with a change, never alone). Retired versions never change. The guard
 *    compares whole rows (`to_jsonb(OLD)` minus the columns a move may change), so a column added
 *    later is immutable too unless the guard is told otherwise.
 * 2. Decisions: no UPDATE, DELETE or TRUNCATE. The table is partitioned by policy (LIST policy_id),
 *    each policy's part by month (RANGE evaluated_at, UTC), so retention — per policy or for all —
 *    drops whole months (audited by the API), and lookups by (customer, policy, time) prune to one
 *    policy's months. `decision_partition_for(policy, day)` creates a month when missing; the API
 *    creates the current and next months ahead, and on a write that finds none.
 *    Indexes per month: the primary key (id, policy_id, evaluated_at) — decision by id —,
 *    (customer_id, evaluated_at DESC) and (evaluated_at DESC): one fewer than before, so writes get
 *    no dearer.
 */
export class EvidenceAppendOnly1796122728947 implements MigrationInterface {
  name = 'EvidenceAppendOnly1796122728947';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION policy_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        -- the retirement request (four-eyes retirement: asked, then approved or turned down) may come and go while published
        moves CONSTANT text[] := ARRAY['updated_at', 'superseded_at', 'status', 'retired_by', 'retired_at', 'retire_requested_by', 'retire_requested_at', 'retire_request_comment'];
        was jsonb := to_jsonb(OLD);
        now_ jsonb := to_jsonb(NEW);
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'policy version % is %: it cannot be deleted', OLD.id, OLD.status USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN OLD;
        END IF;
        IF OLD.status = 'retired' THEN
          RAISE EXCEPTION 'policy version % is retired: it cannot change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF OLD.status <> 'published' THEN
          RETURN NEW;
        END IF;
        IF (was - moves) IS DISTINCT FROM (now_ - moves)
          OR NEW.status NOT IN ('published', 'retired')
          -- retirement: status, retired_by and retired_at together, once
          OR (NEW.status = 'retired' AND (OLD.retired_by IS NOT NULL OR OLD.retired_at IS NOT NULL OR NEW.retired_by IS NULL OR NEW.retired_at IS NULL))
          OR (NEW.status = 'published' AND (NEW.retired_by IS DISTINCT FROM OLD.retired_by OR NEW.retired_at IS DISTINCT FROM OLD.retired_at))
          -- superseded_at: set or moved only while it has not passed
          OR (NEW.superseded_at IS DISTINCT FROM OLD.superseded_at AND OLD.superseded_at IS NOT NULL AND OLD.superseded_at <= now())
          -- updated_at moves with a change, never alone
          OR (NEW.updated_at IS DISTINCT FROM OLD.updated_at AND (was - 'updated_at') = (now_ - 'updated_at'))
        THEN
          RAISE EXCEPTION 'policy version % is published: it cannot change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE FUNCTION policy_version_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'policy versions cannot be truncated: published versions are evidence' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER policy_version_no_truncate BEFORE TRUNCATE ON policy_version FOR EACH STATEMENT EXECUTE FUNCTION policy_version_no_truncate()`,
    );

    await q.query(`
      CREATE FUNCTION decision_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'decisions are append-only: % is not allowed (retention drops whole months)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`ALTER TABLE decision RENAME TO decision_unpartitioned`);
    for (const i of ['decision_customer', 'decision_policy', 'decision_at']) await q.query(`DROP INDEX ${i}`);
    await q.query(`ALTER TABLE decision_unpartitioned RENAME CONSTRAINT decision_pkey TO decision_unpartitioned_pkey`);
    await q.query(`
      CREATE TABLE decision (
        id uuid NOT NULL,
        evaluated_at timestamptz NOT NULL,
        as_of timestamptz NOT NULL,
        policy_id uuid NOT NULL,
        policy_key text NOT NULL,
        version_id uuid NOT NULL,
        version_number integer NOT NULL,
        customer_id text,
        actor text NOT NULL,
        facts jsonb NOT NULL,
        eligible boolean NOT NULL,
        tier_key text,
        tier_rank integer,
        benefit_package_key text,
        scores jsonb NOT NULL,
        trace jsonb NOT NULL,
        PRIMARY KEY (id, policy_id, evaluated_at)
      ) PARTITION BY LIST (policy_id)`);
    await q.query(`CREATE INDEX decision_customer ON decision (customer_id, evaluated_at DESC)`);
    await q.query(`CREATE INDEX decision_at ON decision (evaluated_at DESC)`);
    await q.query(`CREATE TRIGGER decision_no_update BEFORE UPDATE OR DELETE ON decision FOR EACH ROW EXECUTE FUNCTION decision_append_only()`);
    await q.query(`CREATE TRIGGER decision_no_truncate BEFORE TRUNCATE ON decision FOR EACH STATEMENT EXECUTE FUNCTION decision_append_only()`);
    await q.query(`
      CREATE FUNCTION decision_partition_for(p_policy uuid, p_day timestamptz) RETURNS text LANGUAGE plpgsql AS $$
      DECLARE
        v_month timestamptz := date_trunc('month', p_day AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
        part text := 'decision_' || replace(p_policy::text, '-', '');
        leaf text := part || '_' || to_char(v_month AT TIME ZONE 'UTC', 'YYYYMM');
      BEGIN
        IF to_regclass(leaf) IS NOT NULL THEN
          RETURN leaf;
        END IF;
        PERFORM pg_advisory_xact_lock(7240002);
        IF to_regclass(part) IS NULL THEN
          EXECUTE format('CREATE TABLE %I PARTITION OF decision FOR VALUES IN (%L) PARTITION BY RANGE (evaluated_at)', part, p_policy);
          EXECUTE format('CREATE TRIGGER decision_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION decision_append_only()', part);
        END IF;
        IF to_regclass(leaf) IS NULL THEN
          EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', leaf, part, v_month, v_month + interval '1 month');
          EXECUTE format('CREATE TRIGGER decision_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION decision_append_only()', leaf);
        END IF;
        RETURN leaf;
      END $$`);
    await q.query(
      `SELECT decision_partition_for(policy_id, m) FROM (SELECT DISTINCT policy_id, date_trunc('month', evaluated_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS m FROM decision_unpartitioned) x`,
    );
    await q.query(`INSERT INTO decision SELECT * FROM decision_unpartitioned`);
    await q.query(`DROP TABLE decision_unpartitioned`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE decision_flat (LIKE decision INCLUDING DEFAULTS)`);
    await q.query(`INSERT INTO decision_flat SELECT * FROM decision`);
    await q.query(`DROP TABLE decision CASCADE`);
    await q.query(`DROP FUNCTION decision_partition_for(uuid, timestamptz)`);
    await q.query(`DROP FUNCTION decision_append_only()`);
    await q.query(`ALTER TABLE decision_flat RENAME TO decision`);
    await q.query(`ALTER TABLE decision ADD PRIMARY KEY (id)`);
    await q.query(`CREATE INDEX decision_customer ON decision (customer_id, evaluated_at DESC)`);
    await q.query(`CREATE INDEX decision_policy ON decision (policy_key, evaluated_at DESC)`);
    await q.query(`CREATE INDEX decision_at ON decision (evaluated_at DESC)`);
    await q.query(`DROP TRIGGER policy_version_no_truncate ON policy_version`);
    await q.query(`DROP FUNCTION policy_version_no_truncate()`);
    // The guard as the policies migration created it.
    await q.query(`
      CREATE OR REPLACE FUNCTION policy_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'policy version % is %: it cannot be deleted', OLD.id, OLD.status USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN OLD;
        END IF;
        IF OLD.status = 'retired' THEN
          RAISE EXCEPTION 'policy version % is retired: it cannot change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF OLD.status = 'published' AND (
             NEW.status NOT IN ('published','retired')
          OR NEW.definition IS DISTINCT FROM OLD.definition OR NEW.frozen IS DISTINCT FROM OLD.frozen
          OR NEW.policy_id IS DISTINCT FROM OLD.policy_id OR NEW.number IS DISTINCT FROM OLD.number
          OR NEW.revision IS DISTINCT FROM OLD.revision OR NEW.change_note IS DISTINCT FROM OLD.change_note
          OR NEW.created_by IS DISTINCT FROM OLD.created_by OR NEW.editors IS DISTINCT FROM OLD.editors
          OR NEW.approved_by IS DISTINCT FROM OLD.approved_by OR NEW.published_by IS DISTINCT FROM OLD.published_by
          OR NEW.published_at IS DISTINCT FROM OLD.published_at OR NEW.effective_from IS DISTINCT FROM OLD.effective_from
          OR (OLD.superseded_at IS NOT NULL AND OLD.superseded_at <= now() AND NEW.superseded_at IS DISTINCT FROM OLD.superseded_at)
        ) THEN
          RAISE EXCEPTION 'policy version % is published: it cannot change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
  }
}
