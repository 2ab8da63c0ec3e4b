/**
 * Facts snapshots (contract §8): a dataset carries `asOf` (multipart field or JSON property,
 * YYYY-MM-DD) and optionally the policy it is meant for, and is listed per policy and period.
 */
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../helpers/test-app';
import { cardCustomers, csvOf, seedCatalog } from './simulation-fixtures';

describe('facts snapshots: asOf and policy on datasets', () => {
  let t: TestApp;
  let author: { auth: { Authorization: string } };
  const tag = `snap-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const rows = cardCustomers(5, 41).map((c) => ({ ...c }));

  beforeAll(async () => {
    t = await createTestApp();
    await seedCatalog(t.app);
    author = await t.login(['author']);
  });
  afterAll(() => t.close());

  const count = async (name: string) => (await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM dataset WHERE name = $1', [name]))[0].n as number;

  it('JSON: asOf and policy are stored and shown; a day that does not exist or an unknown policy is a 422 and nothing is stored', async () => {
    const ok = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: `${tag}-jan`, rows, asOf: '2026-01-31', policy: 'cib-card' })
      .expect(201);
    expect(ok.body).toMatchObject({ name: `${tag}-jan`, asOf: '2026-01-31', rowCount: 5 });
    expect(ok.body.policyId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await t.http.get(`/api/datasets/${ok.body.id}`).set(author.auth).expect(200)).body).toMatchObject({
      asOf: '2026-01-31',
      policyId: ok.body.policyId,
    });

    const bad = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: `${tag}-bad`, rows, asOf: '2026-02-30' })
      .expect(422);
    expect(bad.body.details).toEqual([expect.objectContaining({ path: 'asOf', message: 'is not a day of the calendar' })]);
    const shape = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: `${tag}-bad`, rows, asOf: '31/01/2026' })
      .expect(422);
    expect(shape.body.details).toEqual([expect.objectContaining({ path: 'asOf' })]);
    const unknown = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: `${tag}-bad`, rows, asOf: '2026-01-31', policy: 'no-such-policy' })
      .expect(422);
    expect(unknown.body).toMatchObject({ code: 'DATASET_UNKNOWN_POLICY', details: [{ path: 'policy', message: 'unknown policy' }] });
    expect(await count(`${tag}-bad`)).toBe(0);
  });

  it('CSV: asOf and policy as multipart fields, also when sent after the file', async () => {
    const res = await t.http
      .post('/api/datasets')
      .set(author.auth)
      .attach('file', Buffer.from(csvOf(cardCustomers(4, 42)), 'utf8'), { filename: 'feb.csv', contentType: 'text/csv' })
      .field('name', `${tag}-feb`)
      .field('asOf', '2026-02-28')
      .field('policy', 'cib-card')
      .expect(201);
    expect(res.body).toMatchObject({ name: `${tag}-feb`, asOf: '2026-02-28', rowCount: 4 });
    expect(res.body.policyId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists snapshots per policy and period (asOf, asOfFrom, asOfTo inclusive)', async () => {
    await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: `${tag}-mar`, rows, asOf: '2026-03-31', policy: 'cib-card' })
      .expect(201);
    await t.http
      .post('/api/datasets')
      .set(author.auth)
      .send({ name: `${tag}-other`, rows, asOf: '2026-02-28' })
      .expect(201);
    const names = async (filter: Record<string, string>) =>
      (
        await t.http
          .get('/api/datasets')
          .query({ filter: JSON.stringify({ q: tag, ...filter }), sort: JSON.stringify(['createdAt', 'ASC']) })
          .set(author.auth)
          .expect(200)
      ).body.map((d: { name: string }) => d.name.slice(tag.length + 1));
    expect(await names({ policy: 'cib-card' })).toEqual(['jan', 'feb', 'mar']);
    expect(await names({ policy: 'cib-card', asOfFrom: '2026-02-28', asOfTo: '2026-03-31' })).toEqual(['feb', 'mar']);
    expect(await names({ asOf: '2026-02-28' })).toEqual(['feb', 'other']);
    expect(await names({ asOfTo: '2026-01-31' })).toEqual(['jan']);
    const bad = await t.http
      .get('/api/datasets')
      .query({ filter: JSON.stringify({ asOfFrom: '2026-13-01' }) })
      .set(author.auth)
      .expect(422);
    expect(bad.body.details).toEqual([expect.objectContaining({ path: 'asOfFrom' })]);
  });
});
