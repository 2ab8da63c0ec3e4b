import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SEEDED_DATA_DIR_ENV, startAppServerIn } from './app-server';

/**
 * The API's first start, once per run, on an empty data directory (embedded PostgreSQL initialised,
 * migrated, demo users and shipped templates loaded), stopped cleanly: every test file's server starts on
 * a copy of that directory (startAppServer). Removed by global-teardown.ts.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tierwise-browser-seeded-'));
  const server = await startAppServerIn(dataDir);
  await server.stop();
  process.env[SEEDED_DATA_DIR_ENV] = dataDir;
}
