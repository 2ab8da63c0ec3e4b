import { randomUUID } from 'node:crypto';
import { ROLES, Role } from '../../src/common/access/roles';
import { apiRoutes } from '../contract/routes';
import { createTestApp, TestApp } from '../helpers/test-app';

type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';
const id = randomUUID();
const ALL: Role[] = [...ROLES];
const READ: Role[] = ['admin', 'author', 'approver', 'compliance', 'viewer'];
const WRITE_CATALOG: Role[] = ['admin', 'author'];
const SIMULATE: Role[] = ['admin', 'author', 'approver', 'compliance'];

/** Every guarded endpoint and the roles that may use it; everyone else must get 403. */
const TABLE: [Method, string, Role[]][] = [
  ['get', '/api/auth/me', ALL],
  ['post', '/api/auth/password', ALL],
  ['get', '/api/users', ['admin']],
  ['get', `/api/users/${id}`, ['admin']],
  ['post', '/api/users', ['admin']],
  ['patch', `/api/users/${id}`, ['admin']],
  ...(['facts', 'benefits', 'benefit-packages'] as const).flatMap((r): [Method, string, Role[]][] => [
    ['get', `/api/${r}`, READ],
    ['get', `/api/${r}/k`, READ],
    ['post', `/api/${r}`, WRITE_CATALOG],
    ['put', `/api/${r}/k`, WRITE_CATALOG],
    ['delete', `/api/${r}/k`, WRITE_CATALOG],
  ]),
  ['get', '/api/policies', READ],
  ['post', '/api/policies', ['admin', 'author']],
  ['post', '/api/policies/validate', READ],
  ['get', `/api/policies/${id}`, READ],
  ['get', `/api/policies/${id}/versions`, READ],
  ['post', `/api/policies/${id}/versions`, ['admin', 'author']],
  ['get', `/api/policy-versions/${id}`, READ],
  ['put', `/api/policy-versions/${id}`, ['admin', 'author']],
  ['get', `/api/policy-versions/${id}/diff?against=${id}`, READ],
  ['post', `/api/policy-versions/${id}/submit`, ['admin', 'author']],
  ['post', `/api/policy-versions/${id}/approve`, ['approver']],
  ['post', `/api/policy-versions/${id}/reject`, ['approver']],
  ['post', `/api/policy-versions/${id}/publish`, ['approver']],
  ['post', `/api/policy-versions/${id}/retire`, ['approver', 'admin']],
  ['post', `/api/policy-versions/${id}/approve-retirement`, ['approver']],
  ['post', `/api/policy-versions/${id}/reject-retirement`, ['approver', 'admin']],
  ['post', `/api/policy-versions/${id}/withdraw`, ['admin', 'author']],
  ['post', `/api/policy-versions/${id}/discard`, ['admin', 'author']],
  ['post', `/api/policy-versions/${id}/test-run`, ['admin', 'author', 'approver', 'compliance']],
  ['post', `/api/policy-versions/${id}/evaluate`, ['admin', 'author', 'approver', 'compliance']],
  ['get', `/api/policies/${id}/test-cases`, READ],
  ['post', `/api/policies/${id}/test-cases`, ['admin', 'author']],
  ['put', `/api/policies/${id}/test-cases/${id}`, ['admin', 'author']],
  ['delete', `/api/policies/${id}/test-cases/${id}`, ['admin', 'author']],
  ['post', '/api/evaluate', ALL],
  ['post', '/api/evaluate/batch', ALL],
  ['get', '/api/decisions', ['admin', 'compliance', 'approver', 'author']],
  ['get', `/api/decisions/${id}`, ['admin', 'compliance', 'approver', 'author']],
  ['get', `/api/policies/${id}/decision-retention`, ['admin', 'compliance', 'approver', 'author']],
  ['put', `/api/policies/${id}/decision-retention`, ['admin', 'compliance']],
  ['post', `/api/policies/${id}/decision-retention/approve`, ['admin', 'compliance']],
  ['post', `/api/policies/${id}/decision-retention/reject`, ['admin', 'compliance']],
  ['get', '/api/audit-events', READ],
  ['get', '/api/audit-events/verify', READ],
  ['get', '/api/audit-events/export.csv', ['admin', 'compliance']],
  ['get', '/api/audit-events/export?format=xlsx', ['admin', 'compliance']],
  ['get', `/api/audit-events/${id}`, READ],
  ['get', '/api/templates', READ],
  ['get', '/api/customers/C1/tier?policy=cib-card', ALL],
  ['get', '/api/customers/C1/tiers', ALL],
  ['get', '/api/rating-runs', READ],
  ['get', `/api/rating-runs/${id}`, READ],
  ['post', '/api/rating-runs', ['admin', 'author']],
  ['post', `/api/rating-runs/${id}/approve`, ['admin', 'approver']],
  ['post', `/api/rating-runs/${id}/reject`, ['admin', 'approver']],
  ['post', `/api/rating-runs/${id}/cancel`, ['admin', 'author']],
  ['post', '/api/templates/no-such-template/policy', ['admin', 'author']],
  ['get', `/api/policies/${id}/test-cases/${id}`, READ],
  ['get', `/api/policies/${id}/export`, READ],
  ['post', '/api/policies/import', ['admin', 'author']],
  ['post', '/api/entitlements/check', ALL],
  ['get', '/api/entitlements/checks', ['admin', 'compliance']],
  ['get', '/api/datasets', READ],
  ['get', `/api/datasets/${id}`, READ],
  ['post', '/api/datasets', SIMULATE],
  ['post', '/api/datasets/synthetic', SIMULATE],
  ['delete', `/api/datasets/${id}`, ['admin', 'author', 'compliance']],
  ['get', '/api/simulations', READ],
  ['get', `/api/simulations/${id}`, READ],
  ['get', `/api/simulations/${id}/results.csv`, READ],
  ['get', `/api/simulations/${id}/results`, READ],
  ['get', `/api/simulations/${id}/report`, READ],
  ['post', '/api/simulations', SIMULATE],
  ['post', `/api/simulations/${id}/cancel`, SIMULATE],
  ['get', `/api/rating-runs/${id}/pre-notice`, READ],
  ['get', '/api/rating-cycles', READ],
  ['get', '/api/rating-cycles/schedules', READ],
  ['put', '/api/rating-cycles/schedules/cib-card', ['admin']],
  ['post', '/api/rating-cycles/open', ['admin']],
  ['get', '/api/reports/tiers', READ],
  ['post', '/api/customers/C1/overrides', ['admin', 'author']],
  ['get', '/api/customers/C1/overrides', READ],
  ['get', '/api/overrides', READ],
  ['get', `/api/overrides/${id}`, READ],
  ['post', `/api/overrides/${id}/approve`, ['admin', 'approver']],
  ['post', `/api/overrides/${id}/reject`, ['admin', 'approver']],
  ['delete', `/api/overrides/${id}`, ['admin', 'author', 'approver']],
  ['post', '/api/webhooks', ['admin']],
  ['get', '/api/webhooks', ['admin']],
  ['get', `/api/webhooks/${id}`, ['admin']],
  ['patch', `/api/webhooks/${id}`, ['admin']],
  ['delete', `/api/webhooks/${id}`, ['admin']],
  ['get', `/api/webhooks/${id}/deliveries`, ['admin']],
  ['post', `/api/webhooks/${id}/deliveries/${id}/retry`, ['admin']],
  ['post', `/api/webhooks/${id}/test`, ['admin']],
];

/** Routes anyone may call without a token (everything else must be in TABLE). */
const PUBLIC = ['POST /api/auth/login', 'GET /api/health', 'GET /api/health/live', 'GET /api/health/ready', 'GET /api/openapi.json', 'GET /api/metrics'];

/**
 * The router's routes that no TABLE row exercises: each row is matched to the most specific route of
 * its method whose pattern its path fits (`{id}` = one path segment).
 */
function uncovered(routes: string[]): string[] {
  const parsed = routes.map((r) => {
    const [method, pattern] = r.split(' ');
    const params = (pattern.match(/\{\w+\}/g) ?? []).length;
    return { route: r, method, params, re: new RegExp(`^${pattern.replace(/\{\w+\}/g, '[^/]+')}$`) };
  });
  const covered = new Set<string>();
  for (const [method, path] of TABLE) {
    const bare = path.split('?')[0];
    const match = parsed.filter((p) => p.method === method.toUpperCase() && p.re.test(bare)).sort((a, b) => a.params - b.params)[0];
    if (match) covered.add(match.route);
  }
  return routes.filter((r) => !covered.has(r) && !PUBLIC.includes(r));
}

describe('roles are enforced by the API', () => {
  let t: TestApp;
  const tokens = new Map<Role, { Authorization: string }>();
  beforeAll(async () => {
    t = await createTestApp();
    for (const role of ROLES) tokens.set(role, (await t.login([role])).auth);
  });
  afterAll(() => t.close());

  it('covers every guarded route of the router (a new route must get its row)', () => {
    const routes = apiRoutes(t.app);
    expect(routes.length).toBeGreaterThan(70);
    expect(uncovered(routes)).toEqual([]);
  });

  it.each(TABLE)('%s %s', async (method, path, allowed) => {
    const anonymous = await t.http[method](path).send({});
    expect(anonymous.status).toBe(401);
    for (const role of ROLES) {
      const res = await t.http[method](path)
        .set(tokens.get(role) as { Authorization: string })
        .send({});
      if (allowed.includes(role)) expect({ role, status: String(res.status) }).toEqual({ role, status: expect.not.stringMatching(/^(401|403)$/) });
      else expect({ role, status: res.status, code: res.body.code }).toEqual({ role, status: 403, code: 'ROLE_REQUIRED' });
    }
  });
});
