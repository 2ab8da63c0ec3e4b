import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { z } from 'zod';
import { passwordProblems } from '../common/access/password-policy';

/** Repository root, from both src/ (jest) and dist/ (node). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

const postgresUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}, 'must be a URL like postgres://user:password@host:5432/database');

const redisUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}, 'must be a URL like redis://host:6379');

const port = z
  .string()
  .regex(/^\d+$/, 'must be a whole number between 0 and 65535')
  .transform(Number)
  .refine((n) => n <= 65535, 'must be a whole number between 0 and 65535');

const positiveInt = (fallback: number) =>
  z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive whole number')
    .transform(Number)
    .default(fallback);

const seconds = (fallback: number) => z.string().regex(/^\d+$/, 'must be a whole number of seconds').transform(Number).default(fallback);

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .default(fallback);

const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: postgresUrl.optional(),
  REDIS_URL: redisUrl.optional(),
  TIERWISE_DATA_DIR: z.string().min(1).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_TTL_SECONDS: positiveInt(8 * 3600),
  ADMIN_USERNAME: z.string().min(3, 'must be at least 3 characters').optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  DEMO_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  LOGIN_MAX_FAILURES: positiveInt(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: positiveInt(30),
  LOGIN_LOCKOUT_SECONDS: positiveInt(30),
  SEED_TEMPLATES: bool(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CONSOLE_DIR: z.string().min(1).optional(),
  MAX_UPLOAD_MB: positiveInt(200),
  DECISION_LOG_BATCH: positiveInt(500),
  DECISION_LOG: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  WEB_CONCURRENCY: positiveInt(1),
  SHUTDOWN_GRACE_SECONDS: positiveInt(25),
  SHUTDOWN_DELAY_SECONDS: seconds(0),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_PORT: port.optional(),
  METRICS: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  AUDIT_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  AUDIT_KEY_FILE: z.string().min(1).optional(),
  AUDIT_ANCHOR_SECONDS: positiveInt(300),
  DECISION_RETENTION_MONTHS: z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive whole number of months')
    .transform(Number)
    .optional(),
});

export interface AppConfig {
  port: number;
  host: string;
  /** Unset = embedded PostgreSQL in `dataDir` (the demo mode). */
  databaseUrl?: string;
  redisUrl?: string;
  demoMode: boolean;
  dataDir: string;
  jwtSecret?: string;
  jwtTtlSeconds: number;
  adminUsername?: string;
  adminPassword?: string;
  demoPassword?: string;
  seedTemplates: boolean;
  logLevel: string;
  consoleDir: string;
  maxUploadBytes: number;
  decisionLogBatch: number;
  /**
   * false only for the benchmark's "same server without logging" twin: `/api/evaluate` then records
   * nothing and answers without a decisionId; the server warns at start and `/api/health` says so.
   */
  decisionLog: boolean;
  /** HTTP worker processes (node:cluster); 1 = serve from the main process. */
  webConcurrency: number;
  /** SIGTERM: readiness false at once; keep serving `delaySeconds`; then stop accepting and wait for in-flight requests up to `graceSeconds`. */
  shutdown: { graceSeconds: number; delaySeconds: number };
  /** `/metrics` on the public port only with this bearer token (unset: 404 there). */
  metricsToken?: string;
  /** `/metrics` without a token on a port of its own (unset: none). */
  metricsPort?: number;
  /** false only for the benchmark's twin without metrics: nothing is recorded, /metrics is 404 everywhere. */
  metrics: boolean;
  /** Failed sign-ins (per account, and per client address) before a lockout that doubles on each repeat. */
  login: { maxFailures: number; maxFailuresPerAddress: number; lockoutSeconds: number };
  /** The audit chain's HMAC key (AUDIT_KEY), or a file holding it (AUDIT_KEY_FILE); see audit/audit-key.ts. */
  auditKey?: string;
  auditKeyFile?: string;
  /** How often the chain's head is published outside the database (anchor file + log line). */
  auditAnchorSeconds: number;
  /** Decisions older than this many months are dropped, a whole month at a time (audited); unset = kept for ever. */
  decisionRetentionMonths?: number;
}

/** A setting that cannot be used; `message` is the one line shown to the operator. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Read and validate the environment once, at boot. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    const shown =
      name.includes('PASSWORD') || name.includes('SECRET') || name.includes('TOKEN') || name === 'AUDIT_KEY' ? '(hidden)' : JSON.stringify(env[name]);
    throw new ConfigError(`Invalid setting ${name}=${shown}: ${issue.message}`);
  }
  const e = parsed.data;
  if ((e.ADMIN_USERNAME === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('Invalid setting ADMIN_USERNAME/ADMIN_PASSWORD: set both or neither');
  }
  // the same password policy as for every account: a weak first admin would be the easiest way in
  for (const [name, value, username] of [
    ['ADMIN_PASSWORD', e.ADMIN_PASSWORD, e.ADMIN_USERNAME],
    ['DEMO_PASSWORD', e.DEMO_PASSWORD, undefined],
  ] as const) {
    const problem = value === undefined ? undefined : passwordProblems(value, username)[0];
    if (problem) throw new ConfigError(`Invalid setting ${name}=(hidden): ${problem.message}`);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    demoMode: e.DATABASE_URL === undefined,
    dataDir: path.resolve(e.TIERWISE_DATA_DIR ?? path.join(REPO_ROOT, '.data')),
    jwtSecret: e.JWT_SECRET,
    jwtTtlSeconds: e.JWT_TTL_SECONDS,
    adminUsername: e.ADMIN_USERNAME,
    adminPassword: e.ADMIN_PASSWORD,
    demoPassword: e.DEMO_PASSWORD,
    seedTemplates: e.SEED_TEMPLATES,
    logLevel: e.LOG_LEVEL,
    consoleDir: path.resolve(e.CONSOLE_DIR ?? path.join(REPO_ROOT, 'apps', 'console', 'dist')),
    maxUploadBytes: e.MAX_UPLOAD_MB * 1024 * 1024,
    decisionLogBatch: e.DECISION_LOG_BATCH,
    decisionLog: e.DECISION_LOG === 'on',
    webConcurrency: e.WEB_CONCURRENCY,
    shutdown: { graceSeconds: e.SHUTDOWN_GRACE_SECONDS, delaySeconds: e.SHUTDOWN_DELAY_SECONDS },
    metricsToken: e.METRICS === 'on' ? e.METRICS_TOKEN : undefined,
    metricsPort: e.METRICS === 'on' ? e.METRICS_PORT : undefined,
    metrics: e.METRICS === 'on',
    login: { maxFailures: e.LOGIN_MAX_FAILURES, maxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS, lockoutSeconds: e.LOGIN_LOCKOUT_SECONDS },
    auditKey: e.AUDIT_KEY,
    auditKeyFile: e.AUDIT_KEY_FILE ? path.resolve(e.AUDIT_KEY_FILE) : undefined,
    auditAnchorSeconds: e.AUDIT_ANCHOR_SECONDS,
    decisionRetentionMonths: e.DECISION_RETENTION_MONTHS,
  };
}

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export const APP_CONFIG = Symbol('APP_CONFIG');
