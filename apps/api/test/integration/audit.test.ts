import { Client } from 'pg';
import { hashEvent } from '../../src/audit/audit.service';
import { cardDefinition, setupPolicy } from '../helpers/fixtures';
import { createIsolatedTestApp, TEST_AUDIT_KEY, TestApp } from '../helpers/test-app';

describe('audit: every change, in order, in a tamper-evident chain', () => {
  let t: TestApp & { url: string; db: Client };
  let db: Client;
  beforeAll(async () => {
    t = await createIsolatedTestApp();
    db = t.db;
  });
  afterAll(() => t.close());

  it('records the story with diffs, in order, and the chain verifies', async () => {
    const author = await t.login(['author'], 'alice');
    const approver = await t.login(['approver'], 'bob');
    const compliance = await t.login(['compliance'], 'carol');
    const { fact, policy } = await setupPolicy(t, author.auth);
    const draft = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author.auth)
      .send({ definition: cardDefinition(fact, 1_000_000) })
      .expect(201);
    await t.http
      .put(`/api/policy-versions/${draft.body.id}`)
      .set(author.auth)
      .set('If-Match', '1')
      .send({ definition: cardDefinition(fact, 800_000), changeNote: 'lower black' })
      .expect(200);
    await t.http.post(`/api/policy-versions/${draft.body.id}/submit`).set(author.auth).send({ comment: 'please review' }).expect(200);
    await t.http.post(`/api/policy-versions/${draft.body.id}/reject`).set(approver.auth).send({ comment: 'add a test case' }).expect(200);
    await t.http.post(`/api/policy-versions/${draft.body.id}/submit`).set(author.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${draft.body.id}/approve`).set(approver.auth).send({ comment: 'ok' }).expect(200);
    await t.http.post(`/api/policy-versions/${draft.body.id}/publish`).set(approver.auth).send({}).expect(200);
    await t.http.post('/api/auth/login').send({ username: author.username, password: 'wrong password' }).expect(401);

    const events = await t.http.get('/api/audit-events').query({ entityId: draft.body.id, sort: '["seq","ASC"]' }).set(compliance.auth).expect(200);
    expect(events.body.map((e: { action: string; actor: string }) => `${e.action}:${e.actor.split('-')[0]}`)).toEqual([
      'version.create:alice',
      'version.update:alice',
      'version.submit:alice',
      'version.reject:bob',
      'version.submit:alice',
      'version.approve:bob',
      'version.publish:bob',
    ]);
    const update = events.body[1];
    expect(update.diff).toEqual([
      { path: 'definition.tiers[0].when.all[0].value', type: 'CHANGE', before: 1_000_000, after: 800_000 },
      expect.objectContaining({ path: 'changeNote' }),
      expect.objectContaining({ path: 'revision', before: 1, after: 2 }),
    ]);
    expect(events.body[3]).toMatchObject({
      comment: 'add a test case',
      diff: expect.arrayContaining([{ path: 'status', type: 'CHANGE', before: 'in_review', after: 'draft' }]),
    });
    const seqs = events.body.map((e: { seq: number }) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);

    const catalog = await t.http.get('/api/audit-events').query({ entityType: 'fact', entityId: fact }).set(compliance.auth).expect(200);
    expect(catalog.body).toEqual([expect.objectContaining({ action: 'fact.create', after: expect.objectContaining({ key: fact, type: 'number' }) })]);
    const failed = await t.http.get('/api/audit-events').query({ action: 'auth.login_failed' }).set(compliance.auth).expect(200);
    expect(failed.body.some((e: { actor: string }) => e.actor === author.username)).toBe(true);

    const csv = await t.http.get('/api/audit-events/export.csv').query({ entityId: draft.body.id }).set(compliance.auth).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\n').filter(Boolean)).toHaveLength(8);
    await t.http.get('/api/audit-events/export.csv').set(author.auth).expect(403);

    const verify = await t.http.get('/api/audit-events/verify').set(compliance.auth).expect(200);
    expect(verify.body.valid).toBe(true);
    expect(verify.body.count).toBeGreaterThan(10);
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE on audit events', async () => {
    await expect(db.query(`UPDATE audit_event SET actor = 'mallory'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
  });

  it('an interrupted publish leaves no half state: the version, its predecessor and the chain are as before', async () => {
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    const { fact, policy } = await setupPolicy(t, author.auth);
    const v1 = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author.auth)
      .send({ definition: cardDefinition(fact, 1_000_000) })
      .expect(201);
    for (const step of ['submit', 'approve', 'publish'])
      await t.http
        .post(`/api/policy-versions/${v1.body.id}/${step}`)
        .set(step === 'submit' ? author.auth : approver.auth)
        .send({})
        .expect(200);
    const v2 = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author.auth)
      .send({ definition: cardDefinition(fact, 900_000) })
      .expect(201);
    await t.http.post(`/api/policy-versions/${v2.body.id}/submit`).set(author.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${v2.body.id}/approve`).set(approver.auth).send({}).expect(200);
    // approval froze the catalog entries v2 uses; a failed publish must leave exactly that
    const approvedFrozen = (await db.query('SELECT frozen FROM policy_version WHERE id = $1', [v2.body.id])).rows[0].frozen;
    expect(approvedFrozen).not.toBeNull();
    // The failure strikes at the last write of the publish transaction: its audit event.
    await db.query(`CREATE FUNCTION fail_publish() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW.action = 'version.publish' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER fail_publish BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION fail_publish()`);
    try {
      await t.http.post(`/api/policy-versions/${v2.body.id}/publish`).set(approver.auth).send({}).expect(500);
    } finally {
      await db.query('DROP TRIGGER fail_publish ON audit_event');
      await db.query('DROP FUNCTION fail_publish()');
    }
    const rows = (await db.query(`SELECT id, status, superseded_at, frozen FROM policy_version WHERE policy_id = $1 ORDER BY number`, [policy.id])).rows;
    expect(rows.map((r) => [r.status, r.superseded_at, r.frozen === null])).toEqual([
      ['published', null, false],
      ['approved', null, false],
    ]);
    expect(rows[1].frozen).toEqual(approvedFrozen);
    const r = await t.http
      .post('/api/evaluate')
      .set(author.auth)
      .send({ policy: policy.key, facts: { [fact]: 950_000 } })
      .expect(200);
    expect(r.body.policy.number).toBe(1);
    expect((await t.http.get('/api/audit-events/verify').set(author.auth).expect(200)).body.valid).toBe(true);
    await t.http.post(`/api/policy-versions/${v2.body.id}/publish`).set(approver.auth).send({}).expect(200);
  });

  it('verify names the event a superuser altered behind the trigger', async () => {
    const compliance = await t.login(['compliance']);
    const before = await t.http.get('/api/audit-events/verify').set(compliance.auth).expect(200);
    expect(before.body.valid).toBe(true);
    const target = (await db.query(`SELECT id, seq FROM audit_event WHERE action = 'version.approve' ORDER BY seq LIMIT 1`)).rows[0];
    await db.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update');
    await db.query(`UPDATE audit_event SET comment = 'approved without reading' WHERE id = $1`, [target.id]);
    await db.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update');
    const after = await t.http.get('/api/audit-events/verify').set(compliance.auth).expect(200);
    expect(after.body).toMatchObject({
      valid: false,
      brokenAt: { id: target.id, seq: Number(target.seq), code: 'CONTENT_MISMATCH', reason: 'content does not match its hash' },
    });
  });
});

describe('audit: an anchor (a head kept outside) catches what the chain alone cannot', () => {
  let t: TestApp & { url: string; db: Client };
  let compliance: { auth: { Authorization: string } };
  beforeEach(async () => {
    t = await createIsolatedTestApp();
    compliance = await t.login(['compliance']);
    const author = await t.login(['author']);
    await setupPolicy(t, author.auth);
  });
  afterEach(() => t.close());

  const verify = (anchor?: string) =>
    t.http
      .get('/api/audit-events/verify')
      .query(anchor ? { anchor } : {})
      .set(compliance.auth)
      .expect(200);
  const behindTheTrigger = async (sql: () => Promise<unknown>) => {
    await t.db.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update');
    await sql();
    await t.db.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update');
  };

  it('events cut off the end of the chain', async () => {
    const { head } = (await verify()).body;
    expect(head).toEqual({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await verify(`${head.seq}:${head.hash}`)).body).toMatchObject({ valid: true, count: head.seq });
    await behindTheTrigger(() => t.db.query('DELETE FROM audit_event WHERE seq >= $1', [head.seq - 1]));
    expect((await verify()).body).toMatchObject({ valid: true, count: head.seq - 2 }); // the chain alone cannot tell
    const anchored = (await verify(`${head.seq}:${head.hash}`)).body;
    expect(anchored).toMatchObject({
      valid: false,
      count: head.seq - 2,
      brokenAt: { seq: head.seq - 1, code: 'EVENTS_REMOVED', reason: expect.stringContaining('events were removed') },
    });
  });

  it('a chain rewritten and re-hashed from an altered event on', async () => {
    const { head } = (await verify()).body;
    await behindTheTrigger(async () => {
      await t.db.query(`UPDATE audit_event SET comment = 'rewritten' WHERE seq = 2`);
      const rows = (await t.db.query('SELECT * FROM audit_event WHERE seq >= 2 ORDER BY seq')).rows;
      let prev = (await t.db.query('SELECT hash FROM audit_event WHERE seq = 1')).rows[0].hash as string;
      for (const r of rows) {
        const hash = hashEvent(Buffer.from(TEST_AUDIT_KEY), prev, {
          id: r.id,
          seq: Number(r.seq),
          at: r.at,
          actor: r.actor,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          before: r.before,
          after: r.after,
          diff: r.diff,
          comment: r.comment,
          keyId: r.key_id,
        });
        await t.db.query('UPDATE audit_event SET prev_hash = $2, hash = $3 WHERE id = $1', [r.id, prev, hash]);
        prev = hash;
      }
    });
    expect((await verify()).body.valid).toBe(true); // re-hashed: the chain alone cannot tell
    const anchored = (await verify(`${head.seq}:${head.hash}`)).body;
    expect(anchored).toMatchObject({ valid: false, brokenAt: { seq: head.seq, code: 'ANCHOR_REWRITTEN', reason: expect.stringContaining('rewritten') } });
  });

  it('refuses a malformed anchor with 400 naming it', async () => {
    for (const anchor of ['12', '0:' + 'a'.repeat(64), '3:xyz', `3:${'A'.repeat(64)}`]) {
      const res = await t.http.get('/api/audit-events/verify').query({ anchor }).set(compliance.auth).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ path: 'anchor' })]);
    }
  });
});
