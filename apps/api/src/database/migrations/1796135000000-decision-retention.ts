import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decision retention per policy (issue 17): `policy.decision_retention_months` is how many months a
 * policy's decisions are kept (null: DECISION_RETENTION_MONTHS, or for ever when that is unset). A
 * change is four-eyed: it waits in `decision_retention_request` ({months, requestedBy, requestedAt,
 * comment}) until someone else approves it. Retention drops whole months of the policy's part of the
 * log (migration EvidenceAppendOnly), never rows.
 *
 * Every table of the log — the parent, each policy's part and each month — also refuses UPDATE and
 * DELETE per statement (besides the row trigger the parent passes down), so a statement on any
 * partition is refused even when it would touch no row; `decision_partition_for` adds the statement
 * triggers to the tables it creates.
 */
export class DecisionRetention1796135000000 implements MigrationInterface {
  name = 'DecisionRetention1796135000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE policy ADD COLUMN decision_retention_months integer CHECK (decision_retention_months BETWEEN 1 AND 1200)`);
    await q.query(`ALTER TABLE policy ADD COLUMN decision_retention_request jsonb`);
    await q.query(`
      CREATE OR REPLACE FUNCTION decision_refuse_changes(p_table text) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        EXECUTE format('CREATE TRIGGER decision_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION decision_append_only()', p_table);
        EXECUTE format('CREATE TRIGGER decision_no_change BEFORE UPDATE OR DELETE ON %I FOR EACH STATEMENT EXECUTE FUNCTION decision_append_only()', p_table);
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION decision_partition_for(p_policy uuid, p_day timestamptz) RETURNS text LANGUAGE plpgsql AS $$
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
          PERFORM decision_refuse_changes(part);
        END IF;
        IF to_regclass(leaf) IS NULL THEN
          EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', leaf, part, v_month, v_month + interval '1 month');
          PERFORM decision_refuse_changes(leaf);
        END IF;
        RETURN leaf;
      END $$`);
    await q.query(`CREATE TRIGGER decision_no_change BEFORE UPDATE OR DELETE ON decision FOR EACH STATEMENT EXECUTE FUNCTION decision_append_only()`);
    await q.query(`
      DO $$
      DECLARE t regclass;
      BEGIN
        FOR t IN SELECT relid FROM pg_partition_tree('decision') WHERE relid <> 'decision'::regclass LOOP
          EXECUTE format('CREATE TRIGGER decision_no_change BEFORE UPDATE OR DELETE ON %s FOR EACH STATEMENT EXECUTE FUNCTION decision_append_only()', t);
        END LOOP;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      DECLARE t regclass;
      BEGIN
        FOR t IN SELECT relid FROM pg_partition_tree('decision') LOOP
          EXECUTE format('DROP TRIGGER IF EXISTS decision_no_change ON %s', t);
        END LOOP;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION decision_partition_for(p_policy uuid, p_day timestamptz) RETURNS text LANGUAGE plpgsql AS $$
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
    await q.query(`DROP FUNCTION decision_refuse_changes(text)`);
    await q.query(`ALTER TABLE policy DROP COLUMN decision_retention_request`);
    await q.query(`ALTER TABLE policy DROP COLUMN decision_retention_months`);
  }
}
