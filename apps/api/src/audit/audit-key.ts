import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AppConfig, ConfigError } from '../config/config';

/**
 * The key that seals the audit chain (HMAC-SHA256). It is kept outside the database, so whoever can
 * write to the database (a DBA, a stolen superuser password) still cannot append an event that
 * verifies, nor re-hash a rewritten chain.
 *
 * Where it comes from, first match wins:
 * 1. `AUDIT_KEY` (at least 32 characters);
 * 2. `AUDIT_KEY_FILE`, a file holding it (kept to its owner: a file others can read is refused);
 * 3. demo mode only: `<TIERWISE_DATA_DIR>/audit.key`, generated on first start, mode 0600.
 * With `DATABASE_URL` (production) and neither 1 nor 2, the server does not start and says why.
 */
export interface AuditKey {
  key: Buffer;
  /** A fingerprint stored with each event (`key_id`): tells "another key" apart from "altered". Not secret. */
  id: string;
  source: string;
}

export const DEMO_KEY_FILE = 'audit.key';

export function auditKeyId(key: Buffer): string {
  return createHash('sha256').update('tierwise audit key id\n').update(key).digest('hex').slice(0, 16);
}

function fromText(text: string, source: string): AuditKey {
  const trimmed = text.trim();
  if (trimmed.length < 32) throw new ConfigError(`The audit key in ${source} is too short: it must be at least 32 characters`);
  const key = Buffer.from(trimmed, 'utf8');
  return { key, id: auditKeyId(key), source };
}

function readKeyFile(file: string, own: boolean): AuditKey {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    throw new ConfigError(`Invalid setting AUDIT_KEY_FILE=${JSON.stringify(file)}: no such file`);
  }
  if (mode & 0o077) {
    if (!own) throw new ConfigError(`The audit key file ${file} can be read by others (mode ${mode.toString(8)}): chmod 600 it`);
    chmodSync(file, 0o600);
  }
  return fromText(readFileSync(file, 'utf8'), file);
}

export function resolveAuditKey(config: Pick<AppConfig, 'auditKey' | 'auditKeyFile' | 'demoMode' | 'dataDir'>): AuditKey {
  if (config.auditKey) return fromText(config.auditKey, 'AUDIT_KEY');
  if (config.auditKeyFile) return readKeyFile(config.auditKeyFile, false);
  if (!config.demoMode) {
    throw new ConfigError(
      'AUDIT_KEY is not set: with DATABASE_URL the audit chain is sealed with a key kept outside the database. ' +
        'Set AUDIT_KEY (at least 32 random characters, e.g. `openssl rand -base64 32`) or AUDIT_KEY_FILE (a file holding it, mode 600), and keep it safe: it verifies every event ever written',
    );
  }
  const file = path.join(config.dataDir, DEMO_KEY_FILE);
  mkdirSync(config.dataDir, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return readKeyFile(file, true);
}
