import pg from 'pg';

export default async function globalTeardown() {
  const state = globalThis.__tierwiseTest;
  if (!state) return;
  const admin = new pg.Client({ connectionString: state.base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${state.name} WITH (FORCE)`);
  if (state.template) await admin.query(`DROP DATABASE IF EXISTS ${state.template} WITH (FORCE)`);
  await admin.end();
  if (state.embedded) await state.embedded.stop();
}
