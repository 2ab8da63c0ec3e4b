import { createHmac } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { backoff, EventsSettings } from './events.settings';
import { checkTarget, TargetVerdict } from './target-check';

/** Advisory-lock key of the one delivering process (whoever holds it delivers; the others wait). */
const LEADER_LOCK = [7_240_013, 1] as const;

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

interface WebhookRecord {
  id: string;
  url: string;
  events: string[];
  secret: string;
  cursor_seq: string;
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

interface Attempt {
  event: TierEventRecord;
  /** Attempts made before this one. */
  before: number;
}

interface Outcome {
  ok: boolean;
  code: number | null;
  error: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Delivers the outbox to the webhooks, in a worker thread of its own (delivery-thread.ts, so the
 * API's event loop never waits on it): ONE delivering process at a time (a PostgreSQL session
 * advisory lock; another process takes over when its connection goes, kill -9 included), in
 * batches per webhook from its cursor, POSTs in parallel (`WEBHOOK_CONCURRENCY`), each batch's
 * outcomes written in one transaction (delivery rows + cursor). At least once: a process that dies
 * after a POST and before writing its outcome sends that event again, with the same id.
 * A failure backs the webhook off (doubling, capped) and then probes it with one delivery at a
 * time until it answers; each failed delivery is retried with its own back-off until
 * `WEBHOOK_MAX_ATTEMPTS`, then parked `failed` (retryable by hand).
 */
export class DeliveryLoop {
  private closing = false;
  private leader: PoolClient | null = null;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly targets = new Map<string, { at: number; verdict: TargetVerdict }>();

  constructor(
    private readonly db: Pool,
    private readonly settings: EventsSettings,
    private readonly log: (message: string, err: unknown) => void,
  ) {}

  private async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query(sql, params)).rows as T[];
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.closing = true;
    this.wake?.();
    await this.loop;
    if (this.leader) {
      await this.leader.query('SELECT pg_advisory_unlock($1, $2)', [...LEADER_LOCK]).catch(() => undefined);
      this.leader.release();
      this.leader = null;
    }
  }

  /** Look at the outbox now (tests, and after a hand retry). */
  poke(): void {
    this.wake?.();
  }

  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.wake = null;
  }

  private async lead(): Promise<boolean> {
    if (this.leader) {
      try {
        await this.leader.query('SELECT 1');
        return true;
      } catch {
        this.leader.release(true);
        this.leader = null;
      }
    }
    let client: PoolClient | null = null;
    try {
      client = await this.db.connect();
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [...LEADER_LOCK]);
      if (rows[0].locked) {
        this.leader = client;
        return true;
      }
    } catch (e) {
      this.log('webhook delivery: could not take the delivery lock', e);
    }
    client?.release();
    return false;
  }

  private async run(): Promise<void> {
    while (!this.closing) {
      let busy = false;
      try {
        if (await this.lead()) busy = await this.round();
        else {
          await this.pause(Math.max(2000, this.settings.pollMs));
          continue;
        }
      } catch (e) {
        if (!this.closing) this.log('webhook delivery round failed', e);
        await sleep(1000);
      }
      if (!busy && !this.closing) await this.pause(this.settings.pollMs);
    }
  }

  /** One batch for every active webhook; true when there may be more to do at once. */
  private async round(): Promise<boolean> {
    const hooks = await this.query<WebhookRecord>(
      'SELECT id, url, events, secret, cursor_seq, fail_streak, blocked_until FROM webhook WHERE active ORDER BY created_at',
    );
    let busy = false;
    for (const w of hooks) {
      if (this.closing) break;
      if (await this.deliver(w)) busy = true;
    }
    return busy;
  }

  private async target(url: URL): Promise<TargetVerdict> {
    const key = url.hostname;
    const c = this.targets.get(key);
    if (c && Date.now() - c.at < 30_000) return c.verdict;
    const verdict = await checkTarget(url, this.settings.allowedHosts);
    this.targets.set(key, { at: Date.now(), verdict });
    return verdict;
  }

  private async post(w: WebhookRecord, e: TierEventRecord): Promise<Outcome> {
    const body = JSON.stringify(eventPayload(e));
    try {
      const res = await fetch(w.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Tierwise-Webhooks/1',
          'x-tierwise-event-id': e.id,
          'x-tierwise-event-type': e.type,
          'x-tierwise-signature': signature(w.secret, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      const ok = res.status >= 200 && res.status < 300;
      return { ok, code: res.status, error: ok ? null : `answered ${res.status}` };
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      return { ok: false, code: null, error: String(cause?.code ?? cause?.message ?? (err as Error).message).slice(0, 500) };
    }
  }

  private async deliver(w: WebhookRecord): Promise<boolean> {
    if (w.blocked_until && w.blocked_until.getTime() > Date.now()) return false;
    const probing = w.fail_streak > 0;
    const limit = probing ? 1 : this.settings.batch;
    const retries = await this.query<TierEventRecord & { attempts: number }>(
      `SELECT d.attempts, e.* FROM webhook_delivery d JOIN tier_event e ON e.seq = d.event_seq
        WHERE d.webhook_id = $1 AND d.status = 'retrying' ${probing ? '' : 'AND d.next_attempt_at <= now()'}
        ORDER BY d.next_attempt_at, d.event_seq LIMIT $2`,
      [w.id, limit],
    );
    const room = limit - retries.length;
    const fresh = room > 0 ? await this.query<TierEventRecord>('SELECT * FROM tier_event WHERE seq > $1 ORDER BY seq LIMIT $2', [w.cursor_seq, room]) : [];
    const cursor = fresh.length ? fresh[fresh.length - 1].seq : w.cursor_seq;
    const wanted = new Set(w.events);
    const attempts: Attempt[] = [
      ...retries.map((r) => ({ event: r, before: r.attempts })),
      ...fresh.filter((e) => wanted.has(e.type)).map((e) => ({ event: e, before: 0 })),
    ];
    if (!attempts.length) {
      if (cursor !== w.cursor_seq) await this.db.query('UPDATE webhook SET cursor_seq = GREATEST(cursor_seq, $2) WHERE id = $1', [w.id, cursor]);
      return fresh.length > 0;
    }
    let url: URL | null = null;
    try {
      url = new URL(w.url);
    } catch {
      url = null;
    }
    const verdict: TargetVerdict = url ? await this.target(url) : { ok: false, reason: 'unresolvable' };
    const outcomes: Outcome[] = new Array<Outcome>(attempts.length);
    if (!verdict.ok) {
      const error = verdict.reason === 'private' ? `refused: ${verdict.address} is not a public address` : 'the host does not resolve';
      outcomes.fill({ ok: false, code: null, error });
    } else {
      let next = 0;
      const worker = async () => {
        while (next < attempts.length) {
          const i = next++;
          outcomes[i] = await this.post(w, attempts[i].event);
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, attempts.length) }, worker));
    }
    const now = Date.now();
    const failed = outcomes.some((o) => !o.ok);
    const statuses = outcomes.map((o, i) => (o.ok ? 'delivered' : attempts[i].before + 1 >= this.settings.maxAttempts ? 'failed' : 'retrying'));
    const m = await this.db.connect();
    try {
      await m.query('BEGIN');
      await m.query(
        `INSERT INTO webhook_delivery (webhook_id, event_seq, event_id, status, attempts, response_code, error, next_attempt_at)
         SELECT $1, s, i, st, a, c, er, n FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::int[], $6::int[], $7::text[], $8::timestamptz[]) AS x(s, i, st, a, c, er, n)
         ON CONFLICT (webhook_id, event_seq) DO UPDATE SET status = EXCLUDED.status, attempts = EXCLUDED.attempts, response_code = EXCLUDED.response_code,
           error = EXCLUDED.error, next_attempt_at = EXCLUDED.next_attempt_at, updated_at = now()`,
        [
          w.id,
          attempts.map((a) => a.event.seq),
          attempts.map((a) => a.event.id),
          statuses,
          attempts.map((a) => a.before + 1),
          outcomes.map((o) => o.code),
          outcomes.map((o) => o.error),
          statuses.map((s, i) => (s === 'retrying' ? new Date(now + backoff(this.settings, attempts[i].before + 1)) : null)),
        ],
      );
      const streak = failed ? w.fail_streak + 1 : 0;
      await m.query(`UPDATE webhook SET cursor_seq = GREATEST(cursor_seq, $2), fail_streak = $3, blocked_until = $4, last_error = $5 WHERE id = $1`, [
        w.id,
        cursor,
        streak,
        failed ? new Date(now + backoff(this.settings, streak)) : null,
        failed ? (outcomes.find((o) => !o.ok)?.error ?? null) : null,
      ]);
      // Back after a failure streak: what waits for a retry goes at once.
      if (probing && !failed)
        await m.query(`UPDATE webhook_delivery SET next_attempt_at = now() WHERE webhook_id = $1 AND status = 'retrying' AND next_attempt_at > now()`, [w.id]);
      await m.query('COMMIT');
    } catch (e) {
      await m.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      m.release();
    }
    return !failed;
  }
}
