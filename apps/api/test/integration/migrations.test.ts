import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/typeorm-options';
import { MIGRATIONS } from '../../src/database/migrations';

// The schema is the migrations' (synchronize is never used): on a fresh database they must build
// exactly what the entities describe, and every down() must run, leaving a database the ups rebuild.
describe('migrations', () => {
  const adminUrl = () => process.env.TEST_DATABASE_ADMIN_URL as string;
  const name = `tierwise_mig_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  let admin: Client;
  let ds: DataSource;

  beforeAll(async () => {
    admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl());
    url.pathname = `/${name}`;
    ds = new DataSource(buildDataSourceOptions(url.toString()));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  /**
   * What TypeORM would change to make the database match the entities, less what only the database
   * states: foreign keys, CHECKs, indexes and column defaults live in the migrations (the entities do
   * not restate them, and TypeORM would drop them), and the decision log's primary key includes its
   * partition key (policy_id), which TypeORM cannot model. Everything else — a table, a column, a type,
   * nullability the entities need — must be built by the migrations.
   */
  const pending = async () =>
    (await ds.driver.createSchemaBuilder().log()).upQueries
      .map((q) => q.query)
      .filter((q) => !/ DROP CONSTRAINT "\w+_(fkey|check|key)"$| DROP CONSTRAINT "tier_history_run"$|^DROP INDEX | ALTER COLUMN "\w+" DROP DEFAULT$/.test(q))
      .filter((q) => !/^ALTER TABLE "decision" (DROP|ADD) CONSTRAINT "decision_pkey"/.test(q));

  /** Tables, columns, constraints and indexes as the database has them. */
  const schema = async () => ({
    columns: await ds.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`,
    ),
    constraints: await ds.query(
      `SELECT conrelid::regclass::text AS t, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
    ),
    indexes: await ds.query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`),
    triggers: await ds.query(`SELECT tgrelid::regclass::text AS t, tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2`),
  });
  let first: Awaited<ReturnType<typeof schema>>;

  it('a fresh database migrated has no schema difference from the entities', async () => {
    const ran = await ds.runMigrations({ transaction: 'each' });
    expect(ran).toHaveLength(MIGRATIONS.length);
    expect(await pending()).toEqual([]);
    first = await schema();
    expect(first.columns.length).toBeGreaterThan(50);
  });

  it('every down() runs, newest first, and the ups then rebuild the same schema', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await ds.query(`SELECT count(*)::int AS n FROM migrations`)).toEqual([{ n: 0 }]);
    const left = await ds.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`);
    expect(left[0].n).toBe(0);
    expect(await ds.runMigrations({ transaction: 'each' })).toHaveLength(MIGRATIONS.length);
    expect(await schema()).toEqual(first);
    expect(await pending()).toEqual([]);
  });
});
