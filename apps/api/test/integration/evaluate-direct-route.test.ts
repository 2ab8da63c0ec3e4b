/**
 * POST /api/evaluate is served by a Fastify handler of its own (src/evaluation/direct-route.ts), not by Nest's
 * router (issue 17 target 1). A caller must not be able to tell: every refusal has the body, status and code
 * that POST /api/evaluate/batch — a route Nest serves, with the same roles and body parser — gives for the
 * same fault, and the answer carries the same headers as any route's.
 */
import { cardDefinition, publishVersion, setupPolicy } from '../helpers/fixtures';
import { createTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

describe('POST /api/evaluate answers exactly as a Nest-served route does', () => {
  let t: TestApp;
  let service: { auth: Auth };
  let policyKey: string;
  let fact: string;
  beforeAll(async () => {
    t = await createTestApp();
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    service = await t.login(['service']);
    const setup = await setupPolicy(t, author.auth);
    fact = setup.fact;
    policyKey = setup.policy.key;
    await publishVersion(t, author.auth, approver.auth, setup.policy.id, cardDefinition(fact));
  });
  afterAll(() => t.close());

  /** The same fault sent to both routes: the single one's body and the batch's, request ids left out. */
  async function both(send: (url: string) => Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, string> }>) {
    const one = await send('/api/evaluate');
    const many = await send('/api/evaluate/batch');
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: typeof b.requestId });
    return { one: { status: one.status, body: strip(one.body), headers: one.headers }, many: { status: many.status, body: strip(many.body) } };
  }

  it('a 200 with the decision, the request id echoed and the CORS headers', async () => {
    const res = await t.http
      .post('/api/evaluate')
      .set(service.auth)
      .set('X-Request-Id', 'direct-route-1')
      .set('Origin', 'https://console.example')
      .send({ policy: policyKey, customerId: 'c-1', facts: { [fact]: 150_000 } })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-request-id']).toBe('direct-route-1');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toBe('Content-Range, X-Request-Id');
    expect(res.body).toMatchObject({ decisionId: expect.any(String), policy: { key: policyKey, number: 1 }, eligible: true, tier: { key: 'GOLD' } });
  });

  it('no token: 401 MISSING_TOKEN, the same body as the batch route', async () => {
    const { one, many } = await both((url) => t.http.post(url).send({ policy: policyKey, facts: {} }));
    expect(one.status).toBe(401);
    expect(one.body).toMatchObject({ statusCode: 401, code: 'MISSING_TOKEN', requestId: 'string' });
    expect(one.body).toEqual(many.body);
  });

  it('a forged token: 401 INVALID_TOKEN, the same body as the batch route', async () => {
    const { one, many } = await both((url) => t.http.post(url).set('Authorization', 'Bearer not.a.token').send({ policy: policyKey, facts: {} }));
    expect(one.body).toMatchObject({ statusCode: 401, code: 'INVALID_TOKEN' });
    expect(one.body).toEqual(many.body);
  });

  it('a deactivated account: 401 ACCOUNT_INACTIVE, the same body as the batch route', async () => {
    const admin = await t.login(['admin']);
    const gone = await t.login(['service']);
    const me = await t.http.get('/api/auth/me').set(gone.auth).expect(200);
    await t.http
      .patch(`/api/users/${me.body.id ?? me.body.userId}`)
      .set(admin.auth)
      .send({ active: false })
      .expect(200);
    const { one, many } = await both((url) => t.http.post(url).set(gone.auth).send({ policy: policyKey, facts: {} }));
    expect(one.body).toMatchObject({ statusCode: 401, code: 'ACCOUNT_INACTIVE' });
    expect(one.body).toEqual(many.body);
  });

  it('a body that is not an object: 400, the same body as the batch route', async () => {
    const { one, many } = await both((url) => t.http.post(url).set(service.auth).set('Content-Type', 'application/json').send('[1]'));
    expect(one.body).toMatchObject({ statusCode: 400, message: 'The request body must be a JSON object' });
    expect(one.body).toEqual(many.body);
  });

  it('wrong fields: 422 with the path of each, as zod names them', async () => {
    const res = await t.http.post('/api/evaluate').set(service.auth).send({ policy: '', facts: [], extra: 1 }).expect(422);
    expect(res.body).toMatchObject({ statusCode: 422, code: 'INVALID_BODY', requestId: expect.any(String) });
    expect((res.body.details as { path: string }[]).map((d) => d.path).sort()).toEqual(['', 'facts', 'policy']);
  });

  it('an unknown policy: 404 naming `policy`, the same body as the batch route', async () => {
    const { one, many } = await both((url) =>
      t.http
        .post(url)
        .set(service.auth)
        .send(url.endsWith('batch') ? { policy: 'no-such-policy', customers: [{ facts: {} }] } : { policy: 'no-such-policy', facts: {} }),
    );
    expect(one.body).toMatchObject({ statusCode: 404, details: [{ path: 'policy' }] });
    expect(one.body).toEqual(many.body);
  });

  it('text/plain: 415; broken JSON: 400; more than 10 MiB: 413 — each the batch route’s body', async () => {
    for (const [type, payload, status] of [
      ['text/plain', 'hello', 415],
      ['application/json', '{"policy":', 400],
      ['application/json', `{"policy":"x","facts":{"a":"${'x'.repeat(10 * 1024 * 1024)}"}}`, 413],
    ] as const) {
      const { one, many } = await both((url) => t.http.post(url).set(service.auth).set('Content-Type', type).send(payload));
      expect(one.status).toBe(status);
      expect(one.body).toEqual(many.body);
    }
  });
});
