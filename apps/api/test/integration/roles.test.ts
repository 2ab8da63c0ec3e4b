import { randomUUID } from 'node:crypto';
import { ROLES, Role } from '../../src/common/access/roles';
import { createTestApp, TestApp } from '../helpers/test-app';

type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';
const id = randomUUID();
const ALL: Role[] = [...ROLES];
const READ: Role[] = ['admin', 'author', 'approver', 'compliance', 'viewer'];
const WRITE_CATALOG: Role[] = ['admin', 'author'];

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
];

describe('roles are enforced by the API', () => {
  let t: TestApp;
  const tokens = new Map<Role, { Authorization: string }>();
  beforeAll(async () => {
    t = await createTestApp();
    for (const role of ROLES) tokens.set(role, (await t.login([role])).auth);
  });
  afterAll(() => t.close());

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
