import { randomFillSync } from 'node:crypto';

/**
 * A decision's id: a UUIDv7 (RFC 9562 §5.7) — the decision's instant in Unix milliseconds (48 bits), the version
 * (7), 74 random bits — instead of a random v4 (issue 17 target 2, test/bench/decision-copy-pg.bench.mjs). The log's
 * primary key (id, policy_id, evaluated_at) then grows at its right edge, in the order the decisions are made, rather
 * than at a random place of each month's index: a random id costs the COPY of 10,000 decisions ~1.6–2.1 µs a row more
 * of PostgreSQL's CPU in a 100,000-row month, and more as the month outgrows the cache (every insert reads, dirties
 * and after each checkpoint logs a whole page of its own). Ids stay unique by their 74 random bits, as a v4's 122 do
 * (a collision needs ~2^37 decisions in one millisecond). Earlier decisions keep their v4 ids: both are UUIDs.
 */

/** Random bytes an id takes (74 bits of them used). */
const BYTES = 10;
/** Random bytes drawn ahead for 256 ids (one system call per 256, as node's own randomUUID buffers its entropy). */
const POOL = BYTES * 256;
const pool = Buffer.allocUnsafe(POOL);
let next = POOL;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The id's first 13 hex digits and dashes (its millisecond and version) for the last millisecond asked. */
let prefixMs = NaN;
let prefix = '';

export function decisionId(ms: number): string {
  if (ms !== prefixMs) {
    if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 2 ** 48) throw new RangeError(`not a UUIDv7 instant: ${ms}`);
    const t = ms.toString(16).padStart(12, '0');
    prefixMs = ms;
    prefix = `${t.slice(0, 8)}-${t.slice(8)}-7`;
  }
  if (next === POOL) {
    randomFillSync(pool);
    next = 0;
  }
  const b = pool;
  const o = next;
  next += BYTES;
  // rand_a: 12 bits; the variant (10) and rand_b: 62 bits
  return (
    prefix +
    HEX[b[o] & 0x0f].charAt(1) +
    HEX[b[o + 1]] +
    '-' +
    HEX[(b[o + 2] & 0x3f) | 0x80] +
    HEX[b[o + 3]] +
    '-' +
    HEX[b[o + 4]] +
    HEX[b[o + 5]] +
    HEX[b[o + 6]] +
    HEX[b[o + 7]] +
    HEX[b[o + 8]] +
    HEX[b[o + 9]]
  );
}
