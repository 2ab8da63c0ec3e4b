/**
 * The audit chain is sealed with a key kept outside the database (issue 14 point 10): whoever can
 * write to the database cannot append an event that verifies, and the head published outside the
 * database (a signed anchor file and a log line) proves that nothing was cut off or rewritten since.
 */
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ANCHOR_FILE } from '../../src/audit/audit-anchor';
import { AuditService } from '../../src/audit/audit.service';
import { canonicalJson } from '../../src/audit/canonical-json';
import { resolveAuditKey } from '../../src/audit/audit-key';
import { ConfigError } from '../../src/config/config';
import { setupPolicy } from '../helpers/fixtures';
import { createIsolatedTestApp, createTestApp, TestApp } from '../helpers/test-app';
import type { Client } from 'pg';

type Iso = TestApp & { url: string; db: Client };

/** What someone with database access but without the key can do: the next event with a correct plain SHA-256. */
async function forgeNext(db: Client, withKeyId: boolean): Promise<number> {
  const [last] = (await db.query('SELECT seq, hash, key_id FROM audit_event ORDER BY seq DESC LIMIT 1')).rows.concat([
    { seq: 0, hash: '0'.repeat(64), key_id: null },
  ]);
  const e = {
    id: randomUUID(),
    seq: Number(last.seq) + 1,
    at: new Date(),
    actor: 'mallory',
    action: 'version.approve',
    entityType: 'policy_version',
    entityId: randomUUID(),
  };
  const body = canonicalJson({ ...e, at: e.at.toISOString(), before: null, after: null, diff: null, comment: 'looks fine' });
  const hash = createHash('sha256')
    .update(last.hash + body)
    .digest('hex');
  const cols = 'id, seq, at, actor, action, entity_type, entity_id, comment, prev_hash, hash';
  const values = [e.id, e.seq, e.at, e.actor, e.action, e.entityType, e.entityId, 'looks fine', last.hash, hash];
  if (withKeyId) await db.query(`INSERT INTO audit_event (${cols}, key_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`, [...values, last.key_id]);
  else await db.query(`INSERT INTO audit_event (${cols}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`, values);
  return e.seq;
}

describe('audit key: a forged append does not verify', () => {
  let t: Iso;
  let compliance: { auth: { Authorization: string } };
  beforeEach(async () => {
    t = await createIsolatedTestApp();
    compliance = await t.login(['compliance']);
    await setupPolicy(t, (await t.login(['author'])).auth);
  });
  afterEach(() => t.close());
  const verify = async () => (await t.http.get('/api/audit-events/verify').set(compliance.auth).expect(200)).body;

  it('an INSERT with a correct plain SHA-256 (as before the key) is detected', async () => {
    expect(await verify()).toMatchObject({ valid: true, unkeyed: 0 });
    const seq = await forgeNext(t.db, false);
    expect(await verify()).toMatchObject({ valid: false, count: seq - 1, brokenAt: { seq, code: 'UNKEYED_EVENT' } });
  });

  it('the same with the key id copied from the events before it', async () => {
    const seq = await forgeNext(t.db, true);
    expect(await verify()).toMatchObject({ valid: false, brokenAt: { seq, code: 'CONTENT_MISMATCH' } });
  });

  it('the same chain read with another key: every event is named as sealed with another key', async () => {
    const shared = process.env.TEST_DATABASE_URL;
    process.env.TEST_DATABASE_URL = t.url; // the same database, another key
    const other = await createTestApp({ AUDIT_KEY: 'another-audit-key-that-is-long-enough-000000' }).finally(() => (process.env.TEST_DATABASE_URL = shared));
    try {
      const viewer = await other.login(['compliance']);
      const res = await other.http.get('/api/audit-events/verify').set(viewer.auth).expect(200);
      expect(res.body).toMatchObject({ valid: false, brokenAt: { seq: 1, code: 'KEY_MISMATCH' } });
    } finally {
      await other.close();
    }
  });
});

describe('audit key: events from before the key (a migrated install) are accepted only at the start', () => {
  let t: Iso;
  beforeAll(async () => {
    t = await createIsolatedTestApp();
  });
  afterAll(() => t.close());

  it('an unkeyed prefix verifies and is counted; keyed events after it verify; an unkeyed one after those does not', async () => {
    expect(Number((await t.db.query('SELECT count(*) AS n FROM audit_event')).rows[0].n)).toBe(0);
    await forgeNext(t.db, false); // the chain as the previous release wrote it: plain SHA-256, no key id
    await forgeNext(t.db, false);
    const compliance = await t.login(['compliance']); // keyed events from here on
    const res = await t.http.get('/api/audit-events/verify').set(compliance.auth).expect(200);
    expect(res.body).toMatchObject({ valid: true, unkeyed: 2 });
    expect(res.body.count).toBeGreaterThan(2);
    const seq = await forgeNext(t.db, false);
    expect((await t.http.get('/api/audit-events/verify').set(compliance.auth).expect(200)).body).toMatchObject({
      valid: false,
      brokenAt: { seq, code: 'UNKEYED_EVENT' },
    });
  });
});

describe('audit anchors: the head published outside the database, signed', () => {
  let t: Iso;
  let compliance: { auth: { Authorization: string } };
  let dataDir: string;
  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'tierwise-anchor-'));
    t = await createIsolatedTestApp({ TIERWISE_DATA_DIR: dataDir });
    compliance = await t.login(['compliance']);
    await setupPolicy(t, (await t.login(['author'])).auth);
  });
  afterEach(() => t.close());
  const verify = async () => (await t.http.get('/api/audit-events/verify').set(compliance.auth).expect(200)).body;
  const behindTheTrigger = async (sql: string, params: unknown[] = []) => {
    await t.db.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update');
    await t.db.query(sql, params);
    await t.db.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update');
  };

  it('publishes a signed line to the anchor file (mode 600); verify then catches events cut off after it', async () => {
    const anchor = await t.app.get(AuditService).publishAnchor();
    expect(anchor).toEqual({ chain: expect.any(String), seq: expect.any(Number), hash: expect.any(String), at: expect.any(String), mac: expect.any(String) });
    const file = path.join(dataDir, ANCHOR_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8').trim().split('\n').at(-1) as string)).toEqual(anchor);
    expect(await t.app.get(AuditService).publishAnchor()).toBeNull(); // the head has not moved
    const head = anchor as { seq: number; hash: string };
    expect(await verify()).toMatchObject({ valid: true, anchor: { seq: head.seq, hash: head.hash } });

    await behindTheTrigger('DELETE FROM audit_event WHERE seq >= $1', [head.seq - 1]);
    expect(await verify()).toMatchObject({ valid: false, count: head.seq - 2, brokenAt: { code: 'EVENTS_REMOVED', seq: head.seq - 1 } });
  });

  it('an anchor line written without the key is refused', async () => {
    const anchor = (await t.app.get(AuditService).publishAnchor()) as { seq: number; hash: string; chain: string };
    appendFileSync(path.join(dataDir, ANCHOR_FILE), JSON.stringify({ ...anchor, seq: anchor.seq - 1, mac: 'ab'.repeat(32) }) + '\n');
    expect(await verify()).toMatchObject({ valid: false, brokenAt: { code: 'ANCHOR_FORGED' } });
  });
});

describe('where the audit key comes from', () => {
  const base = { demoMode: false, dataDir: mkdtempSync(path.join(tmpdir(), 'tierwise-key-')) };

  it('production without AUDIT_KEY or AUDIT_KEY_FILE: refused, saying what to set', () => {
    expect(() => resolveAuditKey(base)).toThrow(ConfigError);
    expect(() => resolveAuditKey(base)).toThrow(/AUDIT_KEY is not set.*AUDIT_KEY_FILE/);
  });

  it('demo mode: generated once in the data folder, mode 600, the same key at the next start', () => {
    const demo = { ...base, demoMode: true };
    const first = resolveAuditKey(demo);
    expect(statSync(path.join(base.dataDir, 'audit.key')).mode & 0o777).toBe(0o600);
    expect(resolveAuditKey(demo).id).toBe(first.id);
    expect(first.key.length).toBeGreaterThanOrEqual(32);
  });

  it('a key file others can read is refused; a short key is refused', () => {
    const file = path.join(base.dataDir, 'open.key');
    appendFileSync(file, 'x'.repeat(40), { mode: 0o644 });
    expect(() => resolveAuditKey({ ...base, auditKeyFile: file })).toThrow(/can be read by others/);
    expect(() => resolveAuditKey({ ...base, auditKey: 'short' })).toThrow(/at least 32/);
  });
});
