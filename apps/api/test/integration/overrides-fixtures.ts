/** A policy of the test's own (so its ledger is not shared with other test files running at the same time). */
import type { TestApp } from '../helpers/test-app';
import type { Auth } from './rating-fixtures';

const assets = (v: number) => ({ all: [{ fact: 'avgDailyAssets', operator: 'greaterThanInclusive', value: v }] });

/** BLACK ≥ 1,000,000; PLATINUM (白金) ≥ 300,000; GOLD ≥ 100,000; else SILVER — published by `approver`, optional lifecycle rules. */
export async function ownPolicy(t: TestApp, author: Auth, approver: Auth, key: string, lifecycle?: Record<string, number>): Promise<string> {
  const policy = await t.http
    .post('/api/policies')
    .set(author)
    .send({ key, name: `ladder ${key}` })
    .expect(201);
  const definition = {
    schemaVersion: 1,
    ...(lifecycle ? { lifecycle } : {}),
    tiers: [
      { key: 'BLACK', name: '黑金', nameEn: 'Black', when: assets(1_000_000) },
      { key: 'PLATINUM', name: '白金', nameEn: 'Platinum', when: assets(300_000) },
      { key: 'GOLD', name: '金卡', nameEn: 'Gold', when: assets(100_000) },
      { key: 'SILVER', name: '银卡', nameEn: 'Silver' },
    ],
  };
  const v = await t.http.post(`/api/policies/${policy.body.id}/versions`).set(author).send({ definition }).expect(201);
  await t.http.post(`/api/policy-versions/${v.body.id}/submit`).set(author).send({}).expect(200);
  await t.http.post(`/api/policy-versions/${v.body.id}/approve`).set(approver).send({}).expect(200);
  await t.http.post(`/api/policy-versions/${v.body.id}/publish`).set(approver).send({}).expect(200);
  await new Promise((r) => setTimeout(r, 1100)); // the evaluation timeline cache
  return key;
}
