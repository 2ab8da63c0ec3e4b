/**
 * DECISION_LOG=off exists only for the benchmark's "same server without logging" twin: it must be
 * visible (health) and must not pretend a decision was recorded (no decisionId, nothing written).
 */
import { DataSource } from 'typeorm';
import { AuditService } from '../../src/audit/audit.service';
import { seedTemplates } from '../../src/bootstrap/seed-templates';
import { PoliciesService } from '../../src/policies/policies.service';
import { TestCasesService } from '../../src/policies/test-cases.service';
import { WorkflowService } from '../../src/policies/workflow.service';
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';

describe.each([
  ['on', true],
  ['off', false],
] as const)('DECISION_LOG=%s', (setting, logged) => {
  let t: TestApp & { db: import('pg').Client };
  beforeAll(async () => {
    t = await createIsolatedTestApp({ DECISION_LOG: setting });
    const a = t.app;
    await seedTemplates({
      ds: a.get(DataSource),
      audit: a.get(AuditService),
      policies: a.get(PoliciesService),
      workflow: a.get(WorkflowService),
      testCases: a.get(TestCasesService),
    });
  });
  afterAll(() => t.close());

  it(`health says ${setting}; evaluate and batch ${logged ? 'record every decision' : 'record nothing and give no decisionId'}`, async () => {
    expect((await t.http.get('/api/health').expect(200)).body.decisionLog).toBe(setting);
    const service = await t.login(['service']);
    const one = await t.http
      .post('/api/evaluate')
      .set(service.auth)
      .send({ policy: 'cib-card', customerId: 'c-1', facts: { avgDailyAssets: 1_000_000, familyAvgDailyAssets: 0, hasValidId: true } })
      .expect(200);
    expect(one.body.tier.key).toBe('BLACK');
    const batch = await t.http
      .post('/api/evaluate/batch')
      .set(service.auth)
      .send({
        policy: 'cib-card',
        customers: [
          { customerId: 'c-2', facts: { avgDailyAssets: 999_999.99, familyAvgDailyAssets: 0, hasValidId: true } },
          { facts: { avgDailyAssets: 0, familyAvgDailyAssets: 0, hasValidId: true } },
        ],
      })
      .expect(200);
    expect(batch.body.results.map((r: { tier: { key: string } | null }) => r.tier?.key)).toEqual(['PLATINUM', 'SILVER']);
    const ids = [one.body.decisionId, ...batch.body.results.map((r: { decisionId?: string }) => r.decisionId)];
    const stored = Number((await t.db.query('SELECT count(*) AS n FROM decision')).rows[0].n);
    if (logged) {
      expect(ids).toEqual([expect.any(String), expect.any(String), expect.any(String)]);
      expect(stored).toBe(3);
      // time-ordered ids (UUIDv7 of the decision's evaluatedAt), each found by GET /api/decisions/:id
      const answers = [one.body, ...batch.body.results] as { decisionId: string; evaluatedAt: string }[];
      for (const a of answers) {
        expect(a.decisionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(parseInt(a.decisionId.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse(a.evaluatedAt));
      }
      const byId = [...answers].sort((a, b) => (a.decisionId < b.decisionId ? -1 : 1)).map((a) => Date.parse(a.evaluatedAt));
      expect(byId).toEqual([...byId].sort((a, b) => a - b));
      const auditor = await t.login(['compliance']);
      for (const id of ids) expect((await t.http.get(`/api/decisions/${id}`).set(auditor.auth).expect(200)).body.id).toBe(id);
    } else {
      expect(ids).toEqual([undefined, undefined, undefined]);
      expect(stored).toBe(0);
    }
  });

  if (logged) {
    it('a value PostgreSQL cannot store (a lone UTF-16 surrogate) fails only its own request, with 400', async () => {
      const service = await t.login(['service']);
      const good = (i: number) =>
        t.http
          .post('/api/evaluate')
          .set(service.auth)
          .send({ policy: 'cib-card', customerId: `batch-mate-${i}`, facts: { avgDailyAssets: 500_000, hasValidId: true } });
      const bad = t.http
        .post('/api/evaluate')
        .set(service.auth)
        .set('Content-Type', 'application/json')
        .send('{"policy":"cib-card","customerId":"lonely","facts":{"avgDailyAssets":500000,"hasValidId":true,"note":"\\ud800"}}');
      const [b, ...goods] = await Promise.all([bad, ...Array.from({ length: 8 }, (_, i) => good(i))]);
      expect(b.status).toBe(400);
      expect(goods.map((g) => g.status)).toEqual(Array(8).fill(200));
      const stored = await t.db.query("SELECT customer_id FROM decision WHERE customer_id LIKE 'batch-mate-%' OR customer_id = 'lonely'");
      expect(stored.rows.map((r: { customer_id: string }) => r.customer_id).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `batch-mate-${i}`).sort());
    });

    // one fault in customer 2,345 of 2,500 (in the answer's third slice): the whole batch refused, nothing logged
    const faults = [
      // the body's schema (zod, 422 INVALID_BODY): a fact key longer than 64 characters
      ['a fact key too long', 422, `"${'k'.repeat(65)}":1`, 'INVALID_BODY', `customers[2345].facts.${'k'.repeat(65)}`],
      // the version's catalog (422 INVALID_FACTS): a fact of the wrong type
      ['a fact of the wrong type', 422, '"avgDailyAssets":"lots"', 'INVALID_FACTS', 'customers[2345].facts.avgDailyAssets'],
      // PostgreSQL: a value it cannot store (a lone UTF-16 surrogate, sent as JSON's escape), found only as the log is written (400)
      ['a value the log cannot store', 400, '"note":"\\ud800"', undefined, undefined],
      // the NUL check of every body (sent as JSON's escape, the only way JSON text holds one)
      ['a NUL in a fact', 422, '"note":"a\\u0000b"', 'INVALID_BODY', 'customers[2345].facts.note'],
    ] as const;
    it.each(faults)('a batch of 2,500 with %s is refused (%d) with its path, and none of it is logged', async (_what, status, fault, code, path) => {
      const service = await t.login(['service']);
      const customers = Array.from({ length: 2_500 }, (_, i) => ({
        customerId: `slice-${i}`,
        facts: { avgDailyAssets: i * 100, familyAvgDailyAssets: 0, hasValidId: true },
      }));
      // the fault last among customer 2,345's facts (no duplicate key overrides it), the body sent as text (the surrogate as JSON's escape)
      const body = JSON.stringify({ policy: 'cib-card', customers }).replace(
        '"hasValidId":true}},{"customerId":"slice-2346"',
        `"hasValidId":true,${fault}}},{"customerId":"slice-2346"`,
      );
      const refused = await t.http.post('/api/evaluate/batch').set(service.auth).set('Content-Type', 'application/json').send(body).expect(status);
      expect(refused.body.code).toBe(code);
      if (path) expect(refused.body.details).toEqual([expect.objectContaining({ path })]);
      const none = await t.db.query("SELECT count(*) AS n FROM decision WHERE customer_id LIKE 'slice-%'");
      expect(Number(none.rows[0].n)).toBe(0);
    });

    it("a batch of 2,500 is answered in order across the answer's slices, as one JSON body of its length, each decision logged once", async () => {
      const service = await t.login(['service']);
      const customers = Array.from({ length: 2_500 }, (_, i) => ({
        customerId: `slice-${i}`,
        facts: { avgDailyAssets: i * 100, familyAvgDailyAssets: 0, hasValidId: true },
      }));
      const ok = await t.http.post('/api/evaluate/batch').set(service.auth).send({ policy: 'cib-card', customers }).expect(200);
      expect(ok.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(ok.headers['content-length'])).toBe(Buffer.byteLength(ok.text));
      const results = ok.body.results as { customerId: string; decisionId: string; evaluatedAt: string }[];
      expect(results.map((r) => r.customerId)).toEqual(customers.map((c) => c.customerId));
      const rows = await t.db.query("SELECT id, customer_id, evaluated_at FROM decision WHERE customer_id LIKE 'slice-%'");
      expect(rows.rows).toHaveLength(2_500);
      const byId = new Map(rows.rows.map((r: { id: string; customer_id: string; evaluated_at: Date }) => [r.id, r]));
      for (const r of results) {
        expect(byId.get(r.decisionId)).toMatchObject({ customer_id: r.customerId });
        expect(byId.get(r.decisionId)?.evaluated_at.toISOString()).toBe(r.evaluatedAt);
      }
    });
  }
});
