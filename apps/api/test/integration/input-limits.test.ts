/**
 * Hostile input answered with a clear 4xx naming where the problem is — never a 500, never stored
 * to fail later (issue 14 points 13 and 14).
 */
import { cardDefinition, setupPolicy, uniqueKey } from '../helpers/fixtures';
import { createTestApp, TestApp } from '../helpers/test-app';

type Auth = { Authorization: string };

/** `{"a":{"a":…{"a":1}…}}` nested `depth` levels, as raw JSON text (built without recursion). */
const nested = (depth: number, leaf = '1') => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
const nestedList = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('NUL characters in an uploaded dataset are refused at upload, with row and column', () => {
  let t: TestApp;
  let author: { auth: Auth };
  let fact: string;
  beforeAll(async () => {
    t = await createTestApp();
    author = await t.login(['author']);
    fact = (await setupPolicy(t, author.auth)).fact;
    await t.http
      .post('/api/facts')
      .set(author.auth)
      .send({ key: `${fact}-district`, label: `区域 ${fact}`, type: 'string' })
      .expect(201);
  });
  afterAll(() => t.close());

  const upload = (csv: string, query: Record<string, string> = {}) =>
    t.http
      .post('/api/datasets')
      .query({ name: uniqueKey('nul'), ...query })
      .set(author.auth)
      .attach('file', Buffer.from(csv, 'utf8'), { filename: 'customers.csv', contentType: 'text/csv' });

  it('a NUL in a text cell: 422 naming row 2, column district; nothing stored', async () => {
    const csv = `customerId,${fact},${fact}-district\nC1,100,惠城区\nC2,200,惠\u0000阳区\nC3,300,博罗县\n`;
    const res = await upload(csv).expect(422);
    expect(res.body).toMatchObject({ statusCode: 422, code: 'DATASET_NUL_CHARACTER' });
    expect(res.body.message).toMatch(/row 2, column .*district/);
    expect(res.body.details).toEqual([
      expect.objectContaining({ path: `rows[2].${fact}-district`, row: 2, column: `${fact}-district`, message: expect.any(String) }),
    ]);
    const list = await t.http
      .get('/api/datasets')
      .query({ filter: JSON.stringify({ q: 'nul-' }) })
      .set(author.auth)
      .expect(200);
    expect(list.body).toEqual([]);
  });

  it('also in the customer id, in a column that would be ignored, and with badRows=skip', async () => {
    const inId = await upload(`customerId,${fact}\nC1,100\nC\u00002,200\n`).expect(422);
    expect(inId.body.details[0]).toMatchObject({ path: 'rows[2].customerId', row: 2, column: 'customerId' });
    const ignored = await upload(`customerId,${fact},notes\nC1,100,\u0000\n`, { unknownColumns: 'ignore' }).expect(422);
    expect(ignored.body.details[0]).toMatchObject({ row: 1, column: 'notes' });
    const skip = await upload(`customerId,${fact}\nC1,1\u00000\nC2,200\n`, { badRows: 'skip' }).expect(422);
    expect(skip.body.details[0]).toMatchObject({ row: 1, column: fact });
  });

  it('in the header line: 422 naming the column', async () => {
    const res = await upload(`customerId,${fact},bad\u0000name\nC1,100,x\n`, { unknownColumns: 'ignore' }).expect(422);
    expect(res.body).toMatchObject({ code: 'DATASET_NUL_CHARACTER', details: [expect.objectContaining({ path: 'columns[2]', row: 0 })] });
  });

  it('in JSON rows: 422 with the row path', async () => {
    const res = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({
        name: uniqueKey('nul-json'),
        rows: [
          { customerId: 'C1', [fact]: 1 },
          { customerId: 'C\u00002', [fact]: 2 },
        ],
      })
      .expect(422);
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'rows[1].customerId' })]);
  });
});

describe('deeply nested JSON anywhere: a 4xx with a clear message, never a 500 or a stack overflow', () => {
  let t: TestApp;
  let author: { auth: Auth };
  let policy: { id: string; key: string };
  let fact: string;
  beforeAll(async () => {
    t = await createTestApp();
    author = await t.login(['author', 'approver']);
    ({ policy, fact } = await setupPolicy(t, author.auth));
  });
  afterAll(() => t.close());

  const post = (path: string, body: string) => t.http.post(path).set(author.auth).set('Content-Type', 'application/json').send(body);

  it.each([
    ['test-case facts', () => `/api/policies/${policy.id}/test-cases`, (deep: string) => `{"name":"deep","expectedTier":null,"facts":{"x":${deep}}}`],
    ['a draft definition', () => `/api/policies/${policy.id}/versions`, (deep: string) => `{"definition":${deep}}`],
    ['validate', () => '/api/policies/validate', (deep: string) => `{"definition":{"schemaVersion":1,"tiers":[],"conditions":${deep}}}`],
    ['evaluate facts', () => '/api/evaluate', (deep: string) => `{"policy":"${policy.key}","facts":{"x":${deep}}}`],
    ['dataset JSON rows', () => '/api/datasets', (deep: string) => `{"name":"deep","rows":[{"x":${deep}}]}`],
    ['a catalog entry', () => '/api/facts', (deep: string) => `{"key":"deep","label":"deep","type":"enum","enumValues":${deep}}`],
  ])('%s nested 100,000 levels → 422 JSON_TOO_DEEP with the path', async (_name, path, body) => {
    for (const deep of [nested(100_000), nestedList(100_000)]) {
      const res = await post(path(), body(deep));
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'JSON_TOO_DEEP', message: expect.stringContaining('deeper than 64 levels') });
      expect(res.body.details[0].path).toMatch(/^[a-z]/);
    }
  });

  it('64 levels are still accepted where the shape allows them; 65 are not', async () => {
    const ok = await post(`/api/policies/${policy.id}/test-cases`, `{"name":"deep-ok","expectedTier":null,"facts":{"x":${nested(62)}}}`);
    expect(ok.status).toBe(201);
    const refused = await post(`/api/policies/${policy.id}/test-cases`, `{"name":"deep-no","expectedTier":null,"facts":{"x":${nested(63)}}}`);
    expect(refused.status).toBe(422);
    expect(refused.body.details[0].path).toBe('facts.x.a.a.a.a.a.a.a.a.a.a…');
    // The accepted one still runs: the test run answers, the policy's draft still submits.
    const draft = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(author.auth)
      .send({ definition: cardDefinition(fact) })
      .expect(201);
    const run = await t.http.post(`/api/policy-versions/${draft.body.id}/test-run`).set(author.auth).send({}).expect(200);
    expect(run.body.results ?? run.body).toBeDefined();
  });

  it('brackets inside strings are not nesting: deep-looking text in a string is accepted, a string of closing brackets hides no depth', async () => {
    // JSON text: an escaped backslash, then an escaped quote, between the brackets (the scan must step over both)
    const brackets = `${'{['.repeat(100)}\\\\\\"${'[{'.repeat(100)}`;
    const ok = await post(`/api/policies/${policy.id}/test-cases`, `{"name":"brackets","expectedTier":null,"facts":{"x":"${brackets}","y":[["${brackets}"]]}}`);
    expect(ok.status).toBe(201);
    expect(ok.body.facts.x).toBe(JSON.parse(`"${brackets}"`));
    const closing = `"${'}]'.repeat(100)}"`;
    const deep = nested(63).replace('{"a":', `{"z":${closing},"a":`);
    const refused = await post(`/api/policies/${policy.id}/test-cases`, `{"name":"deep-no","expectedTier":null,"facts":{"x":${deep}}}`);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('JSON_TOO_DEEP');
  });

  it('a list filter holding deep JSON → 400/422, not 500', async () => {
    const res = await t.http
      .get('/api/audit-events')
      .query({ filter: nestedList(1500) })
      .set(author.auth);
    expect([400, 422]).toContain(res.status);
    expect(res.body.code).toBeDefined();
  });
});
