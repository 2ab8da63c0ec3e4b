import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/common/logging/logger';
import { migrate } from '../../src/database/database';
import { AppConfig, loadConfig } from '../../src/config/config';
import type { Role } from '../../src/common/access/roles';
import { UsersService } from '../../src/users/users.service';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  config: AppConfig & { databaseUrl: string };
  /** A fresh user with these roles (unique name per call), and their bearer token. */
  login(roles: Role[], name?: string): Promise<{ username: string; token: string; auth: { Authorization: string } }>;
  close(): Promise<void>;
}

import { TEST_AUDIT_KEY } from './test-keys';

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
  return {
    app,
    http,
    config,
    async login(roles, name) {
      const username = `${name ?? roles.join('-')}-${randomUUID().slice(0, 8)}`;
      const password = 'correct horse battery';
      await users.create('test-setup', { username, password, roles });
      const res = await http.post('/api/auth/login').send({ username, password }).expect(200);
      const token = res.body.accessToken as string;
      return { username, token, auth: { Authorization: `Bearer ${token}` } };
    },
    close: () => app.close(),
  };
}

/**
 * An app on a database of its own (created and migrated here), for tests that must see the whole
 * audit chain alone or that tamper with it. Dropped by `close()`.
 */
export async function createIsolatedTestApp(env: Record<string, string> = {}): Promise<TestApp & { url: string; db: Client }> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL as string;
  const name = `tierwise_iso_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const previous = process.env.TEST_DATABASE_URL;
  process.env.TEST_DATABASE_URL = url.toString();
  try {
    const t = await createTestApp(env);
    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    return {
      ...t,
      url: url.toString(),
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
