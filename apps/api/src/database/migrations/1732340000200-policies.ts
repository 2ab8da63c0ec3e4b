import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Policies1732340000200 implements MigrationInterface {
  name = 'Policies1732340000200';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fact (
        key text PRIMARY KEY,
        label text NOT NULL,
        label_en text,
        type text NOT NULL CHECK (type IN ('number','integer','boolean','string','enum','string[]','date')),
        unit text,
        enum_values jsonb,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE benefit (
        key text PRIMARY KEY,
        name text NOT NULL,
        name_en text,
        description text,
        unit_cost numeric(18,2) CHECK (unit_cost IS NULL OR unit_cost >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE benefit_package (
        key text PRIMARY KEY,
        name text NOT NULL,
        name_en text,
        benefits text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE policy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL UNIQUE,
        name text NOT NULL,
        description text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE policy_version (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES policy(id),
        number integer NOT NULL,
        status text NOT NULL CHECK (status IN ('draft','in_review','approved','published','retired')),
        revision integer NOT NULL DEFAULT 1,
        definition jsonb NOT NULL,
        change_note text,
        based_on uuid REFERENCES policy_version(id),
        created_by text NOT NULL,
        editors text[] NOT NULL,
        submitted_by text, submitted_at timestamptz,
        approved_by text, approved_at timestamptz,
        published_by text, published_at timestamptz,
        effective_from timestamptz,
        superseded_at timestamptz,
        retired_by text, retired_at timestamptz,
        frozen jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (policy_id, number)
      )`);
    await q.query(`CREATE UNIQUE INDEX policy_version_effective ON policy_version (policy_id, effective_from) WHERE effective_from IS NOT NULL`);
    // Published and retired versions are immutable; the only changes allowed are the lifecycle stamps.
    await q.query(`
      CREATE FUNCTION policy_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await q.query(`CREATE TRIGGER policy_version_immutable BEFORE UPDATE OR DELETE ON policy_version FOR EACH ROW EXECUTE FUNCTION policy_version_guard()`);
    await q.query(`
      CREATE TABLE policy_test_case (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES policy(id),
        name text NOT NULL,
        facts jsonb NOT NULL,
        expected_tier text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX policy_test_case_policy ON policy_test_case (policy_id)`);
    await q.query(`
      CREATE TABLE decision (
        id uuid PRIMARY KEY,
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
        trace jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX decision_customer ON decision (customer_id, evaluated_at DESC)`);
    await q.query(`CREATE INDEX decision_policy ON decision (policy_key, evaluated_at DESC)`);
    await q.query(`CREATE INDEX decision_at ON decision (evaluated_at DESC)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE decision`);
    await q.query(`DROP TABLE policy_test_case`);
    await q.query(`DROP TABLE policy_version`);
    await q.query(`DROP FUNCTION policy_version_guard()`);
    await q.query(`DROP TABLE policy`);
    await q.query(`DROP TABLE benefit_package`);
    await q.query(`DROP TABLE benefit`);
    await q.query(`DROP TABLE fact`);
  }
}
