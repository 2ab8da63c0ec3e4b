import { createHash, createHmac, randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import diff from 'microdiff';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Anchor, anchorSigned, appendAnchor, latestAnchors, signAnchor } from './audit-anchor';
import { AuditEvent } from './audit-event.entity';
import { AuditKey, resolveAuditKey } from './audit-key';
import { canonicalJson } from './canonical-json';
import { Metrics } from '../metrics/metrics.service';

/** The app's pino logger, for the anchor lines (provided by the app module). */
export const AUDIT_LOGGER = Symbol('AUDIT_LOGGER');

export const GENESIS_HASH = '0'.repeat(64);
/** Serialises appends to the chain: every writer takes this transaction-scoped advisory lock. */
const CHAIN_LOCK = 7_240_001;

export interface AuditInput {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  comment?: string | null;
}

export interface AuditDiffEntry {
  path: string;
  type: 'CREATE' | 'REMOVE' | 'CHANGE';
  before?: unknown;
  after?: unknown;
}

export interface AuditVerification {
  valid: boolean;
  count: number;
  /** The last verified event: seq and hash, to keep as an anchor for later checks. */
  head: { seq: number; hash: string } | null;
  brokenAt?: { id?: string; seq: number; code: ChainBreak; reason: string };
  /** The newest anchor published outside the database that was checked (see audit-anchor.ts). */
  anchor?: { seq: number; hash: string; at: string } | null;
  /** Events from before the chain was keyed (plain SHA-256), at its start; 0 on a chain keyed from event 1. */
  unkeyed?: number;
}

/** Why a chain does not verify, as a code (for translations) beside the English reason. */
export type ChainBreak =
  | 'SEQUENCE_GAP'
  | 'PREV_HASH_MISMATCH'
  | 'CONTENT_MISMATCH'
  | 'ANCHOR_REWRITTEN'
  | 'EVENTS_REMOVED'
  /** An event without the key's seal after the chain was keyed: appended by someone without the key. */
  | 'UNKEYED_EVENT'
  /** Sealed with another key than the one configured (a wrong AUDIT_KEY, or a forgery). */
  | 'KEY_MISMATCH'
  /** The newest anchor in the anchor file is not signed with the audit key. */
  | 'ANCHOR_FORGED'
  /** The anchor file holds anchors of another chain only: the chain was rewritten from its first event. */
  | 'ANCHOR_OTHER_CHAIN';

/**
 * The seal of an event, in one place so that writing and verifying can never disagree:
 * HMAC-SHA256(key, prevHash + canonical JSON of the event, its key id included). Events written
 * before the chain was keyed (`keyId` null) were plain SHA-256 over the same fields without key id;
 * pass `key` null to compute those.
 */
export function hashEvent(key: Buffer | null, prevHash: string, e: Omit<AuditEvent, 'hash' | 'prevHash'>): string {
  const fields = {
    id: e.id,
    seq: e.seq,
    at: e.at.toISOString(),
    actor: e.actor,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    before: e.before ?? null,
    after: e.after ?? null,
    diff: e.diff ?? null,
    comment: e.comment ?? null,
  };
  if (key === null)
    return createHash('sha256')
      .update(prevHash + canonicalJson(fields))
      .digest('hex');
  return createHmac('sha256', key)
    .update(prevHash + canonicalJson({ ...fields, keyId: e.keyId }))
    .digest('hex');
}

function pathOf(parts: (string | number)[]): string {
  return parts.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

export function diffOf(before: unknown, after: unknown): AuditDiffEntry[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (!isObj(before) || !isObj(after)) {
    return canonicalJson(before) === canonicalJson(after) ? [] : [{ path: '', type: 'CHANGE', before: before ?? null, after: after ?? null }];
  }
  return diff(before, after).map((d) => ({
    path: pathOf(d.path),
    type: d.type,
    ...(d.type !== 'CREATE' ? { before: d.oldValue } : {}),
    ...(d.type !== 'REMOVE' ? { after: d.value } : {}),
  }));
}

/** JSON-safe copy (Dates → ISO strings, undefined dropped) so that what is hashed is what jsonb stores. */
function plain(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

@Injectable()
export class AuditService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly key: AuditKey;
  private timer: NodeJS.Timeout | undefined;
  private published: string | undefined;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AUDIT_LOGGER) private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {
    this.key = resolveAuditKey(config);
  }

  /** Publish the head now and every AUDIT_ANCHOR_SECONDS (and once more at shutdown). */
  async onApplicationBootstrap(): Promise<void> {
    await this.publishAnchor().catch((e: unknown) => this.logger.warn({ err: e }, 'could not publish the audit anchor'));
    this.timer = setInterval(
      () => void this.publishAnchor().catch((e: unknown) => this.logger.warn({ err: e }, 'could not publish the audit anchor')),
      this.config.auditAnchorSeconds * 1000,
    );
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.publishAnchor().catch(() => undefined);
  }

  /**
   * Write the chain's head outside the database, signed: a line in the anchor file and a log line
   * (for a log system that keeps it elsewhere). Nothing when the head has not moved since.
   */
  async publishAnchor(): Promise<Anchor | null> {
    const rows: { seq: string; hash: string; chain: string }[] = await this.ds.query(
      `SELECT e.seq, e.hash, (SELECT hash FROM audit_event WHERE seq = 1) AS chain FROM audit_event e ORDER BY e.seq DESC LIMIT 1`,
    );
    if (!rows.length || !rows[0].chain) return null;
    const head = `${rows[0].chain}:${rows[0].seq}:${rows[0].hash}`;
    if (head === this.published) return null;
    const anchor = signAnchor(this.key.key, { chain: rows[0].chain, seq: Number(rows[0].seq), hash: rows[0].hash, at: new Date().toISOString() });
    this.logger.info({ auditAnchor: anchor }, 'audit chain anchor');
    try {
      await appendAnchor(this.config.dataDir, anchor);
    } catch (e) {
      this.logger.warn({ err: e, dataDir: this.config.dataDir }, 'could not write the audit anchor file (the log line above still holds the anchor)');
    }
    this.published = head;
    return anchor;
  }

  /** Append an event inside the caller's transaction: the change and its audit event commit together. */
  async record(manager: EntityManager, input: AuditInput): Promise<AuditEvent> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error('audit events must be written inside a transaction');
    await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
    const last: { seq: string; hash: string }[] = await manager.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
    const before = plain(input.before);
    const after = plain(input.after);
    const event: Omit<AuditEvent, 'hash' | 'prevHash'> = {
      keyId: this.key.id,
      id: randomUUID(),
      seq: last.length ? Number(last[0].seq) + 1 : 1,
      at: new Date(Math.floor(Date.now())),
      actor: input.actor,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      before,
      after,
      diff: plain(diffOf(before, after)),
      comment: input.comment ?? null,
    };
    const prevHash = last.length ? last[0].hash : GENESIS_HASH;
    const row: AuditEvent = { ...event, prevHash, hash: hashEvent(this.key.key, prevHash, event) };
    await manager.query(
      `INSERT INTO audit_event (id, seq, at, actor, action, entity_type, entity_id, before, after, diff, comment, prev_hash, hash, key_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        row.id,
        row.seq,
        row.at,
        row.actor,
        row.action,
        row.entityType,
        row.entityId,
        json(row.before),
        json(row.after),
        json(row.diff),
        row.comment,
        row.prevHash,
        row.hash,
        row.keyId,
      ],
    );
    this.metrics.audited(row.action);
    return row;
  }

  /** Record in a transaction of its own (e.g. a failed login, where the request itself changes nothing). */
  recordAlone(input: AuditInput): Promise<AuditEvent> {
    return this.ds.transaction((m) => this.record(m, input));
  }

  /**
   * Recompute the chain from the first event and name the first one whose link, seal or content
   * does not hold. Events are sealed with the audit key (HMAC); only a run of unkeyed events at the
   * very start (written before the chain was keyed) is accepted, so an event appended without the
   * key — even with a correct plain SHA-256 — breaks the chain. `head` is the last event's seq and
   * hash. Anchors — `anchor` given by the caller (a head noted earlier) and the newest signed
   * anchor in the anchor file — must still be in the chain with the same hash: that catches events
   * cut off its end, or a chain rewritten and re-sealed by someone holding the key.
   */
  async verify(anchor?: { seq: number; hash: string }): Promise<AuditVerification> {
    const published = await latestAnchors(this.config.dataDir);
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
    let unkeyed = 0;
    let fileAnchor: Anchor | null | undefined; // undefined until event 1 is read
    let fileAnchorProblem: { code: ChainBreak; reason: string } | undefined;
    const anchors: { seq: number; hash: string; from: string }[] = anchor ? [{ ...anchor, from: 'the anchor taken earlier' }] : [];
    const page = 5000;
    for (;;) {
      const rows = await this.ds
        .getRepository(AuditEvent)
        .createQueryBuilder('e')
        .where('e.seq >= :from', { from: expectedSeq })
        .orderBy('e.seq', 'ASC')
        .limit(page)
        .getMany();
      for (const row of rows) {
        const broken = (code: ChainBreak, reason: string): AuditVerification => ({
          valid: false,
          count,
          head: count ? { seq: expectedSeq - 1, hash: prevHash } : null,
          brokenAt: { id: row.id, seq: row.seq, code, reason },
          anchor: fileAnchor ? anchorView(fileAnchor) : null,
          unkeyed,
        });
        if (row.seq !== expectedSeq) return broken('SEQUENCE_GAP', `sequence gap: expected ${expectedSeq}`);
        if (row.prevHash !== prevHash) return broken('PREV_HASH_MISMATCH', 'prevHash does not match the previous event');
        if (row.keyId === null) {
          if (count > unkeyed)
            return broken('UNKEYED_EVENT', 'the event is not sealed with the audit key, after keyed events: it was appended without the key');
          if (hashEvent(null, prevHash, row) !== row.hash) return broken('CONTENT_MISMATCH', 'content does not match its hash');
          unkeyed += 1;
        } else {
          if (row.keyId !== this.key.id)
            return broken('KEY_MISMATCH', `the event is sealed with another key (${row.keyId}) than the configured one (${this.key.id})`);
          if (hashEvent(this.key.key, prevHash, row) !== row.hash) return broken('CONTENT_MISMATCH', 'content does not match its hash');
        }
        if (row.seq === 1) {
          fileAnchor = published.find((a) => a.chain === row.hash) ?? null;
          if (fileAnchor && !anchorSigned(this.key.key, fileAnchor)) {
            fileAnchorProblem = {
              code: 'ANCHOR_FORGED',
              reason: `the newest anchor in the anchor file (event ${fileAnchor.seq}) is not signed with the audit key`,
            };
          } else if (fileAnchor) {
            anchors.push({ seq: fileAnchor.seq, hash: fileAnchor.hash, from: `the anchor published at ${fileAnchor.at}` });
          } else if (published.length) {
            fileAnchorProblem = {
              code: 'ANCHOR_OTHER_CHAIN',
              reason:
                'the anchor file holds anchors of another chain only: the chain was rewritten from its first event (or the data folder belongs to another database)',
            };
          }
        }
        for (const a of anchors) {
          if (row.seq === a.seq && row.hash !== a.hash) return broken('ANCHOR_REWRITTEN', `the hash differs from ${a.from}: the chain was rewritten`);
        }
        prevHash = row.hash;
        expectedSeq += 1;
        count += 1;
      }
      if (rows.length < page) break;
    }
    const head = count ? { seq: count, hash: prevHash } : null;
    const extra = { anchor: fileAnchor ? anchorView(fileAnchor) : null, unkeyed };
    if (fileAnchorProblem) return { valid: false, count, head, brokenAt: { seq: fileAnchor?.seq ?? 1, ...fileAnchorProblem }, ...extra };
    if (count === 0 && published.length) {
      const newest = published[0];
      return {
        valid: false,
        count,
        head,
        brokenAt: {
          seq: 1,
          code: 'EVENTS_REMOVED',
          reason: `the chain is empty, but an anchor was published at ${newest.at} (event ${newest.seq}): events were removed`,
        },
        ...extra,
      };
    }
    const missing = anchors.filter((a) => count < a.seq).sort((a, b) => b.seq - a.seq)[0];
    if (missing) {
      return {
        valid: false,
        count,
        head,
        brokenAt: {
          seq: count + 1,
          code: 'EVENTS_REMOVED',
          reason: `the chain ends at event ${count}, before ${missing.from} (event ${missing.seq}): events were removed`,
        },
        ...extra,
      };
    }
    return { valid: true, count, head, ...extra };
  }
}

const anchorView = (a: Anchor) => ({ seq: a.seq, hash: a.hash, at: a.at });
