import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Role } from '../common/access/roles';
import type { AppConfig } from '../config/config';
import type { UsersService } from '../users/users.service';

export interface DemoLogin {
  username: string;
  roles: Role[];
}

/** Demo accounts: one per role, plus one who holds both author and approver (to show four-eyes). */
export const DEMO_USERS: DemoLogin[] = [
  { username: 'admin', roles: ['admin'] },
  { username: 'author', roles: ['author'] },
  { username: 'approver', roles: ['approver'] },
  { username: 'compliance', roles: ['compliance'] },
  { username: 'viewer', roles: ['viewer'] },
  { username: 'service', roles: ['service'] },
  { username: 'author2', roles: ['author', 'approver'] },
];

/** The demo password: DEMO_PASSWORD, else one generated on first start and kept in the data dir (never in the repo). */
export function demoPassword(config: AppConfig): string {
  if (config.demoPassword) return config.demoPassword;
  const file = path.join(config.dataDir, 'demo-password.txt');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const generated = randomBytes(9).toString('base64url');
  writeFileSync(file, generated + '\n', { mode: 0o600 });
  return generated;
}

/** The first admin from ADMIN_USERNAME/ADMIN_PASSWORD; in demo mode, the demo accounts. */
export async function seedUsers(config: AppConfig, users: UsersService): Promise<{ demo?: { password: string; users: DemoLogin[] } }> {
  if (config.adminUsername && config.adminPassword) {
    await users.ensureUser({ username: config.adminUsername, password: config.adminPassword, roles: ['admin'] });
  }
  if (!config.demoMode) return {};
  const password = demoPassword(config);
  for (const u of DEMO_USERS) await users.ensureUser({ ...u, password });
  return { demo: { password, users: DEMO_USERS } };
}
