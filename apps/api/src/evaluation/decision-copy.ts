import { once } from 'node:events';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DecisionRow } from './decision.entity';

/**
 * Flushes of at least this many rows are written by binary COPY; smaller ones by the multi-row INSERT (the
 * named statement is cheaper for the few rows of a group commit of single evaluations, COPY for a batch).
 */
export const COPY_MIN_ROWS = 100;

/** The columns written, in the order each tuple carries them (the same as the INSERT's: no trace). */
export const COPY_SQL =
  'COPY decision (id, evaluated_at, as_of, policy_id, policy_key, version_id, version_number, customer_id, actor, facts, eligible, tier_key, ' +
  'tier_rank, benefit_package_key, scores, rollout_step, cutoff_run_id) FROM STDIN (FORMAT binary)';
const FIELDS = 17;

const SIGNATURE = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]); // PGCOPY\n\377\r\n\0
/** PostgreSQL's epoch (2000-01-01T00:00:00Z) in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
/** A hexadecimal digit's value by its character code, -1 for any other ASCII character. */
const HEX = Int8Array.from({ length: 128 }, (_, c) => {
  const ch = String.fromCharCode(c);
  return /[0-9a-fA-F]/.test(ch) ? parseInt(ch, 16) : -1;
});
/** A NUL or a lone UTF-16 surrogate (with the u flag a pair is one code point, not matched). */
const UNSTORABLE = /[\0\p{Cs}]/u;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/** A value binary COPY would not write exactly as the INSERT does: the whole flush goes by INSERT instead. */
class NotEncodable extends Error {}

/**
 * One column's last value and its encoded bytes (a text's with its length), so that a value repeated row after row is
 * encoded once. One per column: a single memo shared by all of them missed every time, the columns taking turns (the
 * id, then the policy id, then the version id; evaluated_at, then as_of).
 */
class Memo {
  value: unknown = undefined;
  constructor(public bytes: Buffer = Buffer.alloc(0)) {}
}

/**
 * A column's few distinct values (a tier key, a benefit package key: the version's handful) and their encoded bytes,
 * a text's with its length. At most MAX_VALUES are kept: a column of many values (not the case it is used for)
 * encodes the others as they come.
 */
class ValueMemo {
  static readonly MAX_VALUES = 64;
  readonly bytes = new Map<string, Buffer>();
}

/** jsonb `{}` (the scores of a ladder without scores): its length, version 1 and the text. */
const EMPTY_OBJECT_JSONB = Buffer.from([0, 0, 0, 3, 1, 0x7b, 0x7d]);

/** A growing buffer of COPY binary tuples. */
class TupleWriter {
  private buf: Buffer;
  private at = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(Math.max(size, 1024));
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  raw(b: Buffer): void {
    this.room(b.length);
    this.at += b.copy(this.buf, this.at);
  }

  int16(n: number): void {
    this.room(2);
    this.at = this.buf.writeInt16BE(n, this.at);
  }

  int32(n: number): void {
    this.room(4);
    this.at = this.buf.writeInt32BE(n, this.at);
  }

  null(): void {
    this.int32(-1);
  }

  /** text: UTF-8, as is. A lone surrogate (Buffer.from would silently make it U+FFFD) or a NUL PostgreSQL refuses goes by INSERT, which refuses it as today. */
  text(s: string | null, memo?: Memo): void {
    if (s === null) return this.null();
    if (memo !== undefined && s === memo.value) return this.raw(memo.bytes);
    if (typeof s !== 'string' || UNSTORABLE.test(s)) throw new NotEncodable();
    const start = this.at;
    this.utf8(s, 0);
    if (memo !== undefined) {
      memo.value = s;
      memo.bytes = Buffer.from(this.buf.subarray(start, this.at));
    }
  }

  /** text from a column of few values: each value's bytes encoded once (see ValueMemo). */
  textOf(s: string | null, memo: ValueMemo): void {
    if (s === null) return this.null();
    const hit = memo.bytes.get(s);
    if (hit !== undefined) return this.raw(hit);
    const start = this.at;
    this.text(s);
    if (memo.bytes.size < ValueMemo.MAX_VALUES) memo.bytes.set(s, Buffer.from(this.buf.subarray(start, this.at)));
  }

  /** jsonb: version 1, then the JSON text (what jsonb_in parses, as for the INSERT's json). A JSON null, an undefined value: by INSERT. */
  jsonb(v: unknown): void {
    if (emptyObject(v)) return this.raw(EMPTY_OBJECT_JSONB);
    const s = v === null ? undefined : JSON.stringify(v);
    if (s === undefined) throw new NotEncodable();
    this.utf8(s, 1);
  }

  /** The string's UTF-8 after its length (at most 3 bytes per UTF-16 unit: room made for that, then the length filled in). */
  private utf8(s: string, version: 0 | 1): void {
    this.room(4 + version + 3 * s.length);
    const head = this.at;
    this.at += 4;
    if (version) this.at = this.buf.writeUInt8(version, this.at);
    this.at += this.buf.write(s, this.at, 'utf8');
    this.buf.writeInt32BE(this.at - head - 4, head);
  }

  /** uuid: its 16 bytes. `memo`: the column's last id and its bytes (a batch's rows share their policy and version). */
  uuid(s: string | null, memo?: Memo): void {
    if (s === null) return this.null();
    this.room(20);
    this.at = this.buf.writeInt32BE(16, this.at);
    if (memo !== undefined && s === memo.value) {
      this.at += memo.bytes.copy(this.buf, this.at);
      return;
    }
    if (typeof s !== 'string' || s.length !== 36) throw new NotEncodable();
    const start = this.at;
    for (let i = 0; i < 36; i += 2) {
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        if (s.charCodeAt(i) !== 0x2d) throw new NotEncodable();
        i -= 1; // the pairs after a dash start one character later
        continue;
      }
      const hi = HEX[s.charCodeAt(i)];
      const lo = HEX[s.charCodeAt(i + 1)];
      if (hi === undefined || lo === undefined || hi < 0 || lo < 0) throw new NotEncodable();
      this.buf[this.at++] = (hi << 4) | lo;
    }
    if (memo !== undefined) {
      memo.value = s;
      this.buf.copy(memo.bytes, 0, start, this.at);
    }
  }

  /** int4: integers in range only (the INSERT refuses or rounds the others). */
  int4(n: number | null | undefined): void {
    if (n === null || n === undefined) return this.null();
    if (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) throw new NotEncodable();
    this.int32(4);
    this.int32(n);
  }

  bool(b: boolean): void {
    if (typeof b !== 'boolean') throw new NotEncodable();
    this.room(5);
    this.at = this.buf.writeInt32BE(1, this.at);
    this.at = this.buf.writeUInt8(b ? 1 : 0, this.at);
  }

  /**
   * timestamptz: microseconds since 2000-01-01 UTC. Years 1–9999 only, where the INSERT's ISO text reads back the same
   * instant. `memo`: the column's last instant (in ms) and its 8 bytes (a batch's rows share a few).
   */
  timestamptz(d: Date, memo: Memo): void {
    const ms = d instanceof Date ? d.getTime() : NaN;
    this.room(12);
    this.at = this.buf.writeInt32BE(8, this.at);
    if (ms === memo.value) {
      this.at += memo.bytes.copy(this.buf, this.at);
      return;
    }
    if (!Number.isFinite(ms)) throw new NotEncodable();
    const year = d.getUTCFullYear();
    if (year < 1 || year > 9999) throw new NotEncodable();
    memo.bytes.writeBigInt64BE(BigInt(ms - PG_EPOCH_MS) * 1000n, 0);
    memo.value = ms;
    this.at += memo.bytes.copy(this.buf, this.at);
  }

  done(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

/** An object JSON.stringify writes as `{}` for sure: a plain object literal without own enumerable keys. */
function emptyObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) return false;
  return !('toJSON' in v);
}

/**
 * The rows as one COPY binary stream (header, tuples, trailer), or null when a value is not one binary COPY
 * writes exactly as the multi-row INSERT would (then the caller inserts): a string with a lone surrogate or a
 * NUL, an id not in canonical form, a non-integer or out-of-range int, a date beyond years 1–9999, a missing value.
 */
export function encodeDecisions(rows: readonly DecisionRow[]): Buffer | null {
  const w = new TupleWriter(rows.length * 512);
  w.raw(SIGNATURE);
  w.int32(0); // flags
  w.int32(0); // header extension length
  const evaluatedAt = new Memo(Buffer.alloc(8));
  const asOf = new Memo(Buffer.alloc(8));
  const policyId = new Memo(Buffer.alloc(16));
  const versionId = new Memo(Buffer.alloc(16));
  const cutoffRunId = new Memo(Buffer.alloc(16));
  const policyKey = new Memo();
  const actor = new Memo();
  const tierKey = new ValueMemo();
  const packageKey = new ValueMemo();
  try {
    for (const r of rows) {
      w.int16(FIELDS);
      w.uuid(r.id); // each its own: no memo
      w.timestamptz(r.evaluatedAt, evaluatedAt);
      w.timestamptz(r.asOf, asOf);
      w.uuid(r.policyId, policyId);
      w.text(r.policyKey, policyKey);
      w.uuid(r.versionId, versionId);
      w.int4(r.versionNumber);
      w.text(r.customerId);
      w.text(r.actor, actor);
      w.jsonb(r.facts);
      w.bool(r.eligible);
      w.textOf(r.tierKey, tierKey);
      w.int4(r.tierRank);
      w.textOf(r.benefitPackageKey, packageKey);
      w.jsonb(r.scores);
      w.int4(r.rolloutStep);
      w.uuid(r.cutoffRunId, cutoffRunId);
    }
  } catch (e) {
    if (e instanceof NotEncodable) return null;
    throw e;
  }
  w.int16(-1); // trailer
  return w.done();
}

/**
 * One COPY of an encoded stream, on the caller's connection: one statement, so all of it is stored or none (a
 * refused value, a month not yet created, the connection lost). Resolves once PostgreSQL has committed it.
 */
export async function copyDecisions(client: PoolClient, data: Buffer): Promise<void> {
  const stream = client.query(copyFrom(COPY_SQL));
  const done = Promise.race([once(stream, 'finish'), once(stream, 'error').then(([e]) => Promise.reject(e as Error))]);
  stream.end(data);
  await done;
}
