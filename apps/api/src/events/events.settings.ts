import type { EventsSettings } from '../config/config';

// The WEBHOOK_* settings are read and validated with every other setting by loadConfig (config/config.ts).
export { EVENTS_SETTINGS, type EventsSettings } from '../config/config';

/** Delay before attempt `n + 1` after `n` failed ones: doubling from the base, capped. */
export function backoff(s: Pick<EventsSettings, 'backoffMs' | 'backoffCapMs'>, failed: number): number {
  return Math.min(s.backoffCapMs, s.backoffMs * 2 ** Math.max(0, Math.min(30, failed - 1)));
}
