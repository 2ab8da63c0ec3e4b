import { Client } from 'pg';
import { cardDefinition, publishVersion, setupPolicy, uniqueKey } from '../helpers/fixtures';
import { createTestApp, databaseUrl, TestApp } from '../helpers/test-app';

describe('policy lifecycle: the whole story', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('draft → errors with paths → fixed → submit → four-eyes → approve → publish tomorrow → evaluate now/tomorrow → decisions', async () => {
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    const service = await t.login(['service']);
    const compliance = await t.login(['compliance']);
    const { fact, pkg, policy } = await setupPolicy(t, author.auth);

    // v1 is in effect now: BLACK from 1,000,000.
    const v1 = await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact, 1_000_000, 100_000, pkg));
    expect(v1.status).toBe('published');

    // The author drafts v2 with two mistakes; validation names each path.
    const broken = cardDefinition(fact, 800_000);
    broken.tiers[0].when = { all: [{ fact: 'noSuchFact', operator: 'greaterThanInclusive', value: 800_000 }] };
    broken.tiers[1].when = { all: [{ fact, operator: 'greaterThanInclusive', value: 'lots' }] };
    const draft = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author.auth)
      .send({ definition: broken, changeNote: 'lower the black threshold' })
      .expect(201);
    expect(draft.body).toMatchObject({ status: 'draft', number: 2, revision: 1 });
    expect(draft.body.validation.valid).toBe(false);
    const paths = draft.body.validation.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['tiers[0].when.all[0].fact', 'tiers[1].when.all[0].value']));
    const refused = await t.http.post(`/api/policy-versions/${draft.body.id}/submit`).set(author.auth).send({}).expect(422);
    expect(refused.body.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['definition.tiers[0].when.all[0].fact']));

    // Fixed, with a test case that holds at the new boundary.
    await t.http
      .post(`/api/policies/${policy.id}/test-cases`)
      .set(author.auth)
      .send({ name: '800,000 is black', facts: { [fact]: 800_000 }, expectedTier: 'BLACK' })
      .expect(201);
    const fixed = await t.http
      .put(`/api/policy-versions/${draft.body.id}`)
      .set(author.auth)
      .set('If-Match', '1')
      .send({ definition: cardDefinition(fact, 800_000, 100_000, pkg), changeNote: 'lower the black threshold to 800,000' })
      .expect(200);
    expect(fixed.body).toMatchObject({ revision: 2, validation: { valid: true } });
    await t.http.post(`/api/policy-versions/${draft.body.id}/submit`).set(author.auth).send({}).expect(200);

    // In review the version is locked.
    await t.http
      .put(`/api/policy-versions/${draft.body.id}`)
      .set(author.auth)
      .set('If-Match', '2')
      .send({ definition: cardDefinition(fact) })
      .expect(409);

    // The author cannot approve (no approver role), and neither can an author who also holds the approver role.
    await t.http.post(`/api/policy-versions/${draft.body.id}/approve`).set(author.auth).send({}).expect(403);
    const both = await t.login(['author', 'approver']);
    const own = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(both.auth)
      .send({ definition: cardDefinition(fact, 750_000) })
      .expect(201);
    await t.http.post(`/api/policy-versions/${own.body.id}/submit`).set(both.auth).send({}).expect(200);
    const selfApprove = await t.http.post(`/api/policy-versions/${own.body.id}/approve`).set(both.auth).send({}).expect(403);
    expect(selfApprove.body.code).toBe('FOUR_EYES');

    await t.http.post(`/api/policy-versions/${draft.body.id}/approve`).set(approver.auth).send({ comment: 'checked the simulation' }).expect(200);
    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    tomorrow.setUTCMilliseconds(0);
    const published = await t.http
      .post(`/api/policy-versions/${draft.body.id}/publish`)
      .set(approver.auth)
      .send({ effectiveFrom: tomorrow.toISOString() })
      .expect(200);
    expect(published.body.status).toBe('scheduled');
    const shownPolicy = await t.http.get(`/api/policies/${policy.id}`).set(author.auth).expect(200);
    expect(shownPolicy.body).toMatchObject({ activeVersionId: v1.id, scheduledVersions: [{ id: draft.body.id, number: 2 }] });

    // 850,000 today: v1 says GOLD. Tomorrow: v2 says BLACK. Exactly at the instant v2 decides; a millisecond before, v1.
    const customerId = uniqueKey('cust');
    const now = await t.http
      .post('/api/evaluate')
      .set(service.auth)
      .send({ policy: policy.key, facts: { [fact]: 850_000 }, customerId })
      .expect(200);
    expect(now.body).toMatchObject({ policy: { versionId: v1.id, number: 1 }, tier: { key: 'GOLD', rank: 2 }, eligible: true });
    const later = await t.http
      .post('/api/evaluate')
      .set(service.auth)
      .send({ policy: policy.key, facts: { [fact]: 850_000 }, customerId, at: tomorrow.toISOString() })
      .expect(200);
    expect(later.body).toMatchObject({ policy: { versionId: draft.body.id, number: 2 }, tier: { key: 'BLACK', rank: 1 } });
    expect(later.body.benefitPackage).toMatchObject({ key: pkg, benefits: [expect.objectContaining({ name: '机场贵宾服务' })] });
    const justBefore = await t.http
      .post('/api/evaluate')
      .set(service.auth)
      .send({ policy: policy.key, facts: { [fact]: 850_000 }, at: new Date(tomorrow.getTime() - 1).toISOString() })
      .expect(200);
    expect(justBefore.body.policy.number).toBe(1);

    // Decisions for the customer, with their versions; the full record has inputs and trace.
    const decisions = await t.http.get('/api/decisions').query({ customerId }).set(compliance.auth).expect(200);
    expect(decisions.body.map((d: { versionNumber: number; tierKey: string }) => [d.versionNumber, d.tierKey]).sort()).toEqual([
      [1, 'GOLD'],
      [2, 'BLACK'],
    ]);
    const one = await t.http.get(`/api/decisions/${now.body.decisionId}`).set(compliance.auth).expect(200);
    expect(one.body).toMatchObject({ customerId, facts: { [fact]: 850_000 }, version: { number: 1 } });
    expect(one.body.explanation.en.join(' ')).toContain('850,000');
  });

  it('two concurrent edits of a draft: exactly one wins, the other gets 409 and nothing is lost', async () => {
    const author = await t.login(['author']);
    const other = await t.login(['author']);
    const { fact, policy } = await setupPolicy(t, author.auth);
    const draft = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author.auth)
      .send({ definition: cardDefinition(fact) })
      .expect(201);
    const edits = await Promise.all(
      [
        [author, 2_000_000],
        [other, 3_000_000],
      ].map(([who, black]) =>
        t.http
          .put(`/api/policy-versions/${draft.body.id}`)
          .set((who as typeof author).auth)
          .set('If-Match', '1')
          .send({ definition: cardDefinition(fact, black as number) }),
      ),
    );
    expect(edits.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = edits.find((r) => r.status === 200);
    const loser = edits.find((r) => r.status === 409);
    expect(loser?.body.code).toBe('STALE_REVISION');
    const stored = await t.http.get(`/api/policy-versions/${draft.body.id}`).set(author.auth).expect(200);
    expect(stored.body.revision).toBe(2);
    expect(stored.body.definition).toEqual(winner?.body.definition);
    await t.http
      .put(`/api/policy-versions/${draft.body.id}`)
      .set(author.auth)
      .send({ definition: cardDefinition(fact) })
      .expect(412);
  });

  it('published versions are immutable through the API and in the database', async () => {
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    const { fact, policy } = await setupPolicy(t, author.auth);
    const v = await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact));
    const put = await t.http
      .put(`/api/policy-versions/${v.id}`)
      .set(author.auth)
      .set('If-Match', '1')
      .send({ definition: cardDefinition(fact, 1) })
      .expect(409);
    expect(put.body.code).toBe('VERSION_IMMUTABLE');
    await t.http.post(`/api/policy-versions/${v.id}/submit`).set(author.auth).send({}).expect(409);
    await t.http.post(`/api/policy-versions/${v.id}/approve`).set(approver.auth).send({}).expect(409);
    await t.http.post(`/api/policy-versions/${v.id}/publish`).set(approver.auth).send({}).expect(409);
    const db = new Client({ connectionString: databaseUrl() });
    await db.connect();
    try {
      await expect(db.query(`UPDATE policy_version SET definition = '{}' WHERE id = $1`, [v.id])).rejects.toThrow(/published: it cannot change/);
      await expect(db.query(`DELETE FROM policy_version WHERE id = $1`, [v.id])).rejects.toThrow(/cannot be deleted/);
    } finally {
      await db.end();
    }
    // Retiring is the one step left (asked by one approver, approved by another); after it nothing changes.
    const second = await t.login(['approver']);
    await t.http.post(`/api/policy-versions/${v.id}/retire`).set(approver.auth).send({ comment: 'replaced', acknowledgeGap: true }).expect(200);
    await t.http.post(`/api/policy-versions/${v.id}/approve-retirement`).set(second.auth).send({ acknowledgeGap: true }).expect(200);
    await t.http.post(`/api/policy-versions/${v.id}/retire`).set(approver.auth).send({}).expect(409);
    await t.http.post(`/api/policy-versions/${v.id}/approve-retirement`).set(second.auth).send({ acknowledgeGap: true }).expect(409);
    await t.http
      .post('/api/evaluate')
      .set(approver.auth)
      .send({ policy: policy.key, facts: { [fact]: 5 } })
      .expect(404);
  });

  it('a published version keeps the packages it froze when the catalog changes later', async () => {
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    const { fact, benefit, pkg, policy } = await setupPolicy(t, author.auth);
    await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact, 1_000_000, 100_000, pkg));
    await t.http.put(`/api/benefits/${benefit}`).set(author.auth).send({ key: benefit, name: '已改名', unitCost: 999 }).expect(200);
    const r = await t.http
      .post('/api/evaluate')
      .set(author.auth)
      .send({ policy: policy.key, facts: { [fact]: 1_000_000 } })
      .expect(200);
    expect(r.body.benefitPackage.benefits).toEqual([expect.objectContaining({ key: benefit, name: '机场贵宾服务' })]);
    // The fact is used by a non-retired version: retyping or deleting it is refused, naming the version.
    const retype = await t.http
      .put(`/api/facts/${fact}`)
      .set(author.auth)
      .send({ key: fact, label: `日均资产 ${fact}`, type: 'string' })
      .expect(409);
    expect(retype.body.message).toContain(`${policy.key} v1`);
    await t.http.delete(`/api/facts/${fact}`).set(author.auth).expect(409);
    await t.http.delete(`/api/benefit-packages/${pkg}`).set(author.auth).expect(409);
    // Relabelling is fine.
    await t.http
      .put(`/api/facts/${fact}`)
      .set(author.auth)
      .send({ key: fact, label: `日均综合金融资产 ${fact}`, type: 'number' })
      .expect(200);
  });

  it('evaluates at the boundary: exactly 1,000,000 is BLACK, 999,999.99 is not', async () => {
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    const { fact, policy } = await setupPolicy(t, author.auth);
    await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact));
    const at = async (v: number) =>
      (
        await t.http
          .post('/api/evaluate')
          .set(author.auth)
          .send({ policy: policy.key, facts: { [fact]: v } })
          .expect(200)
      ).body.tier.key;
    expect(await at(1_000_000)).toBe('BLACK');
    expect(await at(999_999.99)).toBe('GOLD');
    const wrongType = await t.http
      .post('/api/evaluate')
      .set(author.auth)
      .send({ policy: policy.key, facts: { [fact]: 'a million' } })
      .expect(422);
    expect(wrongType.body.details).toEqual([expect.objectContaining({ path: `facts.${fact}` })]);
  });

  it('rollback: a new draft based on an older version goes through the same workflow', async () => {
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    const { fact, policy } = await setupPolicy(t, author.auth);
    const v1 = await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact, 1_000_000));
    await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact, 2_000_000));
    const rollback = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author.auth)
      .send({ basedOn: v1.id, changeNote: 'roll back to v1' })
      .expect(201);
    expect(rollback.body).toMatchObject({ number: 3, status: 'draft', basedOn: v1.id, definition: cardDefinition(fact, 1_000_000) });
    const diff = await t.http.get(`/api/policy-versions/${rollback.body.id}/diff`).query({ against: v1.id }).set(author.auth).expect(200);
    expect(diff.body.summary).toMatchObject({ changed: 0, added: 0, removed: 0 });
  });

  it('diff: per tier, each threshold before → after', async () => {
    const author = await t.login(['author']);
    const { fact, policy } = await setupPolicy(t, author.auth);
    const a = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author.auth)
      .send({ definition: cardDefinition(fact, 1_000_000, 100_000) })
      .expect(201);
    const next = cardDefinition(fact, 1_000_000, 300_000);
    next.tiers.splice(1, 0, { key: 'PLATINUM', name: '白金客户', when: { all: [{ fact, operator: 'greaterThanInclusive', value: 500_000 }] } });
    const b = await t.http.post(`/api/policies/${policy.id}/versions`).set(author.auth).send({ definition: next }).expect(201);
    const diff = await t.http.get(`/api/policy-versions/${b.body.id}/diff`).query({ against: a.body.id }).set(author.auth).expect(200);
    const byKey = Object.fromEntries(diff.body.tiers.map((x: { key: string }) => [x.key, x]));
    expect(byKey.PLATINUM).toMatchObject({ change: 'added', rank: { after: 2 } });
    expect(byKey.GOLD).toMatchObject({ change: 'changed', moved: true, rank: { before: 2, after: 3 } });
    expect(byKey.GOLD.conditions).toEqual([
      {
        path: 'all[0]',
        fact,
        change: 'changed',
        before: { operator: 'greaterThanInclusive', value: 100_000 },
        after: { operator: 'greaterThanInclusive', value: 300_000 },
      },
    ]);
    expect(byKey.BLACK.change).toBe('unchanged');
    const other = await setupPolicy(t, author.auth);
    const foreign = await t.http
      .post(`/api/policies/${other.policy.id}/versions`)
      .set(author.auth)
      .send({ definition: cardDefinition(other.fact) })
      .expect(201);
    await t.http.get(`/api/policy-versions/${b.body.id}/diff`).query({ against: foreign.body.id }).set(author.auth).expect(422);
  });
});
