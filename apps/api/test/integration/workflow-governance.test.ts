import { randomUUID } from 'node:crypto';
import { cardDefinition, publishVersion, setupPolicy, uniqueKey } from '../helpers/fixtures';
import { createTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

/** Issue 14 points 3, 5 and 6: no path around four-eyes through the catalog, retirement or the effective date. */
describe('workflow governance', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function approved(author: Auth, approver: Auth, policyId: string, definition: unknown) {
    const v = await t.http.post(`/api/policies/${policyId}/versions`).set(author).send({ definition }).expect(201);
    await t.http.post(`/api/policy-versions/${v.body.id}/submit`).set(author).send({}).expect(200);
    await t.http.post(`/api/policy-versions/${v.body.id}/approve`).set(approver).send({}).expect(200);
    return v.body.id as string;
  }

  const evaluate = (auth: Auth, policy: string, facts: Record<string, unknown>, at?: string) =>
    t.http
      .post('/api/evaluate')
      .set(auth)
      .send({ policy, facts, ...(at ? { at } : {}) });

  describe('point 3: a catalog edit after approval does not reach the approved version', () => {
    it('publishes the benefit package as it was when approved, not as edited since', async () => {
      const author = await t.login(['author']);
      const approver = await t.login(['approver']);
      const { fact, benefit, pkg, policy } = await setupPolicy(t, author.auth);
      const id = await approved(author.auth, approver.auth, policy.id, cardDefinition(fact, 1_000_000, 100_000, pkg));

      // After approval the author swaps the package's benefit and renames the old one.
      const other = uniqueKey('cash');
      await t.http.post('/api/benefits').set(author.auth).send({ key: other, name: '现金红包', unitCost: 5000 }).expect(201);
      await t.http
        .put(`/api/benefit-packages/${pkg}`)
        .set(author.auth)
        .send({ key: pkg, name: '黑金权益（改）', benefits: [other] })
        .expect(200);
      await t.http.put(`/api/benefits/${benefit}`).set(author.auth).send({ key: benefit, name: '已改名', unitCost: 1 }).expect(200);

      const shown = await t.http.get(`/api/policy-versions/${id}`).set(approver.auth).expect(200);
      expect(shown.body.frozen.packages[pkg]).toMatchObject({ name: '黑金权益', benefits: [expect.objectContaining({ key: benefit, name: '机场贵宾服务' })] });

      await t.http.post(`/api/policy-versions/${id}/publish`).set(approver.auth).send({}).expect(200);
      const r = await evaluate(author.auth, policy.key, { [fact]: 1_000_000 }).expect(200);
      expect(r.body.benefitPackage).toMatchObject({ key: pkg, name: '黑金权益' });
      expect(r.body.benefitPackage.benefits).toEqual([expect.objectContaining({ key: benefit, name: '机场贵宾服务' })]);
    });

    it('a rejected version freezes anew when approved again', async () => {
      const author = await t.login(['author']);
      const approver = await t.login(['approver']);
      const { fact, pkg, policy } = await setupPolicy(t, author.auth);
      const id = await approved(author.auth, approver.auth, policy.id, cardDefinition(fact, 1_000_000, 100_000, pkg));
      // evaluated once while approved, so a prepared evaluator for the first approval exists
      await t.http
        .post(`/api/policy-versions/${id}/evaluate`)
        .set(approver.auth)
        .send({ facts: { [fact]: 1_000_000 } })
        .expect(200);
      await t.http.post(`/api/policy-versions/${id}/reject`).set(approver.auth).send({ comment: 'package name is wrong' }).expect(200);
      await t.http.put(`/api/benefit-packages/${pkg}`).set(author.auth).send({ key: pkg, name: '黑金尊享', benefits: [] }).expect(200);
      await t.http.post(`/api/policy-versions/${id}/submit`).set(author.auth).send({}).expect(200);
      await t.http.post(`/api/policy-versions/${id}/approve`).set(approver.auth).send({}).expect(200);
      await t.http.post(`/api/policy-versions/${id}/publish`).set(approver.auth).send({}).expect(200);
      const r = await evaluate(author.auth, policy.key, { [fact]: 1_000_000 }).expect(200);
      expect(r.body.benefitPackage).toMatchObject({ key: pkg, name: '黑金尊享', benefits: [] });
    });
  });

  describe('point 5: retiring a version in effect takes two approvers and warns of the gap', () => {
    it('asks, warns, refuses the asker, and retires only on a second approver’s acknowledged approval', async () => {
      const author = await t.login(['author']);
      const first = await t.login(['approver']);
      const second = await t.login(['approver']);
      const admin = await t.login(['admin']);
      const { fact, policy } = await setupPolicy(t, author.auth);
      const v = await publishVersion(t, author.auth, first.auth, policy.id, cardDefinition(fact));

      const shown = await t.http.get(`/api/policy-versions/${v.id}`).set(first.auth).expect(200);
      expect(shown.body.retirementGap).toEqual({ from: expect.any(String), until: null });

      // The only live version: a plain retire is refused with the gap named.
      const warned = await t.http.post(`/api/policy-versions/${v.id}/retire`).set(first.auth).send({ comment: 'scheme ends' }).expect(409);
      expect(warned.body).toMatchObject({
        code: 'RETIREMENT_LEAVES_GAP',
        details: [{ path: 'acknowledgeGap', message: expect.stringContaining('nothing would be in effect') }],
      });
      await evaluate(author.auth, policy.key, { [fact]: 5 }).expect(200);

      // Acknowledged: a request only; the version stays in effect.
      const asked = await t.http.post(`/api/policy-versions/${v.id}/retire`).set(first.auth).send({ comment: 'scheme ends', acknowledgeGap: true }).expect(200);
      expect(asked.body).toMatchObject({ status: 'published', retireRequest: { requestedBy: first.username, comment: 'scheme ends' } });
      await evaluate(author.auth, policy.key, { [fact]: 5 }).expect(200);
      const again = await t.http.post(`/api/policy-versions/${v.id}/retire`).set(admin.auth).send({ acknowledgeGap: true }).expect(409);
      expect(again.body.code).toBe('RETIREMENT_PENDING');
      const listed = await t.http.get(`/api/policies/${policy.id}`).set(first.auth).expect(200);
      expect(listed.body.pendingRetirement).toEqual([v.id]);

      // The asker cannot approve; the second approver must acknowledge the gap too.
      const self = await t.http.post(`/api/policy-versions/${v.id}/approve-retirement`).set(first.auth).send({ acknowledgeGap: true }).expect(403);
      expect(self.body.code).toBe('FOUR_EYES');
      const unacknowledged = await t.http.post(`/api/policy-versions/${v.id}/approve-retirement`).set(second.auth).send({}).expect(409);
      expect(unacknowledged.body.code).toBe('RETIREMENT_LEAVES_GAP');
      await evaluate(author.auth, policy.key, { [fact]: 5 }).expect(200);
      const retired = await t.http
        .post(`/api/policy-versions/${v.id}/approve-retirement`)
        .set(second.auth)
        .send({ acknowledgeGap: true, comment: 'agreed' })
        .expect(200);
      expect(retired.body).toMatchObject({ status: 'retired', retiredBy: second.username, retireRequest: { requestedBy: first.username } });
      const none = await evaluate(author.auth, policy.key, { [fact]: 5 }).expect(404);
      expect(none.body.code).toBe('NO_VERSION_IN_EFFECT');

      const audit = await t.http
        .get('/api/audit-events')
        .query({ filter: JSON.stringify({ entityId: v.id }) })
        .set(admin.auth)
        .expect(200);
      expect(audit.body.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['version.retire_request', 'version.retire']));
    });

    it('a request can be turned down; the version stays in effect', async () => {
      const author = await t.login(['author']);
      const approver = await t.login(['approver']);
      const other = await t.login(['approver']);
      const { fact, policy } = await setupPolicy(t, author.auth);
      const v = await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact));
      await t.http.post(`/api/policy-versions/${v.id}/retire`).set(approver.auth).send({ acknowledgeGap: true }).expect(200);
      const kept = await t.http.post(`/api/policy-versions/${v.id}/reject-retirement`).set(other.auth).send({ comment: 'still needed' }).expect(200);
      expect(kept.body).toMatchObject({ status: 'published', retireRequest: null });
      const nothing = await t.http.post(`/api/policy-versions/${v.id}/approve-retirement`).set(other.auth).send({ acknowledgeGap: true }).expect(409);
      expect(nothing.body.code).toBe('NO_RETIREMENT_REQUEST');
      await evaluate(author.auth, policy.key, { [fact]: 5 }).expect(200);
    });

    it('retiring a scheduled version leaves the current one in effect after that date (no gap, no warning)', async () => {
      const author = await t.login(['author']);
      const approver = await t.login(['approver']);
      const other = await t.login(['approver']);
      const { fact, policy } = await setupPolicy(t, author.auth);
      const v1 = await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact, 1_000_000));
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
      const v2 = await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact, 10), tomorrow);
      expect(v2.status).toBe('scheduled');
      const dayAfter = new Date(Date.now() + 2 * 86_400_000).toISOString();
      expect((await evaluate(author.auth, policy.key, { [fact]: 50 }, dayAfter).expect(200)).body.policy.versionId).toBe(v2.id);

      const asked = await t.http.post(`/api/policy-versions/${v2.id}/retire`).set(approver.auth).send({ comment: 'postponed' }).expect(200);
      expect(asked.body).toMatchObject({ status: 'scheduled', retireRequest: { requestedBy: approver.username } });
      await t.http.post(`/api/policy-versions/${v2.id}/approve-retirement`).set(other.auth).send({}).expect(200);
      const after = await evaluate(author.auth, policy.key, { [fact]: 50 }, dayAfter).expect(200);
      expect(after.body.policy.versionId).toBe(v1.id);
      expect(after.body.tier.key).toBe('SILVER');
    });

    it('drafts and superseded versions retire at once, by one approver', async () => {
      const author = await t.login(['author']);
      const approver = await t.login(['approver']);
      const { fact, policy } = await setupPolicy(t, author.auth);
      const v1 = await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact));
      await publishVersion(t, author.auth, approver.auth, policy.id, cardDefinition(fact, 2_000_000));
      const old = await t.http.post(`/api/policy-versions/${v1.id}/retire`).set(approver.auth).send({}).expect(200);
      expect(old.body.status).toBe('retired');
      const draft = await t.http
        .post(`/api/policies/${policy.id}/versions`)
        .set(author.auth)
        .send({ definition: cardDefinition(fact) })
        .expect(201);
      const gone = await t.http.post(`/api/policy-versions/${draft.body.id}/retire`).set(approver.auth).send({}).expect(200);
      expect(gone.body.status).toBe('retired');
    });
  });

  describe('point 6: an effective date never lies in the past', () => {
    it('refuses a past effectiveFrom (even a minute ago) with 422 at effectiveFrom; without one the version takes effect now', async () => {
      const author = await t.login(['author']);
      const approver = await t.login(['approver']);
      const { fact, policy } = await setupPolicy(t, author.auth);
      const id = await approved(author.auth, approver.auth, policy.id, cardDefinition(fact));
      for (const ago of [60_000, 2_000]) {
        const res = await t.http
          .post(`/api/policy-versions/${id}/publish`)
          .set(approver.auth)
          .send({ effectiveFrom: new Date(Date.now() - ago).toISOString() })
          .expect(422);
        expect(res.body).toMatchObject({ code: 'EFFECTIVE_FROM_INVALID', details: [{ path: 'effectiveFrom', message: expect.stringContaining('past') }] });
      }
      const before = Date.now();
      const published = await t.http.post(`/api/policy-versions/${id}/publish`).set(approver.auth).send({}).expect(200);
      expect(Date.parse(published.body.effectiveFrom)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(published.body.effectiveFrom)).toBeLessThanOrEqual(Date.now());
    });
  });

  describe('point 16: test cases of a policy that does not exist', () => {
    it('answers 404, not an empty list', async () => {
      const viewer = await t.login(['viewer']);
      const res = await t.http.get(`/api/policies/${randomUUID()}/test-cases`).set(viewer.auth).expect(404);
      expect(res.body.code).toBe('POLICY_NOT_FOUND');
    });
  });
});
