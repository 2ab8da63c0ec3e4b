import type { PolicyDefinition } from '@tierwise/policy-engine';
import { DataSource } from 'typeorm';
import { decodeChunk, valueAt, type DecodedColumn } from '../../src/datasets/chunk-codec';
import { uniqueKey } from '../helpers/fixtures';
import { createTestApp, TestApp } from '../helpers/test-app';

/** POST /api/datasets/synthetic {versionId}: customers for the facts a policy version uses (what the console's "Generate" asks for). */
describe('synthetic customers for a policy version', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('covers every fact the version reads, passes its eligibility equal-tests 95% of the time, spreads numbers across its thresholds, deterministically', async () => {
    const author = await t.login(['author']);
    const [assets, member, segment] = [uniqueKey('assets'), uniqueKey('member'), uniqueKey('segment')];
    await t.http.post('/api/facts').set(author.auth).send({ key: assets, label: '资产', type: 'number' }).expect(201);
    await t.http.post('/api/facts').set(author.auth).send({ key: member, label: '会员', type: 'boolean' }).expect(201);
    await t.http
      .post('/api/facts')
      .set(author.auth)
      .send({ key: segment, label: '客群', type: 'enum', enumValues: ['retail', 'private'] })
      .expect(201);
    const definition: PolicyDefinition = {
      schemaVersion: 1,
      eligibility: { all: [{ fact: member, operator: 'equal', value: true }] },
      tiers: [
        { key: 'TOP', name: '顶级', when: { all: [{ fact: assets, operator: 'greaterThanInclusive', value: 1_000_000 }] } },
        {
          key: 'MID',
          name: '中级',
          when: {
            any: [
              { fact: assets, operator: 'greaterThanInclusive', value: 50_000 },
              { fact: segment, operator: 'equal', value: 'private' },
            ],
          },
        },
        { key: 'LOW', name: '普通' },
      ],
    };
    const policy = await t.http
      .post('/api/policies')
      .set(author.auth)
      .send({ key: uniqueKey('syn'), name: '合成' })
      .expect(201);
    const version = await t.http.post(`/api/policies/${policy.body.id}/versions`).set(author.auth).send({ definition }).expect(201);

    const make = (seed: number) => t.http.post('/api/datasets/synthetic').set(author.auth).send({ versionId: version.body.id, size: 4000, seed });
    const [a, b, c] = [await make(11).expect(201), await make(11).expect(201), await make(12).expect(201)];
    expect(a.body).toMatchObject({ rowCount: 4000, source: 'synthetic', details: { versionId: version.body.id, seed: 11 } });
    expect(a.body.columns.slice(0, 3).sort()).toEqual([assets, member, segment].sort());
    expect(a.body.name).toBe(`${policy.body.key} v1 synthetic ×4000 (seed 11)`);
    expect(a.body.details.sha256).toBe(b.body.details.sha256);
    expect(c.body.details.sha256).not.toBe(a.body.details.sha256);

    const [first] = await t.app.get(DataSource).query('SELECT data FROM dataset_chunk WHERE dataset_id = $1 AND chunk_no = 0', [a.body.id]);
    const chunk = decodeChunk(first.data);
    const values = (key: string) => Array.from({ length: chunk.rows }, (_v, i) => valueAt(chunk.columns.get(key) as DecodedColumn, i));
    const members = values(member).filter((v) => v === true).length / chunk.rows;
    expect(members).toBeGreaterThan(0.9);
    expect(members).toBeLessThan(1);
    const amounts = values(assets) as number[];
    for (const threshold of [50_000, 1_000_000]) {
      expect(amounts.some((x) => x < threshold)).toBe(true);
      expect(amounts.some((x) => x >= threshold)).toBe(true);
    }
  });

  it('asks for exactly one of template and versionId, and a version that exists', async () => {
    const author = await t.login(['author']);
    const both = await t.http
      .post('/api/datasets/synthetic')
      .set(author.auth)
      .send({ template: 'cib-card', versionId: '00000000-0000-4000-8000-000000000000', size: 10 })
      .expect(422);
    expect(both.body.details).toEqual([expect.objectContaining({ path: 'versionId' })]);
    const neither = await t.http.post('/api/datasets/synthetic').set(author.auth).send({ size: 10 }).expect(422);
    expect(neither.body.details).toEqual([expect.objectContaining({ path: 'template' })]);
    const unknown = await t.http
      .post('/api/datasets/synthetic')
      .set(author.auth)
      .send({ versionId: '00000000-0000-4000-8000-000000000000', size: 10 })
      .expect(422);
    expect(unknown.body.code).toBe('DATASET_UNKNOWN_VERSION');
  });
});
