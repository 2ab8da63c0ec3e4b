// Starts a real PostgreSQL for the tests: the embedded one (the same code the app uses, from dist/),
// or the server named by DATABASE_URL. Either way the run gets a fresh database of its own, migrated
// once here; tests reach it through TEST_DATABASE_URL, and clone TEST_DATABASE_TEMPLATE (the same,
// freshly migrated) for a database of their own.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);

export default async function globalSetup() {
  const { startEmbeddedPostgres } = require('../dist/database/embedded-postgres.js');
  const { migrate } = require('../dist/database/database.js');
  let base = process.env.DATABASE_URL;
  let embedded;
  if (!base) {
    const dir = mkdtempSync(path.join(tmpdir(), 'tierwise-test-pg-'));
    embedded = await startEmbeddedPostgres(dir, () => undefined);
    base = embedded.url;
  }
  const name = `tierwise_test_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  process.env.TEST_DATABASE_URL = url.toString();
  process.env.TEST_DATABASE_ADMIN_URL = base;
  await migrate(url.toString());
  // A copy of the freshly migrated database, never connected to: tests that need a database of their
  // own clone it (CREATE DATABASE … TEMPLATE, ~0.1 s) instead of migrating one (0.4–2.2 s each).
  const template = `${name}_template`;
  const admin2 = new pg.Client({ connectionString: base });
  await admin2.connect();
  await admin2.query(`CREATE DATABASE ${template} TEMPLATE ${name}`);
  await admin2.end();
  process.env.TEST_DATABASE_TEMPLATE = template;
  globalThis.__tierwiseTest = { embedded, base, name, template };
}
