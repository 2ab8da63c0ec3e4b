import { Client } from 'pg';
import { cardDefinition, publishVersion, setupPolicy } from '../helpers/fixtures';
import { createTestApp, databaseUrl, TestApp } from '../helpers/test-app';

/** What the console's authors and reviewers rely on: try-it on unsaved edits, withdraw, discard, errors the console can translate. */
describe('authoring: unsaved try-it, withdraw, discard, coded errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const setup = async () => {
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    const { fact, policy } = await setupPolicy(t, author.auth);
    const draft = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author.auth)
      .send({ definition: cardDefinition(fact, 1_000_000, 100_000) })
      .expect(201);
    return { author, approver, fact, policy, draft: draft.body as { id: string; number: number } };
  };

  it('evaluates a definition sent inline in place of the saved one, at the boundary, and logs nothing', async () => {
    const { author, fact, policy, draft } = await setup();
    const compliance = await t.login(['compliance']);
    const decisionsBefore = await t.http.get('/api/decisions').query({ policy: policy.key }).set(compliance.auth).expect(200);
    const saved = await t.http
      .post(`/api/policy-versions/${draft.id}/evaluate`)
      .set(author.auth)
      .send({ facts: { [fact]: 800_000 } })
      .expect(200);
    expect(saved.body.tier.key).toBe('GOLD');
    // the unsaved edit lowers BLACK to 800,000: exactly 800,000 is BLACK, 799,999.99 is not
    const unsaved = cardDefinition(fact, 800_000, 100_000);
    const at = await t.http
      .post(`/api/policy-versions/${draft.id}/evaluate`)
      .set(author.auth)
      .send({ facts: { [fact]: 800_000 }, definition: unsaved })
      .expect(200);
    expect(at.body).toMatchObject({ tier: { key: 'BLACK' }, policy: { versionId: draft.id } });
    const below = await t.http
      .post(`/api/policy-versions/${draft.id}/evaluate`)
      .set(author.auth)
      .send({ facts: { [fact]: 799_999.99 }, definition: unsaved })
      .expect(200);
    expect(below.body.tier.key).toBe('GOLD');
    // the saved draft is unchanged, and no decision was logged
    const stored = await t.http.get(`/api/policy-versions/${draft.id}`).set(author.auth).expect(200);
    expect(stored.body.definition.tiers[0].when.all[0].value).toBe(1_000_000);
    const decisionsAfter = await t.http.get('/api/decisions').query({ policy: policy.key }).set(compliance.auth).expect(200);
    expect(decisionsAfter.header['content-range']).toBe(decisionsBefore.header['content-range']);
  });

  it('refuses an invalid inline definition with 422 and the path of the problem, and a viewer with 403', async () => {
    const { author, fact, draft } = await setup();
    const broken = cardDefinition(fact);
    broken.tiers[0].when = { all: [{ fact: 'noSuchFact', operator: 'greaterThanInclusive', value: 1 }] };
    const refused = await t.http
      .post(`/api/policy-versions/${draft.id}/evaluate`)
      .set(author.auth)
      .send({ facts: { [fact]: 1 }, definition: broken })
      .expect(422);
    expect(refused.body.code).toBe('INVALID_DEFINITION');
    expect(refused.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'definition.tiers[0].when.all[0].fact', code: 'unknown-fact' })]),
    );
    expect(refused.body.details.find((d: { code: string }) => d.code === 'unknown-fact').messageZh).toEqual(expect.any(String));
    const notAnObject = await t.http.post(`/api/policy-versions/${draft.id}/evaluate`).set(author.auth).send({ facts: {}, definition: 'tiers' }).expect(422);
    expect(notAnObject.body.code).toBe('INVALID_DEFINITION');
    const viewer = await t.login(['viewer']);
    await t.http
      .post(`/api/policy-versions/${draft.id}/evaluate`)
      .set(viewer.auth)
      .send({ facts: {}, definition: cardDefinition(fact) })
      .expect(403);
  });

  it("refuses a leaf's params that no operator reads with 422 and the path, on try-it and on submit", async () => {
    const { author, fact, policy } = await setup();
    const withParams = cardDefinition(fact);
    withParams.tiers[0].when = { all: [{ fact, operator: 'greaterThanInclusive', value: 1_000_000, params: { quantiles: 5 } }] };
    const { body: draft } = await t.http.post(`/api/policies/${policy.id}/versions`).set(author.auth).send({ definition: withParams }).expect(201);
    const tryIt = await t.http
      .post(`/api/policy-versions/${draft.id}/evaluate`)
      .set(author.auth)
      .send({ facts: { [fact]: 1 }, definition: withParams })
      .expect(422);
    expect(tryIt.body.code).toBe('INVALID_DEFINITION');
    expect(tryIt.body.details).toEqual([
      expect.objectContaining({
        path: 'definition.tiers[0].when.all[0].params.quantiles',
        code: 'unknown-param',
        messageZh: expect.stringContaining('quantiles'),
      }),
    ]);
    const submit = await t.http.post(`/api/policy-versions/${draft.id}/submit`).set(author.auth).send({}).expect(422);
    expect(JSON.stringify(submit.body.details)).toContain('tiers[0].when.all[0].params.quantiles');
    const validate = await t.http.post('/api/policies/validate').set(author.auth).send({ definition: withParams }).expect(200);
    expect(validate.body).toMatchObject({
      valid: false,
      errors: [expect.objectContaining({ path: 'tiers[0].when.all[0].params.quantiles', code: 'unknown-param' })],
    });
  });

  it('a refused submission carries a code, counts and each failing case by name and tiers', async () => {
    const { author, fact, policy, draft } = await setup();
    await t.http
      .post(`/api/policies/${policy.id}/test-cases`)
      .set(author.auth)
      .send({ name: 'exactly 1,000,000 is black', facts: { [fact]: 1_000_000 }, expectedTier: 'BLACK' })
      .expect(201);
    const failing = await t.http
      .post(`/api/policies/${policy.id}/test-cases`)
      .set(author.auth)
      .send({ name: '999,999.99 is black', facts: { [fact]: 999_999.99 }, expectedTier: 'BLACK' })
      .expect(201);
    const refused = await t.http.post(`/api/policy-versions/${draft.id}/submit`).set(author.auth).send({}).expect(422);
    expect(refused.body).toMatchObject({ code: 'TEST_CASES_FAILED', params: { failed: 1, total: 2 } });
    expect(refused.body.details).toEqual([
      expect.objectContaining({
        path: `testCases[${failing.body.id}]`,
        code: 'TEST_CASE_FAILED',
        params: { testCaseId: failing.body.id, name: '999,999.99 is black', expectedTier: 'BLACK', actualTier: 'GOLD' },
      }),
    ]);
  });

  it('runs the test cases against an unsaved definition sent inline (and the saved one without a body)', async () => {
    const { author, fact, policy, draft } = await setup();
    await t.http
      .post(`/api/policies/${policy.id}/test-cases`)
      .set(author.auth)
      .send({ name: 'exactly 800,000 is black', facts: { [fact]: 800_000 }, expectedTier: 'BLACK' })
      .expect(201);
    const saved = await t.http.post(`/api/policy-versions/${draft.id}/test-run`).set(author.auth).expect(200);
    expect(saved.body).toMatchObject({ passed: 0, failed: 1 });
    const unsaved = await t.http
      .post(`/api/policy-versions/${draft.id}/test-run`)
      .set(author.auth)
      .send({ definition: cardDefinition(fact, 800_000, 100_000) })
      .expect(200);
    expect(unsaved.body).toMatchObject({ passed: 1, failed: 0 });
  });

  it('a submission can be withdrawn by an author (back to an editable draft, audited), not by the approver', async () => {
    const { author, approver, fact, draft } = await setup();
    await t.http.post(`/api/policy-versions/${draft.id}/submit`).set(author.auth).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${draft.id}/withdraw`).set(approver.auth).send({}).expect(403);
    const withdrawn = await t.http.post(`/api/policy-versions/${draft.id}/withdraw`).set(author.auth).send({ comment: 'one more change' }).expect(200);
    expect(withdrawn.body).toMatchObject({ status: 'draft', revision: 2, submittedBy: null });
    await t.http
      .put(`/api/policy-versions/${draft.id}`)
      .set(author.auth)
      .set('If-Match', '2')
      .send({ definition: cardDefinition(fact, 900_000) })
      .expect(200);
    // withdrawing a draft is refused with the status in the parameters
    const again = await t.http.post(`/api/policy-versions/${draft.id}/withdraw`).set(author.auth).send({}).expect(409);
    expect(again.body).toMatchObject({ code: 'VERSION_WRONG_STATUS', params: { action: 'withdraw', status: 'draft', number: draft.number } });
    // four-eyes still holds after a withdraw: whoever resubmits cannot approve
    const dual = await t.login(['author', 'approver']);
    await t.http.post(`/api/policy-versions/${draft.id}/submit`).set(dual.auth).send({}).expect(200);
    const own = await t.http.post(`/api/policy-versions/${draft.id}/approve`).set(dual.auth).send({}).expect(403);
    expect(own.body).toMatchObject({ code: 'FOUR_EYES', params: { username: dual.username, number: draft.number } });
    const compliance = await t.login(['compliance']);
    const events = await t.http.get('/api/audit-events').query({ entityId: draft.id, sort: '["seq","ASC"]' }).set(compliance.auth).expect(200);
    expect(events.body.map((e: { action: string }) => e.action)).toEqual([
      'version.create',
      'version.submit',
      'version.withdraw',
      'version.update',
      'version.submit',
    ]);
    expect(events.body[2]).toMatchObject({ actor: author.username, comment: 'one more change' });
  });

  it('a draft can be discarded: audited, then never edited, submitted, discarded again or changed in the database', async () => {
    const { author, approver, fact, policy, draft } = await setup();
    const discarded = await t.http.post(`/api/policy-versions/${draft.id}/discard`).set(author.auth).send({ comment: 'not needed' }).expect(200);
    expect(discarded.body.status).toBe('discarded');
    await t.http
      .put(`/api/policy-versions/${draft.id}`)
      .set(author.auth)
      .set('If-Match', '1')
      .send({ definition: cardDefinition(fact) })
      .expect(409);
    const submit = await t.http.post(`/api/policy-versions/${draft.id}/submit`).set(author.auth).send({}).expect(409);
    expect(submit.body).toMatchObject({ code: 'VERSION_IMMUTABLE', params: { status: 'discarded' } });
    await t.http.post(`/api/policy-versions/${draft.id}/discard`).set(author.auth).send({}).expect(409);
    // only drafts are discarded: a published version is not
    const published = await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact));
    await t.http.post(`/api/policy-versions/${published.id}/discard`).set(author.auth).send({}).expect(409);
    const db = new Client({ connectionString: databaseUrl() });
    await db.connect();
    try {
      await expect(db.query(`UPDATE policy_version SET status = 'draft' WHERE id = $1`, [draft.id])).rejects.toThrow(/discarded/);
      await expect(db.query(`DELETE FROM policy_version WHERE id = $1`, [draft.id])).rejects.toThrow(/discarded/);
    } finally {
      await db.end();
    }
    const compliance = await t.login(['compliance']);
    const events = await t.http.get('/api/audit-events').query({ entityId: draft.id, action: 'version.discard' }).set(compliance.auth).expect(200);
    expect(events.body).toHaveLength(1);
    expect(events.body[0]).toMatchObject({ actor: author.username, comment: 'not needed' });
  });
});
