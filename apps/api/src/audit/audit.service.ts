import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import diff from 'microdiff';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEvent } from './audit-event.entity';
import { canonicalJson } from './canonical-json';

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
}

/** Why a chain does not verify, as a code (for translations) beside the English reason. */
export type ChainBreak = 'SEQUENCE_GAP' | 'PREV_HASH_MISMATCH' | 'CONTENT_MISMATCH' | 'ANCHOR_REWRITTEN' | 'EVENTS_REMOVED';

/** The fields that are hashed, in one place so that writing and verifying can never disagree. */
export function hashEvent(prevHash: string, e: Omit<AuditEvent, 'hash' | 'prevHash'>): string {
  const body = canonicalJson({
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
  });
  return createHash('sha256')
    .update(prevHash + body)
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
export class AuditService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Append an event inside the caller's transaction: the change and its audit event commit together. */
  async record(manager: EntityManager, input: AuditInput): Promise<AuditEvent> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error('audit events must be written inside a transaction');
    await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
    const last: { seq: string; hash: string }[] = await manager.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
    const before = plain(input.before);
    const after = plain(input.after);
    const event: Omit<AuditEvent, 'hash' | 'prevHash'> = {
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
    const row: AuditEvent = { ...event, prevHash, hash: hashEvent(prevHash, event) };
    await manager.query(
      `INSERT INTO audit_event (id, seq, at, actor, action, entity_type, entity_id, before, after, diff, comment, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
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
      ],
    );
    return row;
  }

  /** Record in a transaction of its own (e.g. a failed login, where the request itself changes nothing). */
  recordAlone(input: AuditInput): Promise<AuditEvent> {
    return this.ds.transaction((m) => this.record(m, input));
  }

  /**
   * Recompute the chain from the first event and name the first one whose link or content does not
   * hold. `head` is the last event's seq and hash: written down
   * outside Tierwise (a report, a ticket), it is an anchor — `verify(anchor)` then also proves that
   * the chain still holds that event with that hash, which catches what the chain alone cannot: events
   * cut off its end, or the whole chain rewritten and re-hashed from some event on.
   */
  async verify(anchor?: { seq: number; hash: string }): Promise<AuditVerification> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
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
        });
        if (row.seq !== expectedSeq) return broken('SEQUENCE_GAP', `sequence gap: expected ${expectedSeq}`);
        if (row.prevHash !== prevHash) return broken('PREV_HASH_MISMATCH', 'prevHash does not match the previous event');
        if (hashEvent(prevHash, row) !== row.hash) return broken('CONTENT_MISMATCH', 'content does not match its hash');
        if (anchor && row.seq === anchor.seq && row.hash !== anchor.hash)
          return broken('ANCHOR_REWRITTEN', 'the hash differs from the anchor taken earlier: the chain was rewritten');
        prevHash = row.hash;
        expectedSeq += 1;
        count += 1;
      }
      if (rows.length < page) break;
    }
    const head = count ? { seq: count, hash: prevHash } : null;
    if (anchor && count < anchor.seq) {
      return {
        valid: false,
        count,
        head,
        brokenAt: {
          seq: count + 1,
          code: 'EVENTS_REMOVED',
          reason: `the chain ends at event ${count}, before the anchor (event ${anchor.seq}): events were removed`,
        },
      };
    }
    return { valid: true, count, head };
  }
}
