import { publishVersion, uniqueKey } from '../helpers/fixtures';
import { createTestApp, TestApp } from '../helpers/test-app';

/** Contract §9 projection through the API: POST /api/evaluate and try-it answer the next tier and the single changes that reach it. */
describe('projection: next better tier on evaluate and try-it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('金卡 with 250,000 personal and 200,000 family → 白金 needs 300,000 personal or 250,000 family; at the top next is null', async () => {
    const author = await t.login(['author']);
    const approver = await t.login(['approver']);
    const personal = uniqueKey('assets');
    const family = uniqueKey('family');
    for (const [key, label, labelEn] of [
      [personal, '日均资产', 'Average daily assets'],
      [family, '家庭日均资产', 'Family average daily assets'],
    ]) {
      await t.http.post('/api/facts').set(author.auth).send({ key, label, labelEn, type: 'number', unit: 'CNY' }).expect(201);
    }
    const { body: policy } = await t.http
      .post('/api/policies')
      .set(author.auth)
      .send({ key: uniqueKey('card'), name: '卡' })
      .expect(201);
    const either = (p: number, f: number) => ({
      any: [
        { fact: personal, operator: 'greaterThanInclusive', value: p },
        { fact: family, operator: 'greaterThanInclusive', value: f },
      ],
    });
    const definition = {
      schemaVersion: 1,
      tiers: [
        { key: 'BLACK', name: '黑金', when: either(1_000_000, 800_000) },
        { key: 'PLATINUM', name: '白金', nameEn: 'Platinum', when: either(300_000, 250_000) },
        { key: 'GOLD', name: '金卡', when: either(100_000, 80_000) },
        { key: 'SILVER', name: '银卡' },
      ],
    };
    const version = await publishVersion(t, author.auth, approver.auth, policy.id, definition);
    const service = await t.login(['service']);
    const res = await t.http
      .post('/api/evaluate')
      .set(service.auth)
      .send({ policy: policy.key, facts: { [personal]: 250_000, [family]: 200_000 }, explain: true })
      .expect(200);
    expect(res.body.tier.key).toBe('GOLD');
    expect(res.body.next).toEqual({
      tier: { key: 'PLATINUM', name: '白金', nameEn: 'Platinum', rank: 2 },
      options: [
        { fact: personal, kind: 'fact', current: 250_000, needed: 300_000 },
        { fact: family, kind: 'fact', current: 200_000, needed: 250_000 },
      ],
      explanation: {
        'zh-CN': ['距白金还差日均资产 50,000（需达到 300,000）', '距白金还差家庭日均资产 50,000（需达到 250,000）'],
        en: ['Platinum: 50,000 more Average daily assets (needs 300,000)', 'Platinum: 50,000 more Family average daily assets (needs 250,000)'],
      },
    });
    const top = await t.http
      .post('/api/evaluate')
      .set(service.auth)
      .send({ policy: policy.key, facts: { [personal]: 1_000_000 } })
      .expect(200);
    expect(top.body.next).toBeNull();
    // batch and try-it too
    const batch = await t.http
      .post('/api/evaluate/batch')
      .set(service.auth)
      .send({ policy: policy.key, customers: [{ facts: { [personal]: 299_999 } }] })
      .expect(200);
    expect(batch.body.results[0].next.options[0]).toEqual({ fact: personal, kind: 'fact', current: 299_999, needed: 300_000 });
    const tryIt = await t.http
      .post(`/api/policy-versions/${version.id}/evaluate`)
      .set(author.auth)
      .send({ facts: { [personal]: 50_000, [family]: 0 } })
      .expect(200);
    expect(tryIt.body.next).toMatchObject({
      tier: { key: 'GOLD' },
      options: [
        { fact: personal, needed: 100_000 },
        { fact: family, needed: 80_000 },
      ],
    });
    expect(tryIt.body.next.explanation['zh-CN'][0]).toBe('距金卡还差日均资产 50,000（需达到 100,000）');
  });
});
