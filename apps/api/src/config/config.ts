import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import { passwordProblems } from '../common/access/password-policy';
import { defaultSimulationThreads, SimulationSettings } from './simulation.settings';

export { defaultSimulationThreads, workerSimulationThreads } from './simulation.settings';
export type { SimulationSettings } from './simulation.settings';

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

/** A whole number in [min, max]; `fallback` when unset. */
const whole = (fallback: number, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`)
    .default(fallback);

const cron = z.string().refine((value) => {
  if (value === 'off') return true;
  try {
    new Cron(value, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}, 'must be a cron pattern like "5 * * * *" or off');

/**
 * Every setting of the API, its HTTP workers and the job worker (`npm run worker`), read from the
 * environment once at start; the first bad one stops the process with one line naming it.
 */
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

  DECISION_UPKEEP_CRON: cron.default('10 0 * * *'),

  // Datasets and simulations (and rating runs, which use the same job machinery)
  SIMULATION_THREADS: whole(defaultSimulationThreads(), 1, 64),
  SIMULATION_MAX_RUNS: whole(2, 1, 32),
  SIMULATION_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, _ or - (at most 64)')
    .default('tierwise-simulation'),
  SIMULATION_RECOVERY_MS: whole(5000, 100, 3_600_000),
  SIMULATION_CHUNK_DELAY_MS: whole(0, 0, 60_000),
  DATASET_CHUNK_ROWS: whole(20_000, 10, 1_000_000),
  DATASET_IMPORT_PART_BYTES: whole(8 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  WORKER_CONCURRENCY: whole(2, 1, 64),

  // Webhook delivery
  WEBHOOK_ALLOWED_HOSTS: z.string().default(''),
  WEBHOOK_DELIVERY: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  WEBHOOK_BATCH: whole(500, 1, 10_000),
  WEBHOOK_CONCURRENCY: whole(16, 1, 256),
  WEBHOOK_BACKOFF_MS: whole(1000, 10, 3_600_000),
  WEBHOOK_BACKOFF_CAP_MS: whole(300_000, 10, 86_400_000),
  WEBHOOK_MAX_ATTEMPTS: whole(12, 1, 100),
  WEBHOOK_TIMEOUT_MS: whole(10_000, 100, 120_000),
  WEBHOOK_POLL_MS: whole(500, 10, 60_000),
  WEBHOOK_PARALLEL: whole(2, 1, 64),
  WEBHOOK_NICE: whole(10, 0, 19),

  // Rating cycles and overrides
  RATING_CYCLE_CRON: cron.default('5 * * * *'),
  RATING_APPLY_DELAY_MS: whole(0, 0, 600_000),
  OVERRIDE_SWEEP_MS: whole(30_000, 50, 3_600_000),
});

/**
 * Webhook delivery:
 *
 * - WEBHOOK_ALLOWED_HOSTS: host names (comma-separated) a webhook may target although they resolve to
 *   private, loopback or link-local addresses; every other target must resolve to public addresses only.
 * - WEBHOOK_DELIVERY: `on` (default) or `off` (this process delivers nothing; events stay in the outbox).
 * - WEBHOOK_BATCH: events per batch and webhook (default 500); WEBHOOK_CONCURRENCY: POSTs in flight (default 16).
 * - WEBHOOK_BACKOFF_MS / WEBHOOK_BACKOFF_CAP_MS: first retry delay, doubling up to the cap (1 s / 5 min).
 * - WEBHOOK_MAX_ATTEMPTS: attempts before a delivery is parked `failed` (default 12, retryable by hand).
 * - WEBHOOK_TIMEOUT_MS: one POST's limit (default 10 s); WEBHOOK_POLL_MS: idle poll of the outbox (default 500).
 * - WEBHOOK_PARALLEL: with REDIS_URL, BullMQ delivery jobs per webhook at once (default 2; each claims its own batches).
 * - WEBHOOK_NICE: nice value of the API's delivery thread (default 10, 0–19): delivery yields the CPU to requests.
 *
 * BullMQ workers (`npm run worker`) deliver with the same settings, read from their own environment.
 */
export interface EventsSettings {
  allowedHosts: Set<string>;
  delivery: boolean;
  batch: number;
  concurrency: number;
  backoffMs: number;
  backoffCapMs: number;
  maxAttempts: number;
  timeoutMs: number;
  pollMs: number;
  parallel: number;
  nice: number;
}

/**
 * Rating cycles and overrides:
 *
 * - RATING_CYCLE_CRON: when due rating cycles are opened (default `5 * * * *`; `off`: never by this process).
 * - RATING_APPLY_DELAY_MS: test and demo knob, a pause inside the apply transaction before it commits (default 0).
 * - OVERRIDE_SWEEP_MS: how often active overrides are checked for expiry (default 30 s; also at start).
 */
export interface RatingSettings {
  /** null = `off`. */
  cycleCron: string | null;
  applyDelayMs: number;
  overrideSweepMs: number;
}

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
  /** When the decision log's months are created and dropped (DECISION_UPKEEP_CRON, UTC; null = `off`: only at start). */
  decisionUpkeepCron: string | null;
  simulation: SimulationSettings;
  webhooks: EventsSettings;
  rating: RatingSettings;
  /** Chunk jobs one `npm run worker` process runs at once (WORKER_CONCURRENCY). */
  workerConcurrency: number;
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
    decisionUpkeepCron: e.DECISION_UPKEEP_CRON === 'off' ? null : e.DECISION_UPKEEP_CRON,
    simulation: {
      threads: e.SIMULATION_THREADS,
      maxRuns: e.SIMULATION_MAX_RUNS,
      queue: e.SIMULATION_QUEUE,
      recoveryMs: e.SIMULATION_RECOVERY_MS,
      chunkDelayMs: e.SIMULATION_CHUNK_DELAY_MS,
      chunkRows: e.DATASET_CHUNK_ROWS,
      importPartBytes: e.DATASET_IMPORT_PART_BYTES,
    },
    webhooks: {
      allowedHosts: new Set(
        e.WEBHOOK_ALLOWED_HOSTS.split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      ),
      delivery: e.WEBHOOK_DELIVERY === 'on',
      batch: e.WEBHOOK_BATCH,
      concurrency: e.WEBHOOK_CONCURRENCY,
      backoffMs: e.WEBHOOK_BACKOFF_MS,
      backoffCapMs: e.WEBHOOK_BACKOFF_CAP_MS,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      pollMs: e.WEBHOOK_POLL_MS,
      parallel: e.WEBHOOK_PARALLEL,
      nice: e.WEBHOOK_NICE,
    },
    rating: {
      cycleCron: e.RATING_CYCLE_CRON === 'off' ? null : e.RATING_CYCLE_CRON,
      applyDelayMs: e.RATING_APPLY_DELAY_MS,
      overrideSweepMs: e.OVERRIDE_SWEEP_MS,
    },
    workerConcurrency: e.WORKER_CONCURRENCY,
  };
}

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export const APP_CONFIG = Symbol('APP_CONFIG');
/** `AppConfig.simulation`, for the modules that need only it. */
export const SIMULATION_SETTINGS = Symbol('SIMULATION_SETTINGS');
/** `AppConfig.webhooks`. */
export const EVENTS_SETTINGS = Symbol('EVENTS_SETTINGS');
