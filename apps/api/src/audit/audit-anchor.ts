import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, open } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Anchors: the chain's head (seq and hash), published outside the database at intervals — a line
 * appended to `<TIERWISE_DATA_DIR>/audit-anchors.jsonl` and the same in the log — each signed with
 * the audit key. `verify` checks the newest one: the chain must still hold that event with that
 * hash, which proves that nothing up to it was cut off or rewritten since (the chain alone cannot
 * show a cut-off tail, nor a rewrite by someone holding the key). `chain` is the hash of event 1, so
 * anchors of another database in the same folder are told apart.
 */
export interface Anchor {
  chain: string;
  seq: number;
  hash: string;
  at: string;
  mac: string;
}

export const ANCHOR_FILE = 'audit-anchors.jsonl';

const macOf = (key: Buffer, a: Omit<Anchor, 'mac'>) =>
  createHmac('sha256', key).update(`tierwise audit anchor\n${a.chain}\n${a.seq}\n${a.hash}\n${a.at}`).digest('hex');

export function signAnchor(key: Buffer, a: Omit<Anchor, 'mac'>): Anchor {
  return { ...a, mac: macOf(key, a) };
}

export function anchorSigned(key: Buffer, a: Anchor): boolean {
  const want = Buffer.from(macOf(key, a), 'hex');
  const got = Buffer.from(typeof a.mac === 'string' ? a.mac : '', 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

export function appendAnchor(dataDir: string, a: Anchor): Promise<void> {
  return appendFile(path.join(dataDir, ANCHOR_FILE), `${JSON.stringify(a)}\n`, { mode: 0o600 });
}

function isAnchor(v: unknown): v is Anchor {
  const a = v as Partial<Anchor> | null;
  return !!a && typeof a.chain === 'string' && Number.isSafeInteger(a.seq) && typeof a.hash === 'string' && typeof a.at === 'string';
}

/** The anchors at the end of the file (its last 64 KiB), newest first; none when there is no file. */
export async function latestAnchors(dataDir: string): Promise<Anchor[]> {
  let handle;
  try {
    handle = await open(path.join(dataDir, ANCHOR_FILE), 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    if (length < size) lines.shift(); // a partial first line
    const out: Anchor[] = [];
    for (const line of lines.reverse()) {
      try {
        const v: unknown = JSON.parse(line);
        if (isAnchor(v)) out.push(v);
      } catch {
        /* an empty or torn line */
      }
    }
    return out;
  } finally {
    await handle.close();
  }
}
