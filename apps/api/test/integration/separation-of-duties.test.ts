import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { cardDefinition, publishVersion, setupPolicy } from '../helpers/fixtures';
import { createTestApp, TestApp } from '../helpers/test-app';
import { propose, snapshot } from './rating-fixtures';
import { seedCatalog } from './simulation-fixtures';

type Auth = { Authorization: string };
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });

/**
 * Issue 14 point 4, separation of duties: an account an admin created, or whose password an admin
 * set, signs in but may only choose its own password until it does (the admin never holds a usable
 * password); and whoever worked on a change cannot approve it under such an account — on every
 * approval path (version, retirement, rating run), even after the account changed its password.
 */
describe('separation of duties: admin-made accounts', () => {
  let t: TestApp;
  let admin: { username: string; auth: Auth };
  beforeAll(async () => {
    t = await createTestApp();
    await seedCatalog(t.app);
    // an admin who also writes policies: the case the rule exists for
    admin = await t.login(['admin', 'author'], 'admin-author');
  });
  afterAll(() => t.close());

  const FIRST = 'admin-chosen secret 2026';
  const OWN = 'my very own passphrase 77';

  /** The admin creates an account through the API; the account signs in with the admin's password. */
  async function adminCreates(roles: string[]) {
    const username = `made-${randomUUID().slice(0, 8)}`;
    const made = await t.http.post('/api/users').set(admin.auth).send({ username, password: FIRST, roles }).expect(201);
    expect(made.body).toMatchObject({ passwordChangeRequired: true });
    const login = await t.http.post('/api/auth/login').send({ username, password: FIRST }).expect(200);
    expect(login.body.passwordChangeRequired).toBe(true);
    return { id: made.body.id as string, username, auth: bearer(login.body.accessToken) };
  }

  async function changeOwn(auth: Auth, currentPassword: string, newPassword = OWN) {
    const res = await t.http.post('/api/auth/password').set(auth).send({ currentPassword, newPassword }).expect(200);
    expect(res.body.passwordChangeRequired).toBe(false);
    return bearer(res.body.accessToken);
  }

  async function submittedDraft(author: Auth) {
    const { fact, policy } = await setupPolicy(t, author);
    const v = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author)
      .send({ definition: cardDefinition(fact) })
      .expect(201);
    await t.http.post(`/api/policy-versions/${v.body.id}/submit`).set(author).send({}).expect(200);
    return { id: v.body.id as string, policy, fact };
  }

  it('an admin-created account can only read /me and change its own password until it does; every other route 403 PASSWORD_CHANGE_REQUIRED', async () => {
    const approver = await adminCreates(['approver']);
    const me = await t.http.get('/api/auth/me').set(approver.auth).expect(200);
    expect(me.body).toMatchObject({ username: approver.username, passwordChangeRequired: true });
    for (const [method, path] of [
      ['get', '/api/facts'],
      ['get', '/api/policies'],
      ['get', '/api/audit-events'],
      ['post', `/api/policy-versions/${randomUUID()}/approve`],
      ['get', '/api/rating-runs'],
    ] as const) {
      const res = await t.http[method](path).set(approver.auth).send({});
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 403, code: 'PASSWORD_CHANGE_REQUIRED' });
    }
    // the admin's password is refused as the new one; a weak one too; a wrong current one names its field
    const same = await t.http.post('/api/auth/password').set(approver.auth).send({ currentPassword: FIRST, newPassword: FIRST }).expect(422);
    expect(same.body).toMatchObject({ code: 'PASSWORD_UNCHANGED', details: [{ path: 'newPassword' }] });
    const weak = await t.http.post('/api/auth/password').set(approver.auth).send({ currentPassword: FIRST, newPassword: 'password1234' }).expect(422);
    expect(weak.body).toMatchObject({ code: 'WEAK_PASSWORD', details: [{ path: 'newPassword', code: 'PASSWORD_TOO_WEAK' }] });
    const wrong = await t.http.post('/api/auth/password').set(approver.auth).send({ currentPassword: 'not the password at all', newPassword: OWN }).expect(422);
    expect(wrong.body).toMatchObject({ code: 'WRONG_CURRENT_PASSWORD', details: [{ path: 'currentPassword' }] });

    const fresh = await changeOwn(approver.auth, FIRST);
    await t.http.get('/api/facts').set(fresh).expect(200);
    // the token from before the change has ended; the admin's password no longer signs in
    expect((await t.http.get('/api/auth/me').set(approver.auth).expect(401)).body.code).toBe('TOKEN_REVOKED');
    await t.http.post('/api/auth/login').send({ username: approver.username, password: FIRST }).expect(401);
    const again = await t.http.post('/api/auth/login').send({ username: approver.username, password: OWN }).expect(200);
    expect(again.body.passwordChangeRequired).toBe(false);

    // recorded: who created the account and who last set its password
    const db = t.app.get(DataSource);
    const [row] = await db.query(
      `SELECT c.username AS created_by, s.username AS password_set_by, u.password_change_required, u.password_changed_at IS NOT NULL AS changed
         FROM app_user u JOIN app_user c ON c.id = u.created_by JOIN app_user s ON s.id = u.password_set_by WHERE u.id = $1`,
      [approver.id],
    );
    expect(row).toEqual({ created_by: admin.username, password_set_by: admin.username, password_change_required: false, changed: true });
    const audit = await t.http
      .get('/api/audit-events')
      .query({ filter: JSON.stringify({ entityId: approver.id }) })
      .set(admin.auth)
      .expect(200);
    expect(audit.body.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual(
      expect.arrayContaining([
        ['user.create', admin.username],
        ['user.change_password', approver.username],
      ]),
    );
  });

  it('admin creates an approver → the approver cannot approve the admin’s own draft, before or after changing the password; another approver can', async () => {
    const made = await adminCreates(['approver']);
    const draft = await submittedDraft(admin.auth);
    // before the change: nothing but the password
    expect((await t.http.post(`/api/policy-versions/${draft.id}/approve`).set(made.auth).send({}).expect(403)).body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const own = await changeOwn(made.auth, FIRST);
    // after the change the admin-created rule still holds for the admin's own work
    const refused = await t.http.post(`/api/policy-versions/${draft.id}/approve`).set(own).send({}).expect(403);
    expect(refused.body).toMatchObject({
      code: 'FOUR_EYES_ACCOUNT_CONTROLLED',
      params: { username: made.username, controller: admin.username, relation: 'created' },
    });
    expect((await t.http.get(`/api/policy-versions/${draft.id}`).set(own).expect(200)).body.status).toBe('in_review');
    // the same account approves someone else's work
    const author = await t.login(['author']);
    const other = await submittedDraft(author.auth);
    await t.http.post(`/api/policy-versions/${other.id}/approve`).set(own).send({}).expect(200);
    // and the admin's draft is approved by an approver the admin does not control
    const independent = await t.login(['approver']);
    await t.http.post(`/api/policy-versions/${draft.id}/approve`).set(independent.auth).send({}).expect(200);
  });

  it('admin resets an approver’s password → the approver must change it before anything else, and still cannot approve the admin’s work', async () => {
    const approver = await t.login(['approver']); // not made by the admin
    const draft = await submittedDraft(admin.auth);
    const id = (
      await t.http
        .get('/api/users')
        .query({ filter: JSON.stringify({ q: approver.username }) })
        .set(admin.auth)
        .expect(200)
    ).body[0].id as string;
    const reset = await t.http.patch(`/api/users/${id}`).set(admin.auth).send({ password: FIRST }).expect(200);
    expect(reset.body).toMatchObject({ passwordChangeRequired: true, passwordSetBy: expect.any(String) });
    // the admin now knows a working password: signing in with it leads only to the change
    const login = await t.http.post('/api/auth/login').send({ username: approver.username, password: FIRST }).expect(200);
    expect(login.body.passwordChangeRequired).toBe(true);
    const held = bearer(login.body.accessToken);
    expect((await t.http.get('/api/policies').set(held).expect(403)).body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await t.http.post(`/api/policy-versions/${draft.id}/approve`).set(held).send({}).expect(403)).body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const own = await changeOwn(held, FIRST);
    await t.http.get('/api/policies').set(own).expect(200);
    const refused = await t.http.post(`/api/policy-versions/${draft.id}/approve`).set(own).send({}).expect(403);
    expect(refused.body).toMatchObject({ code: 'FOUR_EYES_ACCOUNT_CONTROLLED', params: { controller: admin.username, relation: 'password_set' } });
  });

  it('an admin changing their own password through the users API is not asked to change it again', async () => {
    const other = await t.login(['admin']);
    const id = (
      await t.http
        .get('/api/users')
        .query({ filter: JSON.stringify({ q: other.username }) })
        .set(other.auth)
        .expect(200)
    ).body[0].id as string;
    const res = await t.http.patch(`/api/users/${id}`).set(other.auth).send({ password: OWN }).expect(200);
    expect(res.body.passwordChangeRequired).toBe(false);
    const login = await t.http.post('/api/auth/login').send({ username: other.username, password: OWN }).expect(200);
    await t.http.get('/api/users').set(bearer(login.body.accessToken)).expect(200);
  });

  it('retirement: an approver the admin created cannot approve the retirement the admin asked for', async () => {
    const author = await t.login(['author']);
    const publisher = await t.login(['approver']);
    const { fact, policy } = await setupPolicy(t, author.auth);
    const v = await publishVersion(t, author.auth, publisher.auth, policy.id, cardDefinition(fact));
    await t.http.post(`/api/policy-versions/${v.id}/retire`).set(admin.auth).send({ acknowledgeGap: true }).expect(200);
    const made = await adminCreates(['approver']);
    const own = await changeOwn(made.auth, FIRST);
    const refused = await t.http.post(`/api/policy-versions/${v.id}/approve-retirement`).set(own).send({ acknowledgeGap: true }).expect(403);
    expect(refused.body).toMatchObject({ code: 'FOUR_EYES_ACCOUNT_CONTROLLED', params: { controller: admin.username } });
    expect((await t.http.get(`/api/policy-versions/${v.id}`).set(own).expect(200)).body.status).toBe('published');
    await t.http.post(`/api/policy-versions/${v.id}/approve-retirement`).set(publisher.auth).send({ acknowledgeGap: true }).expect(200);
  });

  it('rating run: an approver the admin created cannot approve the run the admin started', async () => {
    const author = await t.login(['author']);
    const tag = `SOD${Date.now().toString(36)}`;
    const datasetId = await snapshot(t, author.auth, '2026-01-31', [
      { customerId: `${tag}-1`, avgDailyAssets: 1_200_000 },
      { customerId: `${tag}-2`, avgDailyAssets: 50_000 },
    ]);
    const run = await propose(t, admin.auth, { policy: 'cib-card', datasetId });
    const made = await adminCreates(['approver']);
    const own = await changeOwn(made.auth, FIRST);
    const refused = await t.http.post(`/api/rating-runs/${run.id}/approve`).set(own).send({}).expect(403);
    expect(refused.body).toMatchObject({ code: 'FOUR_EYES_ACCOUNT_CONTROLLED', params: { controller: admin.username } });
    expect((await t.http.get(`/api/rating-runs/${run.id}`).set(own).expect(200)).body.status).toBe('proposed');
    await t.http.post(`/api/rating-runs/${run.id}/cancel`).set(admin.auth).send({}).expect(200);
  });

  it('override: an approver the admin created cannot approve the override the admin requested', async () => {
    const customer = `SOD-O-${randomUUID().slice(0, 8)}`;
    // an override needs an official tier: rate the customer first (started by an author, approved by an independent approver)
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    const datasetId = await snapshot(t, author.auth, '2026-02-28', [{ customerId: customer, avgDailyAssets: 350_000 }]);
    const run = await propose(t, author.auth, { policy: 'cib-card', datasetId });
    await t.http.post(`/api/rating-runs/${run.id}/approve`).set(approver.auth).send({}).expect(200);
    const requested = await t.http
      .post(`/api/customers/${customer}/overrides`)
      .set(admin.auth)
      .send({ policy: 'cib-card', tier: 'GOLD', mode: 'set', reason: 'relationship manager asks' });
    expect([requested.status, requested.body.status]).toEqual([201, 'pending']);
    const made = await adminCreates(['approver']);
    const own = await changeOwn(made.auth, FIRST);
    const refused = await t.http.post(`/api/overrides/${requested.body.id}/approve`).set(own).send({}).expect(403);
    expect(refused.body).toMatchObject({ code: 'FOUR_EYES_ACCOUNT_CONTROLLED', params: { controller: admin.username } });
    expect((await t.http.get(`/api/overrides/${requested.body.id}`).set(own).expect(200)).body.status).toBe('pending');
    await t.http.post(`/api/overrides/${requested.body.id}/reject`).set(own).send({ comment: 'not by me' }).expect(200);
  });
});
