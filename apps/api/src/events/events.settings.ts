import { z } from 'zod';

/**
 * Webhook delivery, read from the environment when the module starts (a bad value stops startup):
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

const whole = (fallback: number, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`)
    .default(fallback);

const schema = z.object({
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
});

export function loadEventsSettings(env: NodeJS.ProcessEnv = process.env): EventsSettings {
  const raw = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`${String(i.path[0])} ${i.message}`);
  }
  const s = r.data;
  return {
    allowedHosts: new Set(
      s.WEBHOOK_ALLOWED_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
    delivery: s.WEBHOOK_DELIVERY === 'on',
    batch: s.WEBHOOK_BATCH,
    concurrency: s.WEBHOOK_CONCURRENCY,
    backoffMs: s.WEBHOOK_BACKOFF_MS,
    backoffCapMs: s.WEBHOOK_BACKOFF_CAP_MS,
    maxAttempts: s.WEBHOOK_MAX_ATTEMPTS,
    timeoutMs: s.WEBHOOK_TIMEOUT_MS,
    pollMs: s.WEBHOOK_POLL_MS,
    parallel: s.WEBHOOK_PARALLEL,
    nice: s.WEBHOOK_NICE,
  };
}

export const EVENTS_SETTINGS = Symbol('EVENTS_SETTINGS');

/** Delay before attempt `n + 1` after `n` failed ones: doubling from the base, capped. */
export function backoff(s: Pick<EventsSettings, 'backoffMs' | 'backoffCapMs'>, failed: number): number {
  return Math.min(s.backoffCapMs, s.backoffMs * 2 ** Math.max(0, Math.min(30, failed - 1)));
}
