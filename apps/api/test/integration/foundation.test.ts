import { createTestApp, TestApp } from '../helpers/test-app';

describe('foundation: health, errors, auth guard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports the database up', async () => {
    const res = await t.http.get('/api/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'up' });
    expect(res.headers['x-request-id']).toMatch(/[0-9a-f-]{36}/);
  });

  it('echoes a caller-given request id', async () => {
    const res = await t.http.get('/api/health').set('X-Request-Id', 'trace-123').expect(200);
    expect(res.headers['x-request-id']).toBe('trace-123');
  });

  it('answers malformed JSON with 400 in the contract shape', async () => {
    const res = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').send('{"username": ').expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'The request body is not valid JSON' });
  });

  it('answers a body with missing fields with 422 and the paths', async () => {
    const res = await t.http.post('/api/auth/login').send({ username: 'x' }).expect(422);
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'password' })]);
  });

  it('guards every non-public route', async () => {
    await t.http.get('/api/users').expect(401);
    await t.http.get('/api/users').set('Authorization', 'Bearer not-a-token').expect(401);
    const viewer = await t.login(['viewer']);
    const res = await t.http.get('/api/users').set(viewer.auth).expect(403);
    expect(res.body.code).toBe('ROLE_REQUIRED');
  });

  it('answers an unknown route with 404 in the contract shape', async () => {
    const admin = await t.login(['admin']);
    const res = await t.http.get('/api/no-such-thing').set(admin.auth).expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    expect(res.body.info.title).toBe('Tierwise API');
    expect(Object.keys(res.body.paths)).toContain('/api/health');
  });
});
