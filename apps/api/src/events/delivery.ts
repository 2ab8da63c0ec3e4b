import { createHmac } from 'node:crypto';
import type { Pool as PgPool } from 'pg';
import { Pool as HttpPool } from 'undici';
import type { EventsSettings } from '../config/config';
import { backoff } from './events.settings';
import { checkTarget, TargetVerdict } from './target-check';

export interface TierEventRecord {
  seq: string;
  id: string;
  type: string;
  occurred_at: Date;
  policy_key: string;
  customer_id: string;
  from_tier: string | null;
  to_tier: string | null;
  change: string | null;
  run_id: string | null;
  override_id: string | null;
}

export interface WebhookRecord {
  id: string;
  url: string;
  events: string[];
  secret: string;
  active: boolean;
  fail_streak: number;
  blocked_until: Date | null;
}

/** The body of one delivery (contract §9). */
export function eventPayload(e: TierEventRecord) {
  return {
    id: e.id,
    type: e.type,
    occurredAt: e.occurred_at.toISOString(),
    customerId: e.customer_id,
    policy: e.policy_key,
    from: e.from_tier,
    to: e.to_tier,
    change: e.change,
    ...(e.run_id ? { runId: e.run_id } : {}),
    ...(e.override_id ? { overrideId: e.override_id } : {}),
  };
}

/** `sha256=<hex HMAC-SHA256(secret, raw body)>`, the X-Tierwise-Signature header. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface Outcome {
  ok: boolean;
  code: number | null;
  error: string | null;
}

/**
 * The POSTs: one undici connection pool per target origin (keep-alive, `WEBHOOK_CONCURRENCY`
 * connections), redirects not followed, each request bounded by `WEBHOOK_TIMEOUT_MS`.
 */
export class Poster {
  private readonly pools = new Map<string, HttpPool>();

  constructor(private readonly settings: Pick<EventsSettings, 'concurrency' | 'timeoutMs'>) {}

  private pool(url: URL): HttpPool {
    let p = this.pools.get(url.origin);
    if (!p) {
      const t = this.settings.timeoutMs;
      p = new HttpPool(url.origin, {
        connections: this.settings.concurrency,
        keepAliveTimeout: 30_000,
        headersTimeout: t,
        bodyTimeout: t,
        connect: { timeout: t },
      });
      this.pools.set(url.origin, p);
    }
    return p;
  }

  post(url: URL, secret: string, e: TierEventRecord): Promise<Outcome> {
    return this.send(url, secret, e.id, e.type, JSON.stringify(eventPayload(e)));
  }

  /** One signed POST of `body` (the delivery headers: event id and type, signature). */
  async send(url: URL, secret: string, id: string, type: string, body: string): Promise<Outcome> {
    try {
      const res = await this.pool(url).request({
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Tierwise-Webhooks/1',
          'x-tierwise-event-id': id,
          'x-tierwise-event-type': type,
          'x-tierwise-signature': signature(secret, body),
        },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      await res.body.dump().catch(() => undefined);
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      return { ok, code: res.statusCode, error: ok ? null : `answered ${res.statusCode}` };
    } catch (err) {
      const x = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
      return { ok: false, code: null, error: String(x.code ?? x.cause?.code ?? x.message ?? err).slice(0, 500) };
    }
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
  }
}

export interface BatchResult {
  /** Deliveries attempted (POSTs made or refused before sending). */
  attempted: number;
  delivered: number;
  failed: boolean;
}

const NOTHING: BatchResult = { attempted: 0, delivered: 0, failed: false };

interface Claimed extends TierEventRecord {
  delivery_id: string;
  attempts: number;
}

const CLAIM = `
  SELECT d.id AS delivery_id, d.attempts, e.seq, e.id, e.type, e.occurred_at, e.policy_key, e.customer_id, e.from_tier, e.to_tier, e.change, e.run_id, e.override_id
    FROM webhook_delivery d JOIN tier_event e ON e.seq = d.event_seq
   WHERE d.webhook_id = $1 AND d.status IN ('pending', 'retrying') AND ($3::boolean OR d.next_attempt_at <= now())
   ORDER BY d.next_attempt_at, d.event_seq
   LIMIT $2
   FOR UPDATE OF d SKIP LOCKED`;

const ACK = `
  UPDATE webhook_delivery d SET status = x.st, attempts = x.a, response_code = x.c, error = x.er, next_attempt_at = x.n, updated_at = now()
    FROM unnest($1::bigint[], $2::text[], $3::int[], $4::int[], $5::text[], $6::timestamptz[]) AS x(id, st, a, c, er, n)
   WHERE d.id = x.id`;

/**
 * Moves events from the outbox to the webhooks, in two steps any number of processes may run at once:
 *
 * - `dispatch`: the events after a webhook's cursor become `pending` delivery rows, and the cursor
 *   moves — one statement (the webhook row locked for it), set-based, so nothing goes through Node.
 * - `deliverBatch`: up to `WEBHOOK_BATCH` due rows of one webhook are claimed with `FOR UPDATE SKIP
 *   LOCKED` in a transaction that POSTs them (`WEBHOOK_CONCURRENCY` at once, keep-alive) and writes
 *   all outcomes in one UPDATE before it commits. Two deliverers never claim the same row; one that
 *   dies (kill -9 included) loses its transaction, so its rows stay due and go again with the same
 *   event id — the only way a receiver sees an id twice (at most one batch per death).
 *
 * A failure backs the webhook off (doubling, capped) and stops the batch; once the back-off is over
 * one deliverer takes the probe (one delivery) until the receiver answers, so a receiver that is
 * down costs one request per interval; when it answers, everything waiting goes at once. Each
 * failed delivery is retried with its own back-off until `WEBHOOK_MAX_ATTEMPTS`, then parked `failed`
 * (retryable by hand).
 */
export class Deliverer {
  private readonly targets = new Map<string, { at: number; verdict: TargetVerdict }>();
  private readonly poster: Poster;

  constructor(
    private readonly db: PgPool,
    private readonly settings: EventsSettings,
  ) {
    this.poster = new Poster(settings);
  }

  close(): Promise<void> {
    return this.poster.close();
  }

  async webhook(id: string): Promise<WebhookRecord | null> {
    const { rows } = await this.db.query<WebhookRecord>('SELECT id, url, events, secret, active, fail_streak, blocked_until FROM webhook WHERE id = $1', [id]);
    return rows[0] ?? null;
  }

  async activeWebhooks(): Promise<WebhookRecord[]> {
    const { rows } = await this.db.query<WebhookRecord>(
      'SELECT id, url, events, secret, active, fail_streak, blocked_until FROM webhook WHERE active ORDER BY created_at',
    );
    return rows;
  }

  /**
   * The next events after the webhook's cursor (of its types) as pending deliveries, unless enough
   * are already waiting. Returns how many outbox events the cursor passed.
   */
  async dispatch(webhookId: string): Promise<number> {
    const size = Math.min(20_000, Math.max(2_000, this.settings.batch * 4));
    const ahead = this.settings.batch * 20;
    const { rows } = await this.db.query<{ scanned: string }>(
      `WITH w AS (
         SELECT id, cursor_seq, events FROM webhook
          WHERE id = $1 AND active
            AND (SELECT count(*) FROM (SELECT 1 FROM webhook_delivery WHERE webhook_id = $1 AND status = 'pending' LIMIT $3) p) < $3
          FOR UPDATE),
       e AS (SELECT seq, id, type FROM tier_event WHERE seq > (SELECT cursor_seq FROM w) ORDER BY seq LIMIT $2),
       i AS (INSERT INTO webhook_delivery (webhook_id, event_seq, event_id, status, attempts, next_attempt_at)
             SELECT $1, e.seq, e.id, 'pending', 0, now() FROM e WHERE e.type = ANY ((SELECT events FROM w)::text[]) ORDER BY e.seq
             ON CONFLICT (webhook_id, event_seq) DO NOTHING RETURNING 1),
       u AS (UPDATE webhook SET cursor_seq = (SELECT max(seq) FROM e) WHERE id = $1 AND EXISTS (SELECT 1 FROM e) RETURNING 1)
       SELECT (SELECT count(*) FROM e) AS scanned, (SELECT count(*) FROM i) AS queued, (SELECT count(*) FROM u) AS moved`,
      [webhookId, size, ahead],
    );
    return Number(rows[0]?.scanned ?? 0);
  }

  /** Whether a deliverer would find work for this webhook now. */
  async due(w: WebhookRecord): Promise<boolean> {
    const probe = w.fail_streak > 0;
    if (w.blocked_until && w.blocked_until.getTime() > Date.now()) return false;
    const { rows } = await this.db.query<{ due: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM webhook_delivery WHERE webhook_id = $1 AND status IN ('pending', 'retrying') AND ($2::boolean OR next_attempt_at <= now())) AS due`,
      [w.id, probe],
    );
    return rows[0]?.due ?? false;
  }

  private async target(url: URL): Promise<TargetVerdict> {
    const key = url.hostname;
    const c = this.targets.get(key);
    if (c && Date.now() - c.at < 30_000) return c.verdict;
    const verdict = await checkTarget(url, this.settings.allowedHosts);
    this.targets.set(key, { at: Date.now(), verdict });
    return verdict;
  }

  /** One batch of the webhook's due deliveries: claimed, POSTed, outcomes written, in one transaction. */
  async deliverBatch(w: WebhookRecord): Promise<BatchResult> {
    if (!w.active) return NOTHING;
    const s = this.settings;
    let probing = false;
    if (w.fail_streak > 0) {
      // Backing off: the first deliverer whose back-off is over takes the probe (one delivery).
      const token = await this.db.query(
        `UPDATE webhook SET blocked_until = now() + $2 * interval '1 millisecond'
          WHERE id = $1 AND fail_streak > 0 AND (blocked_until IS NULL OR blocked_until <= now()) RETURNING 1`,
        [w.id, backoff(s, w.fail_streak + 1)],
      );
      if (!token.rowCount) return NOTHING;
      probing = true;
    } else if (w.blocked_until && w.blocked_until.getTime() > Date.now()) return NOTHING;

    const client = await this.db.connect();
    let result = NOTHING;
    try {
      await client.query('BEGIN');
      const claimed = (await client.query<Claimed>(CLAIM, [w.id, probing ? 1 : s.batch, probing])).rows;
      if (!claimed.length) {
        await client.query('COMMIT');
        return NOTHING;
      }
      const outcomes: (Outcome | undefined)[] = new Array<Outcome | undefined>(claimed.length);
      let url: URL | null = null;
      try {
        url = new URL(w.url);
      } catch {
        url = null;
      }
      const verdict: TargetVerdict = url ? await this.target(url) : { ok: false, reason: 'unresolvable' };
      if (!url || !verdict.ok) {
        outcomes[0] = {
          ok: false,
          code: null,
          error: !verdict.ok && verdict.reason === 'private' ? `refused: ${verdict.address} is not a public address` : 'the host does not resolve',
        };
      } else {
        const target = url;
        let next = 0;
        let stop = false;
        // After a failure no new POST starts: the rest stay due, unattempted, for after the back-off.
        const lane = async () => {
          while (!stop && next < claimed.length) {
            const i = next++;
            const o = await this.poster.post(target, w.secret, claimed[i]);
            outcomes[i] = o;
            if (!o.ok) stop = true;
          }
        };
        await Promise.all(Array.from({ length: Math.min(s.concurrency, claimed.length) }, lane));
      }
      const done = claimed.map((c, i) => ({ c, o: outcomes[i] })).filter((x): x is { c: Claimed; o: Outcome } => x.o !== undefined);
      const now = Date.now();
      const status = (x: { c: Claimed; o: Outcome }) => (x.o.ok ? 'delivered' : x.c.attempts + 1 >= s.maxAttempts ? 'failed' : 'retrying');
      await client.query(ACK, [
        done.map((x) => x.c.delivery_id),
        done.map(status),
        done.map((x) => x.c.attempts + 1),
        done.map((x) => x.o.code),
        done.map((x) => x.o.error),
        done.map((x) => (status(x) === 'retrying' ? new Date(now + backoff(s, x.c.attempts + 1)) : null)),
      ]);
      const failure = done.find((x) => !x.o.ok);
      if (failure)
        await client.query(
          `UPDATE webhook SET fail_streak = fail_streak + 1, blocked_until = now() + $2 * interval '1 millisecond', last_error = $3 WHERE id = $1`,
          [w.id, backoff(s, w.fail_streak + 1), failure.o.error],
        );
      else if (probing || w.fail_streak > 0)
        await client.query('UPDATE webhook SET fail_streak = 0, blocked_until = NULL, last_error = NULL WHERE id = $1', [w.id]);
      await client.query('COMMIT');
      result = { attempted: done.length, delivered: done.filter((x) => x.o.ok).length, failed: failure !== undefined };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    // Back after a failure streak: what waits for a retry goes at once (rows another deliverer holds are left to it).
    if (probing && !result.failed)
      await this.db.query(
        `UPDATE webhook_delivery SET next_attempt_at = now() WHERE id IN (
           SELECT id FROM webhook_delivery WHERE webhook_id = $1 AND status = 'retrying' AND next_attempt_at > now() FOR UPDATE SKIP LOCKED)`,
        [w.id],
      );
    return result;
  }
}
