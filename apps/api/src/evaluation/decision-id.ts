import { randomFillSync } from 'node:crypto';

/**
 * A decision's id: a UUIDv7 (RFC 9562 §5.7) — the decision's instant in Unix milliseconds (48 bits), the version
 * (7), 74 random bits — instead of a random v4 (issue 17 target 2, test/bench/decision-copy-pg.bench.mjs). The log's
 * primary key (id, policy_id, evaluated_at) then grows at its right edge, in the order the decisions are made, rather
 * than at a random place of each month's index: a random id costs the COPY of 10,000 decisions ~1.6–2.1 µs a row more
 * of PostgreSQL's CPU in a 100,000-row month, and more as the month outgrows the cache (every insert reads, dirties
 * and after each checkpoint logs a whole page of its own). Ids stay unique by their 74 random bits, as a v4's 122 do
 * (a collision needs ~2^37 decisions in one millisecond). Earlier decisions keep their v4 ids: both are UUIDs.
 * Written here rather than taken from the uuid package: its v7() (uuid 14.0.3) took 21–28 ms per 10,000 ids against
 * 1.6–2.6 ms for this one, in one process on this machine (2026-12-03, under load) — a tenth of a batch's node CPU.
 */

/** Random bytes an id takes (74 bits of them used). */
const BYTES = 10;
/** Random bytes drawn ahead for 256 ids (one system call per 256, as node's own randomUUID buffers its entropy). */
const POOL = BYTES * 256;
const pool = Buffer.allocUnsafe(POOL);
let next = POOL;
/** Hexadecimal digits' character codes. */
const DIGITS = Buffer.from('0123456789abcdef', 'latin1');

/**
 * The id's 36 characters are written here, then read as one string: a flat one-byte string of 36 characters, where
 * joining its pieces made a rope of a dozen (each piece and join a heap object of its own, until its first read
 * flattened it into a copy — 10,000 of them in a batch).
 */
const text = Buffer.from('00000000-0000-7000-8000-000000000000', 'latin1');
/** The millisecond whose 12 digits `text` holds. */
let textMs = NaN;

/** Two hexadecimal digits of a byte at `at` in `text`. */
function hex(at: number, byte: number): void {
  text[at] = DIGITS[byte >> 4];
  text[at + 1] = DIGITS[byte & 15];
}

export function decisionId(ms: number): string {
  if (ms !== textMs) {
    if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 2 ** 48) throw new RangeError(`not a UUIDv7 instant: ${ms}`);
    const t = ms.toString(16).padStart(12, '0');
    text.write(t.slice(0, 8), 0, 'latin1');
    text.write(t.slice(8), 9, 'latin1');
    textMs = ms;
  }
  if (next === POOL) {
    randomFillSync(pool);
    next = 0;
  }
  const b = pool;
  const o = next;
  next += BYTES;
  // the version digit (7) stays at 14; rand_a: 12 bits (15–17); the variant (10) and rand_b: 62 bits (19–22, 24–35)
  text[15] = DIGITS[b[o] & 15];
  hex(16, b[o + 1]);
  hex(19, (b[o + 2] & 0x3f) | 0x80);
  hex(21, b[o + 3]);
  for (let i = 0; i < 6; i++) hex(24 + 2 * i, b[o + 4 + i]);
  return text.toString('latin1', 0, 36);
}
