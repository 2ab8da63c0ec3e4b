import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import { UserAccess } from '../../src/users/user-access';
import { createIsolatedTestApp, createTestApp, TestApp } from '../helpers/test-app';

/** An HS256 token signed with the app's own secret: what someone holding the key could mint. */
function mint(secret: string, payload: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

async function userId(db: Client, username: string): Promise<string> {
  return (await db.query('SELECT id FROM app_user WHERE username = $1', [username])).rows[0].id as string;
}

/** Issue 14 point 16: tokens must expire, and who did something comes from the account, not the token. */
describe('auth: tokens', () => {
  const secret = 'a-test-secret-of-at-least-thirty-two-characters';
  let t: TestApp;
  let db: Client;
  beforeAll(async () => {
    t = await createTestApp({ JWT_SECRET: secret });
    db = new Client({ connectionString: t.config.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('refuses a correctly signed token without exp', async () => {
    const admin = await t.login(['admin']);
    const id = await userId(db, admin.username);
    const now = Math.floor(Date.now() / 1000);
    const withExp = mint(secret, { sub: id, username: admin.username, roles: ['admin'], ver: 0, iss: 'tierwise', iat: now, exp: now + 60 });
    await t.http.get('/api/users').set('Authorization', `Bearer ${withExp}`).expect(200);
    const forever = mint(secret, { sub: id, username: admin.username, roles: ['admin'], ver: 0, iss: 'tierwise', iat: now });
    const res = await t.http.get('/api/users').set('Authorization', `Bearer ${forever}`).expect(401);
    expect(res.body.code).toBe('INVALID_TOKEN');
  });

  it('takes the actor’s name from the account: a token claiming another name changes nothing in the audit log', async () => {
    const author = await t.login(['author']);
    const id = await userId(db, author.username);
    const now = Math.floor(Date.now() / 1000);
    const token = mint(secret, { sub: id, username: 'someone-else', roles: ['author'], ver: 0, iss: 'tierwise', iat: now, exp: now + 60 });
    const auth = { Authorization: `Bearer ${token}` };
    expect((await t.http.get('/api/auth/me').set(auth).expect(200)).body.username).toBe(author.username);
    const key = `named${id.slice(0, 8)}`;
    await t.http.post('/api/facts').set(auth).send({ key, label: key, type: 'number' }).expect(201);
    const events = await db.query(`SELECT actor FROM audit_event WHERE entity_type = 'fact' AND entity_id = $1`, [key]);
    expect(events.rows).toEqual([{ actor: author.username }]);
  });
});

/** Issue 14 point 1: "at least one active admin" holds when two admins demote each other at the same moment. */
describe('users: the last admin under concurrency', () => {
  let t: TestApp & { db: Client };
  beforeAll(async () => {
    t = await createIsolatedTestApp();
  });
  afterAll(() => t.close());

  it('two admins demoting (or deactivating) each other at once: one wins, the other gets 409, an admin remains', async () => {
    const a = await t.login(['admin'], 'anna');
    const b = await t.login(['admin'], 'bo');
    const ids = { a: await userId(t.db, a.username), b: await userId(t.db, b.username) };
    const admins = async () => Number((await t.db.query(`SELECT count(*) AS n FROM app_user WHERE active AND 'admin' = ANY(roles)`)).rows[0].n);
    expect(await admins()).toBe(2);
    for (let round = 0; round < 6; round++) {
      const patch = round % 2 === 0 ? { roles: ['viewer'] } : { active: false };
      // both admins' access already looked up (as for any admin who has been working), so that "at once" means both
      // requests are past sign-in checks when they race for the change: otherwise the loser's first lookup could come
      // after the winner's commit and see itself demoted or deactivated (403/401), which is not the race under test
      await t.http.get('/api/auth/me').set(a.auth).expect(200);
      await t.http.get('/api/auth/me').set(b.auth).expect(200);
      const [x, y] = await Promise.all([
        t.http.patch(`/api/users/${ids.b}`).set(a.auth).send(patch),
        t.http.patch(`/api/users/${ids.a}`).set(b.auth).send(patch),
      ]);
      expect({ round, statuses: [x.status, y.status].sort() }).toEqual({ round, statuses: [200, 409] });
      expect({ round, admins: await admins() }).toEqual({ round, admins: 1 });
      // the loser's refusal says why; the winner's change stands
      const refused = x.status === 409 ? x : y;
      expect(refused.body.code).toBe('LAST_ADMIN');
      // both admins again for the next round (directly: the surviving admin is the only one who could)
      await t.db.query(`UPDATE app_user SET roles = '{admin}', active = true WHERE id = ANY($1)`, [[ids.a, ids.b]]);
      t.app.get(UserAccess).forget(ids.a);
      t.app.get(UserAccess).forget(ids.b);
    }
  });
});
