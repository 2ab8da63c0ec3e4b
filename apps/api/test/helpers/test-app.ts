import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/common/logging/logger';
import { AppConfig, loadConfig } from '../../src/config/config';
import type { Role } from '../../src/common/access/roles';
import { UsersService } from '../../src/users/users.service';
import { AuthService } from '../../src/auth/auth.service';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  config: AppConfig & { databaseUrl: string };
  /** A fresh user with these roles (unique name per call), and their bearer token. */
  login(roles: Role[], name?: string): Promise<{ username: string; token: string; auth: { Authorization: string } }>;
  close(): Promise<void>;
}

import { TEST_AUDIT_KEY } from './test-keys';
import { createMigratedDatabase } from './databases';

export { TEST_AUDIT_KEY };

export function databaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is set by test/global-setup.mjs');
  return url;
}

/** The real AppModule, in-process, on the run's real PostgreSQL database. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  // A data folder of its own (the audit anchors are written there), never the developer's .data.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tierwise-test-data-'));
  // Tuning a test sets in process.env before it starts the app (threads, chunk sizes, webhook timings, sweeps)
  // reaches the app as it reaches a started server; the rest of the developer's environment does not.
  const tuning = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(SIMULATION|DATASET|WEBHOOK|RATING|OVERRIDE)_/.test(k)));
  const base = loadConfig({
    // One job thread unless the test asks for more (each thread compiles the TypeScript as it starts:
    // ~1.1 CPU-s per thread per app, which the tests that do not run jobs would pay for nothing).
    SIMULATION_THREADS: '1',
    ...tuning,
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl(),
    SEED_TEMPLATES: 'false',
    AUDIT_KEY: TEST_AUDIT_KEY,
    TIERWISE_DATA_DIR: dataDir,
    ...env,
  });
  const config = { ...base, databaseUrl: databaseUrl() };
  const app = await createApp(config, createLogger('silent'));
  await app.init();
  const http = request(app.getHttpServer());
  const users = app.get(UsersService);
  const auth = app.get(AuthService);
  const ds = app.get(DataSource);
  return {
    app,
    http,
    config,
    async login(roles, name) {
      const username = `${name ?? roles.join('-')}-${randomUUID().slice(0, 8)}`;
      const password = 'correct horse battery';
      const user = await users.create('test-setup', { username, password, roles });
      // The token POST /api/auth/login signs for this user (AuthService.tokenFor), without verifying the
      // password hash again: ~0.2 CPU-s of argon2 per login, ~200 logins per pass. The sign-in route
      // itself is tested where it is the subject (auth, login-defences, roles, ...).
      const [{ tokenVersion }] = (await ds.query('SELECT token_version AS "tokenVersion" FROM app_user WHERE id = $1', [user.id])) as {
        tokenVersion: number;
      }[];
      const token = await auth.tokenFor({ id: user.id, username, roles: user.roles, tokenVersion });
      return { username, token, auth: { Authorization: `Bearer ${token}` } };
    },
    close: () => app.close(),
  };
}

/**
 * An app on a database of its own (a freshly migrated one), for tests that must see the whole
 * audit chain alone or that tamper with it. Dropped by `close()`.
 */
export async function createIsolatedTestApp(env: Record<string, string> = {}): Promise<TestApp & { url: string; db: Client }> {
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL });
  await admin.connect();
  const { name, url } = await createMigratedDatabase(admin, 'tierwise_iso');
  const previous = process.env.TEST_DATABASE_URL;
  process.env.TEST_DATABASE_URL = url;
  try {
    const t = await createTestApp(env);
    const db = new Client({ connectionString: url });
    await db.connect();
    return {
      ...t,
      url,
      db,
      async close() {
        await db.end();
        await t.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  } finally {
    process.env.TEST_DATABASE_URL = previous;
  }
}
