import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { filterString, ListQuery } from '../common/list-query';
import { Poster } from './delivery';
import { WebhookDelivery } from './delivery-worker';
import { EventsException, EventsExceptionCode } from './events.exception';
import { EVENTS_SETTINGS, EventsSettings } from '../config/config';
import { checkTarget } from './target-check';

interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  cursor_seq: string;
  fail_streak: number;
  blocked_until: Date | null;
  last_error: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export interface WebhookInput {
  url: string;
  events: string[];
  secret: string;
  active?: boolean;
}

const COLUMNS = 'id, url, events, active, cursor_seq, fail_streak, blocked_until, last_error, created_by, created_at, updated_at';

/** A webhook as the API shows it: never its secret. */
function view(r: WebhookRow & { pending?: number; retrying?: number; failed?: number; delivered?: number }) {
  return {
    id: r.id,
    url: r.url,
    events: r.events,
    active: r.active,
    secretSet: true,
    cursor: Number(r.cursor_seq),
    failStreak: r.fail_streak,
    blockedUntil: r.blocked_until,
    lastError: r.last_error,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.delivered !== undefined
      ? { deliveries: { delivered: Number(r.delivered), retrying: Number(r.retrying), pending: Number(r.pending), failed: Number(r.failed) } }
      : {}),
  };
}

/** Admin-managed webhooks (contract §9) and their deliveries. */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly delivery: WebhookDelivery,
    @Inject(EVENTS_SETTINGS) private readonly settings: EventsSettings,
  ) {}

  /** Public addresses only, unless the host is in WEBHOOK_ALLOWED_HOSTS (resolved now; checked again before each batch). */
  private async checkUrl(raw: string): Promise<void> {
    const url = new URL(raw);
    const verdict = await checkTarget(url, this.settings.allowedHosts);
    if (verdict.ok) return;
    if (verdict.reason === 'unresolvable')
      throw new EventsException(
        EventsExceptionCode.Unresolvable,
        `The host ${url.hostname} does not resolve`,
        [{ path: 'url', message: 'the host does not resolve' }],
        {
          host: url.hostname,
        },
      );
    throw new EventsException(
      EventsExceptionCode.PrivateAddress,
      `The host ${url.hostname} resolves to ${verdict.address}, which is not a public address; list the host in WEBHOOK_ALLOWED_HOSTS to allow it`,
      [{ path: 'url', message: `resolves to the non-public address ${verdict.address}` }],
      { host: url.hostname, address: verdict.address },
    );
  }

  private async row(id: string): Promise<WebhookRow> {
    const [r]: WebhookRow[] = await this.ds.query(`SELECT ${COLUMNS} FROM webhook WHERE id = $1`, [id]);
    if (!r) throw new EventsException(EventsExceptionCode.WebhookNotFound, `No webhook with id ${id}`);
    return r;
  }

  async create(actor: string, input: WebhookInput) {
    await this.checkUrl(input.url);
    const id = await this.ds.transaction(async (m) => {
      // A new webhook receives the events from now on, not the whole history.
      const [r]: { id: string }[] = await m.query(
        `INSERT INTO webhook (url, events, secret, active, cursor_seq, created_by)
         VALUES ($1, $2, $3, $4, (SELECT COALESCE(max(seq), 0) FROM tier_event), $5) RETURNING id`,
        [input.url, input.events, input.secret, input.active ?? true, actor],
      );
      await this.audit.record(m, {
        actor,
        action: 'webhook.create',
        entityType: 'webhook',
        entityId: r.id,
        after: { url: input.url, events: input.events, active: input.active ?? true },
      });
      return r.id;
    });
    return this.get(id);
  }

  async update(actor: string, id: string, input: Partial<WebhookInput>) {
    const before = await this.row(id);
    if (input.url !== undefined) await this.checkUrl(input.url);
    await this.ds.transaction(async (m) => {
      await m.query(
        `UPDATE webhook SET url = COALESCE($2, url), events = COALESCE($3, events), secret = COALESCE($4, secret), active = COALESCE($5, active),
           fail_streak = 0, blocked_until = NULL, updated_at = now() WHERE id = $1`,
        [id, input.url ?? null, input.events ?? null, input.secret ?? null, input.active ?? null],
      );
      await this.audit.record(m, {
        actor,
        action: 'webhook.update',
        entityType: 'webhook',
        entityId: id,
        before: { url: before.url, events: before.events, active: before.active },
        after: {
          url: input.url ?? before.url,
          events: input.events ?? before.events,
          active: input.active ?? before.active,
          ...(input.secret !== undefined ? { secretChanged: true } : {}),
        },
      });
    });
    this.delivery.poke();
    return this.get(id);
  }

  async remove(actor: string, id: string) {
    const before = await this.row(id);
    await this.ds.transaction(async (m) => {
      await m.query('DELETE FROM webhook WHERE id = $1', [id]);
      await this.audit.record(m, {
        actor,
        action: 'webhook.delete',
        entityType: 'webhook',
        entityId: id,
        before: { url: before.url, events: before.events, active: before.active },
      });
    });
    return { id, deleted: true };
  }

  async get(id: string) {
    const [r] = await this.ds.query(
      `SELECT ${COLUMNS.split(', ')
        .map((c) => `w.${c}`)
        .join(', ')},
              c.delivered, c.retrying, c.pending, c.failed
         FROM webhook w,
              LATERAL (SELECT count(*) FILTER (WHERE d.status = 'delivered') AS delivered, count(*) FILTER (WHERE d.status = 'retrying') AS retrying,
                              count(*) FILTER (WHERE d.status = 'pending') AS pending, count(*) FILTER (WHERE d.status = 'failed') AS failed
                         FROM webhook_delivery d WHERE d.webhook_id = w.id) c
        WHERE w.id = $1`,
      [id],
    );
    if (!r) throw new EventsException(EventsExceptionCode.WebhookNotFound, `No webhook with id ${id}`);
    return view(r as WebhookRow);
  }

  async list(q: ListQuery) {
    const [{ n }]: { n: number }[] = await this.ds.query('SELECT count(*)::int AS n FROM webhook');
    const rows: WebhookRow[] = await this.ds.query(`SELECT ${COLUMNS} FROM webhook ORDER BY created_at ${q.sortOrder} OFFSET $1 LIMIT $2`, [q.skip, q.take]);
    return { rows: rows.map((r) => view(r)), total: n };
  }

  /** `GET /api/webhooks/:id/deliveries?status=`: newest first, with the event each one carries. */
  async deliveries(id: string, q: ListQuery) {
    await this.row(id);
    const status = filterString(q.filter, 'status');
    const eventId = filterString(q.filter, 'eventId');
    const params: unknown[] = [id, status ?? null, eventId ?? null];
    const where = `d.webhook_id = $1 AND ($2::text IS NULL OR d.status = $2) AND ($3::uuid IS NULL OR d.event_id = $3)`;
    const [{ n }]: { n: number }[] = await this.ds.query(`SELECT count(*)::int AS n FROM webhook_delivery d WHERE ${where}`, params);
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT d.id, d.event_id, d.event_seq, d.status, d.attempts, d.response_code, d.error, d.next_attempt_at, d.created_at, d.updated_at,
              e.type, e.customer_id, e.policy_key, e.from_tier, e.to_tier, e.change
         FROM webhook_delivery d JOIN tier_event e ON e.seq = d.event_seq
        WHERE ${where} ORDER BY d.id ${q.sortOrder} OFFSET ${q.skip} LIMIT ${q.take}`,
      params,
    );
    return {
      rows: rows.map((r) => ({
        id: String(r.id),
        eventId: r.event_id,
        type: r.type,
        customerId: r.customer_id,
        policy: r.policy_key,
        from: r.from_tier,
        to: r.to_tier,
        change: r.change,
        status: r.status,
        attempts: r.attempts,
        responseCode: r.response_code,
        error: r.error,
        nextAttemptAt: r.next_attempt_at,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      })),
      total: n,
    };
  }

  /** A parked (failed) delivery tried again by hand: one more attempt at once. */
  async retry(actor: string, id: string, deliveryId: string) {
    await this.row(id);
    await this.ds.transaction(async (m) => {
      const [d]: { status: string; event_id: string }[] = await m.query(
        'SELECT status, event_id FROM webhook_delivery WHERE webhook_id = $1 AND id = $2 FOR UPDATE',
        [id, deliveryId],
      );
      if (!d) throw new EventsException(EventsExceptionCode.DeliveryNotFound, `No delivery ${deliveryId} of webhook ${id}`);
      if (d.status !== 'failed')
        throw new EventsException(EventsExceptionCode.NotFailed, `The delivery is ${d.status}; only a failed delivery is retried by hand`, undefined, {
          status: d.status,
        });
      await m.query(`UPDATE webhook_delivery SET status = 'retrying', next_attempt_at = now(), updated_at = now() WHERE id = $1`, [deliveryId]);
      await m.query('UPDATE webhook SET fail_streak = 0, blocked_until = NULL WHERE id = $1', [id]);
      await this.audit.record(m, {
        actor,
        action: 'webhook.retry',
        entityType: 'webhook',
        entityId: id,
        before: { delivery: deliveryId, status: 'failed' },
        after: { delivery: deliveryId, eventId: d.event_id, status: 'retrying' },
      });
    });
    this.delivery.poke();
    return { id: deliveryId, status: 'retrying' };
  }

  /**
   * `POST /api/webhooks/:id/test`: one signed POST of `{id, type: "webhook.test", occurredAt, …}` (the
   * event fields null) to the webhook now, with the delivery headers, and the answer reported. Not an
   * event of the outbox (no delivery row); audited `webhook.test`. The target is checked as on create.
   */
  async test(actor: string, id: string) {
    const [w]: { url: string; secret: string }[] = await this.ds.query('SELECT url, secret FROM webhook WHERE id = $1', [id]);
    if (!w) throw new EventsException(EventsExceptionCode.WebhookNotFound, `No webhook with id ${id}`);
    await this.checkUrl(w.url);
    const pingId = randomUUID();
    const body = JSON.stringify({
      id: pingId,
      type: 'webhook.test',
      occurredAt: new Date().toISOString(),
      customerId: null,
      policy: null,
      from: null,
      to: null,
      change: null,
    });
    const poster = new Poster({ concurrency: 1, timeoutMs: this.settings.timeoutMs });
    const started = performance.now();
    const outcome = await poster.send(new URL(w.url), w.secret, pingId, 'webhook.test', body).finally(() => poster.close());
    const durationMs = Math.round(performance.now() - started);
    await this.ds.transaction((m) =>
      this.audit.record(m, {
        actor,
        action: 'webhook.test',
        entityType: 'webhook',
        entityId: id,
        after: { url: w.url, ok: outcome.ok, responseCode: outcome.code, error: outcome.error },
      }),
    );
    return { id: pingId, ok: outcome.ok, responseCode: outcome.code, error: outcome.error, durationMs };
  }
}
