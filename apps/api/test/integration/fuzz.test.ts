import fc from 'fast-check';
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { cardDefinition, setupPolicy } from '../helpers/fixtures';
import { createIsolatedTestApp, TestApp } from '../helpers/test-app';
import { waitForStatus } from './simulation-fixtures';

/**
 * ≥ 10,000 malformed requests across the endpoints: bodies (not JSON, not objects, wrong types, missing
 * and unknown fields, hostile nesting), headers (content types, If-Match, Authorization) and query
 * strings and ids — including the newer endpoints (own password, workflow withdraw/discard/retire,
 * try-it with an inline definition, rating runs, cycles, overrides, customers' tiers, dataset delete,
 * simulation report/results and audit exports). Zero 500s, and nothing is written: every table keeps its row count.
 * FUZZ_SCALE (0 < scale ≤ 1, default 1) scales every count: CI's second pass of the integration tests
 * (against the machine's PostgreSQL 15, .ci/run) sets 0.25 — the input checks it fuzzes are the API's,
 * the same code on either database; the full 10,000+ run on the embedded PostgreSQL in every CI run.
 */
const SCALE = Number(process.env.FUZZ_SCALE ?? '1');
if (!(SCALE > 0 && SCALE <= 1)) throw new Error(`FUZZ_SCALE must be in (0, 1], got "${process.env.FUZZ_SCALE}"`);
const runs = (n: number) => Math.ceil(n * SCALE);
const MIN_SENT = runs(10_000);
const TABLES = [
  'app_user',
  'fact',
  'benefit',
  'benefit_package',
  'policy',
  'policy_version',
  'policy_test_case',
  'decision',
  'dataset',
  'simulation',
  'rating_run',
  'tier_history',
];

type Body = Record<string, unknown>;
interface Target {
  method: 'post' | 'put' | 'patch';
  path: string;
  valid: Body;
  headers?: Record<string, string>;
  /** Keys the schema lets one leave out (dropping them is not a break). */
  optional?: string[];
  /** Keys that accept null. */
  nullable?: string[];
}

const wrongTypeValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
  fc.string({ maxLength: 5 }),
);

/** A mutation of a valid body that can never be valid: each one breaks a rule the schema enforces. */
function breakBody({ valid, optional = [], nullable = [] }: Target): fc.Arbitrary<string> {
  const keys = Object.keys(valid);
  const required = keys.filter((k) => !optional.includes(k));
  return fc.oneof(
    fc
      .jsonValue()
      .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
      .map((v) => JSON.stringify(v)),
    fc.string({ minLength: 1, maxLength: 40 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }),
    fc.string({ minLength: 1, maxLength: 12 }).map((k) => JSON.stringify({ ...valid, [`zz_${k}`]: 1 })),
    ...(required.length ? [fc.constantFrom(...required).map((k) => JSON.stringify(Object.fromEntries(Object.entries(valid).filter(([x]) => x !== k))))] : []),
    fc
      .tuple(fc.constantFrom(...keys), wrongTypeValue)
      .filter(([k, v]) => (v === null ? !nullable.includes(k) : typeof v !== typeof valid[k] || Array.isArray(v) !== Array.isArray(valid[k])))
      .map(([k, v]) => JSON.stringify({ ...valid, [k]: v })),
    fc.integer({ min: 10_000, max: 30_000 }).map((depth) => `{"${keys[0]}":${'['.repeat(depth)}${']'.repeat(depth)}}`),
    fc.constant(JSON.stringify({ ...valid, [keys[0]]: 'x\u0000y' })),
  );
}

describe('fuzz: malformed input never causes a 500 or a write', () => {
  let t: TestApp & { url: string; db: Client };
  let db: Client;
  beforeAll(async () => {
    t = await createIsolatedTestApp();
    db = t.db;
  });
  afterAll(() => t.close());

  const counts = async () => {
    const out: Record<string, number> = {};
    for (const table of TABLES) out[table] = Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    out.audit = Number((await db.query(`SELECT count(*) AS n FROM audit_event WHERE action <> 'auth.login_failed'`)).rows[0].n);
    return out;
  };

  it(`survives ${MIN_SENT.toLocaleString('en')}+ malformed requests`, async () => {
    const admin = await t.login(['admin', 'author', 'approver', 'compliance']);
    const { fact, pkg, benefit, policy } = await setupPolicy(t, admin.auth);
    const draft = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(admin.auth)
      .send({ definition: cardDefinition(fact) })
      .expect(201);
    // a discarded version: every workflow step on it answers 409, whatever the body, so no break can write
    const discarded = await t.http
      .post(`/api/policies/${policy.id}/versions`)
      .set(admin.auth)
      .send({ definition: cardDefinition(fact) })
      .expect(201);
    await t.http.post(`/api/policy-versions/${discarded.body.id}/discard`).set(admin.auth).send({}).expect(200);
    // a dataset and a finished simulation, for the exports with hostile formats and languages
    const dataset = await t.http
      .post('/api/datasets')
      .set(admin.auth)
      .send({ name: 'fuzz', asOf: '2026-01-31', rows: [{ customerId: 'F1', [fact]: 5 }] })
      .expect(201);
    const simulation = await t.http
      .post('/api/simulations')
      .set(admin.auth)
      .send({ candidateVersionId: draft.body.id, baselineVersionId: draft.body.id, datasetId: dataset.body.id })
      .expect(201);
    await waitForStatus(t, admin.auth, simulation.body.id, ['succeeded', 'failed']);
    const auth = admin.auth;
    const targets: Target[] = [
      // the valid current password (test-app's): newPassword first, so the NUL case breaks the new one, not the check
      { method: 'post', path: '/api/auth/password', valid: { newPassword: 'a fresh passphrase 2026', currentPassword: 'correct horse battery' } },
      { method: 'post', path: `/api/policy-versions/${discarded.body.id}/withdraw`, valid: { comment: 'back' }, optional: ['comment'] },
      { method: 'post', path: `/api/policy-versions/${discarded.body.id}/discard`, valid: { comment: 'gone' }, optional: ['comment'] },
      {
        method: 'post',
        path: `/api/policy-versions/${discarded.body.id}/retire`,
        valid: { comment: 'ends', acknowledgeGap: true },
        optional: ['comment', 'acknowledgeGap'],
      },
      { method: 'post', path: `/api/policy-versions/${draft.body.id}/evaluate`, valid: { facts: { [fact]: 1 }, definition: cardDefinition(fact) } },
      { method: 'post', path: `/api/policy-versions/${draft.body.id}/test-run`, valid: { definition: cardDefinition(fact) }, optional: ['definition'] },
      { method: 'post', path: '/api/rating-runs', valid: { policy: policy.key, datasetId: dataset.body.id } },
      { method: 'post', path: `/api/rating-runs/${randomUUID()}/reject`, valid: { comment: 'no' } },
      { method: 'put', path: `/api/rating-cycles/schedules/${policy.key}`, valid: { frequency: 'monthly', deadlineDays: 5 } },
      { method: 'post', path: '/api/customers/F1/overrides', valid: { policy: policy.key, tier: 'GOLD', mode: 'set', reason: 'vip' } },
      { method: 'post', path: `/api/overrides/${randomUUID()}/reject`, valid: { comment: 'no' } },
      { method: 'post', path: '/api/auth/login', valid: { username: 'someone', password: 'secret-password' } },
      { method: 'post', path: '/api/users', valid: { username: 'new-user', password: 'long-enough-pass-2026', roles: ['viewer'] } },
      { method: 'post', path: '/api/facts', valid: { key: 'newFact', label: '新', type: 'number' } },
      { method: 'put', path: `/api/facts/${fact}`, valid: { key: fact, label: '新', type: 'number' } },
      { method: 'post', path: '/api/benefits', valid: { key: 'newBenefit', name: '新', unitCost: 1 }, optional: ['unitCost'] },
      { method: 'put', path: `/api/benefit-packages/${pkg}`, valid: { key: pkg, name: '新', benefits: [benefit] } },
      { method: 'post', path: '/api/policies', valid: { key: 'new-policy', name: '新' } },
      { method: 'post', path: '/api/policies/validate', valid: { definition: cardDefinition(fact) } },
      { method: 'put', path: `/api/policy-versions/${draft.body.id}`, valid: { definition: cardDefinition(fact) }, headers: { 'If-Match': '1' } },
      { method: 'post', path: `/api/policy-versions/${draft.body.id}/reject`, valid: { comment: 'no' } },
      { method: 'post', path: `/api/policy-versions/${draft.body.id}/publish`, valid: { effectiveFrom: '2030-01-01T00:00:00Z' } },
      // on a draft even a well-formed body only gets 409 (nothing to retire): no write either way
      { method: 'post', path: `/api/policy-versions/${draft.body.id}/approve-retirement`, valid: { comment: 'ok', acknowledgeGap: true } },
      { method: 'post', path: `/api/policy-versions/${draft.body.id}/reject-retirement`, valid: { comment: 'keep' } },
      {
        method: 'post',
        path: `/api/policies/${policy.id}/test-cases`,
        valid: { name: 'x', facts: { [fact]: 1 }, expectedTier: 'GOLD' },
        nullable: ['expectedTier'],
      },
      { method: 'post', path: '/api/evaluate', valid: { policy: policy.key, facts: { [fact]: 1 } } },
      { method: 'post', path: '/api/evaluate/batch', valid: { policy: policy.key, customers: [{ facts: { [fact]: 1 } }] } },
      { method: 'post', path: `/api/policy-versions/${draft.body.id}/evaluate`, valid: { facts: { [fact]: 1 } } },
    ];
    const lists = [
      '/api/facts',
      '/api/benefits',
      '/api/benefit-packages',
      '/api/policies',
      `/api/policies/${policy.id}/versions`,
      '/api/audit-events',
      '/api/decisions',
      '/api/users',
      `/api/policies/${policy.id}/test-cases`,
      '/api/datasets',
      '/api/simulations',
      '/api/rating-runs',
      '/api/rating-cycles',
      '/api/overrides',
    ];
    const before = await counts();
    const failures: string[] = [];
    let sent = 0;
    const check = (what: string, status: number, body: unknown) => {
      sent += 1;
      if (status >= 500) failures.push(`${status} ${what} → ${JSON.stringify(body).slice(0, 200)}`);
    };

    // 1. bodies: ≥ 7,500 (at scale 1)
    for (const target of targets) {
      for (const raw of fc.sample(breakBody(target), { numRuns: runs(500), seed: 42 })) {
        const res = await t.http[target.method](target.path)
          .set(auth)
          .set(target.headers ?? {})
          .set('Content-Type', 'application/json')
          .send(raw);
        check(`${target.method} ${target.path} ${raw.slice(0, 80)}`, res.status, res.body);
      }
    }
    // 2. headers: content types, If-Match, Authorization
    const headerCases = fc.sample(
      fc.record({
        contentType: fc.oneof(
          fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=gbk', ''),
          fc.string({ maxLength: 20 }),
        ),
        ifMatch: fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), fc.constant('W/"0"')),
        authorization: fc.oneof(
          fc.constant(auth.Authorization),
          fc.string({ maxLength: 30 }).map((s) => `Bearer ${s}`),
          fc.string({ maxLength: 30 }),
        ),
      }),
      { numRuns: runs(1500), seed: 7 },
    );
    for (const h of headerCases) {
      const res = await t.http
        .put(`/api/policy-versions/${draft.body.id}`)
        .set('Authorization', h.authorization)
        .set('If-Match', h.ifMatch === '1' ? '0' : h.ifMatch)
        .set('Content-Type', h.contentType)
        .send('{"definition": {"schemaVersion": 1, "tiers": []}}');
      check(`headers ${JSON.stringify(h)}`, res.status, res.body);
    }
    // 3. query strings and path parameters
    const queryCases = fc.sample(
      fc.record({
        list: fc.constantFrom(...lists),
        sort: fc.oneof(
          fc.string({ maxLength: 20 }),
          fc.constant('["key","SIDEWAYS"]'),
          fc.constant('["nope","ASC"]'),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        range: fc.oneof(
          fc.string({ maxLength: 20 }),
          fc.constant('[5,1]'),
          fc.constant('[0,99999999]'),
          fc.constant('[-1,3]'),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        filter: fc.oneof(
          fc.string({ maxLength: 20 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.constant('{"from":"not a date"}'),
          fc.constant('{"q":{"$ne":1}}'),
        ),
        id: fc.oneof(fc.string({ maxLength: 40 }), fc.uuid()),
      }),
      { numRuns: runs(1200), seed: 9 },
    );
    for (const q of queryCases) {
      const list = await t.http.get(q.list).set(auth).query({ sort: q.sort, range: q.range, filter: q.filter });
      check(`GET ${q.list} ${JSON.stringify(q)}`, list.status, list.body);
      const one = await t.http
        .get(`/api/policy-versions/${encodeURIComponent(q.id)}/diff`)
        .set(auth)
        .query({ against: q.id });
      check(`GET diff ${q.id}`, one.status, one.body);
    }

    // 4. the newer read, export and delete endpoints: hostile ids, formats, languages, instants
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('csv', 'xlsx', 'XLSX', 'pdf', 'zh-CN', 'en', '../../etc/passwd', '%00', 'x\u0000y'),
      fc.uuid(),
    );
    const readCases = fc.sample(fc.record({ route: fc.nat({ max: 11 }), id: fc.oneof(fc.string({ maxLength: 40 }), fc.uuid()), a: text, b: text }), {
      numRuns: runs(1200),
      seed: 11,
    });
    const sim = simulation.body.id as string;
    for (const q of readCases) {
      const id = encodeURIComponent(q.id);
      const routes = [
        () => t.http.get(`/api/customers/${id}/tier`).query({ policy: q.a, at: q.b }),
        () => t.http.get(`/api/customers/${id}/tiers`).query({ policy: q.a }),
        () => t.http.delete(`/api/datasets/${id}`),
        () => t.http.get(`/api/simulations/${sim}/report`).query({ format: q.a, lang: q.b }),
        () => t.http.get(`/api/simulations/${id}/report`).query({ format: q.a }),
        () => t.http.get(`/api/simulations/${sim}/results`).query({ format: q.a }),
        () => t.http.get('/api/audit-events/export').query({ format: q.a, filter: q.b }),
        () => t.http.get(`/api/rating-runs/${id}`),
        () => t.http.post(`/api/rating-runs/${id}/approve`).send({}),
        () => t.http.post(`/api/rating-runs/${id}/cancel`).send({}),
        () => t.http.delete(`/api/overrides/${id}`).send({}),
        () => t.http.get('/api/rating-cycles').query({ policy: q.a, overdue: q.b }),
      ];
      const res = await routes[q.route]().set(auth);
      check(`route ${q.route} ${JSON.stringify(q)}`, res.status, res.body);
    }

    expect(sent).toBeGreaterThanOrEqual(MIN_SENT);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(await counts()).toEqual(before);
    const verify = await t.http.get('/api/audit-events/verify').set(auth).expect(200);
    expect(verify.body.valid).toBe(true);
  }, 600_000);
});
