import { randomUUID } from 'node:crypto';
import type { PolicyDefinition } from '@tierwise/policy-engine';
import type { TestApp } from './test-app';

/** A unique key per test, so tests never depend on each other's data. */
export const uniqueKey = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

type Auth = { Authorization: string };

/** A card ladder on its own fact keys: BLACK ≥ black, GOLD ≥ gold, SILVER default. */
export function cardDefinition(fact: string, black = 1_000_000, gold = 100_000, pkg?: string): PolicyDefinition {
  return {
    schemaVersion: 1,
    tiers: [
      { key: 'BLACK', name: '黑金客户', ...(pkg ? { benefitPackage: pkg } : {}), when: { all: [{ fact, operator: 'greaterThanInclusive', value: black }] } },
      { key: 'GOLD', name: '金卡客户', when: { all: [{ fact, operator: 'greaterThanInclusive', value: gold }] } },
      { key: 'SILVER', name: '银卡客户' },
    ],
  };
}

/** A fact, a benefit and a package of its own, plus a policy: what most tests start from. */
export async function setupPolicy(t: TestApp, author: Auth) {
  const fact = uniqueKey('assets');
  const benefit = uniqueKey('lounge');
  const pkg = uniqueKey('black-pkg');
  await t.http
    .post('/api/facts')
    .set(author)
    .send({ key: fact, label: `日均资产 ${fact}`, labelEn: `Average daily assets ${fact}`, type: 'number', unit: 'CNY' })
    .expect(201);
  await t.http.post('/api/benefits').set(author).send({ key: benefit, name: '机场贵宾服务', nameEn: 'Airport VIP lounge', unitCost: 300 }).expect(201);
  await t.http
    .post('/api/benefit-packages')
    .set(author)
    .send({ key: pkg, name: '黑金权益', benefits: [benefit] })
    .expect(201);
  const policy = await t.http
    .post('/api/policies')
    .set(author)
    .send({ key: uniqueKey('card'), name: '信用卡分级' })
    .expect(201);
  return { fact, benefit, pkg, policy: policy.body as { id: string; key: string } };
}

/** Draft → submit → approve → publish, by the given author and approver. */
export async function publishVersion(t: TestApp, author: Auth, approver: Auth, policyId: string, definition: unknown, effectiveFrom?: string) {
  const v = await t.http.post(`/api/policies/${policyId}/versions`).set(author).send({ definition }).expect(201);
  await t.http.post(`/api/policy-versions/${v.body.id}/submit`).set(author).send({}).expect(200);
  await t.http.post(`/api/policy-versions/${v.body.id}/approve`).set(approver).send({}).expect(200);
  const published = await t.http
    .post(`/api/policy-versions/${v.body.id}/publish`)
    .set(approver)
    .send(effectiveFrom ? { effectiveFrom } : {})
    .expect(200);
  return published.body as { id: string; number: number; status: string };
}
