import { templates as shipped } from '../../src/templates/template-library';

const templates = shipped();
import { DataSource } from 'typeorm';
import { AuditService } from '../../src/audit/audit.service';
import { seedTemplates } from '../../src/bootstrap/seed-templates';
import { PoliciesService } from '../../src/policies/policies.service';
import { TestCasesService } from '../../src/policies/test-cases.service';
import { WorkflowService } from '../../src/policies/workflow.service';
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';

describe('shipped templates loaded at first start', () => {
  let t: TestApp;
  let seed: () => Promise<string[]>;
  beforeAll(async () => {
    t = await createIsolatedTestApp();
    const a = t.app;
    seed = () =>
      seedTemplates({
        ds: a.get(DataSource),
        audit: a.get(AuditService),
        policies: a.get(PoliciesService),
        workflow: a.get(WorkflowService),
        testCases: a.get(TestCasesService),
      });
  });
  afterAll(() => t.close());

  it('loads every template once, as published policies whose test cases pass', async () => {
    expect((await seed()).sort()).toEqual(templates.map((x) => x.key).sort());
    expect(await seed()).toEqual([]); // a second start adds nothing
    const viewer = await t.login(['viewer']);
    const author = await t.login(['author']);
    const policies = await t.http.get('/api/policies').query({ range: '[0,99]' }).set(viewer.auth).expect(200);
    expect(policies.body).toHaveLength(templates.length);
    for (const p of policies.body) {
      expect(p.activeVersionId).toEqual(expect.any(String));
      const cases = await t.http.get(`/api/policies/${p.id}/test-cases`).query({ range: '[0,99]' }).set(viewer.auth).expect(200);
      expect(cases.body.length).toBeGreaterThanOrEqual(6);
      const run = await t.http.post(`/api/policy-versions/${p.activeVersionId}/test-run`).set(author.auth).expect(200);
      expect({ policy: p.key, failed: run.body.failed }).toEqual({ policy: p.key, failed: 0 });
    }
    const verify = await t.http.get('/api/audit-events/verify').set(viewer.auth).expect(200);
    expect(verify.body.valid).toBe(true);
  }, 240_000); // seventeen templates seeded in one transaction: slow on a loaded machine

  it('ICBC star levels: which rules applied on a date is answerable (v2 from 2021-05-01 +08:00)', async () => {
    const service = await t.login(['service']);
    // the rules are the same; the instant picks the version (the bank changed how it computes the star points it supplies)
    const customer = { starPoints: 10_000 };
    const before = await t.http
      .post('/api/evaluate')
      .set(service.auth)
      .send({ policy: 'icbc-star', facts: customer, at: '2021-04-30T23:59:59+08:00' })
      .expect(200);
    const after = await t.http
      .post('/api/evaluate')
      .set(service.auth)
      .send({ policy: 'icbc-star', facts: customer, at: '2021-05-01T00:00:00+08:00' })
      .expect(200);
    expect(before.body.policy.number).toBe(1);
    expect(after.body.policy.number).toBe(2);
    expect(before.body.tier.key).toBe('SIX');
    expect(after.body.tier.key).toBe('SIX');
  });
});
