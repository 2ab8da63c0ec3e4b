/** Health, sign-in and user accounts (contract §7). */
import { z } from 'zod';
import { idParams, instant, list, listQuery } from '../common';
import { component } from '../components';
import { defineOperation } from '../registry';

export const ROLES = ['admin', 'author', 'approver', 'compliance', 'viewer', 'service'] as const;
export const Role = component('Role', z.enum(ROLES));

export const Health = component(
  'Health',
  z.object({
    status: z.enum(['ok', 'degraded']),
    database: z.enum(['up', 'down']),
    reason: z.string().optional(),
    decisionLog: z.enum(['on', 'off']),
    version: z.string(),
  }),
);

export const health = defineOperation({
  id: 'getHealth',
  method: 'get',
  path: '/api/health',
  summary: 'Is the API up, and its database',
  tags: ['health'],
  public: true,
  responses: { 200: { schema: Health, description: 'Up' }, 503: { schema: Health, description: 'The database is down' } },
  errors: [],
});

export const liveness = defineOperation({
  id: 'getLiveness',
  method: 'get',
  path: '/api/health/live',
  summary: 'Liveness probe: the process answers (the database is not asked)',
  tags: ['health'],
  public: true,
  responses: { 200: { schema: component('Liveness', z.object({ status: z.literal('ok') })), description: 'Alive' } },
  errors: [],
});

export const Readiness = component(
  'Readiness',
  z.object({
    status: z.enum(['ready', 'not ready']),
    shuttingDown: z.boolean(),
    database: z.string().describe('up, or down: <reason>'),
    migrations: z.enum(['applied', 'pending', 'unknown']),
    redis: z.string().optional().describe('with REDIS_URL: up, or down: <reason>'),
  }),
);

export const readiness = defineOperation({
  id: 'getReadiness',
  method: 'get',
  path: '/api/health/ready',
  summary: 'Readiness probe: database reachable, migrations applied, not shutting down (Redis reachable with REDIS_URL)',
  tags: ['health'],
  public: true,
  responses: { 200: { schema: Readiness, description: 'Ready for traffic' }, 503: { schema: Readiness, description: 'Not ready: the failed check says why' } },
  errors: [],
});

export const openApiDocument = defineOperation({
  id: 'getOpenApiDocument',
  method: 'get',
  path: '/api/openapi.json',
  summary: 'This OpenAPI 3.1 document',
  tags: ['docs'],
  public: true,
  responses: { 200: { schema: component('OpenApiDocument', z.record(z.string(), z.unknown())), description: 'The document' } },
  errors: [],
});

export const loginBody = component(
  'LoginBody',
  z.strictObject({
    username: z.string().min(1, 'is required').max(64, 'is too long'),
    password: z.string().min(1, 'is required').max(200, 'is too long'),
  }),
);

export const User = component(
  'User',
  z.object({
    id: z.string(),
    username: z.string(),
    roles: z.array(Role),
    active: z.boolean(),
    /** An administrator created the account or set its password: it may only change its own password until it does. */
    passwordChangeRequired: z.boolean(),
    /** The administrator who created the account (null: made by the operator's configuration). */
    createdBy: z.string().nullable(),
    /** The administrator who last set its password (the account's own changes do not clear it). */
    passwordSetBy: z.string().nullable(),
    createdAt: instant,
    updatedAt: instant,
  }),
);

export const Session = component(
  'Session',
  z.object({
    accessToken: z.string(),
    user: z.object({ id: z.string(), username: z.string(), roles: z.array(Role) }),
    passwordChangeRequired: z.boolean().optional(),
  }),
);

export const login = defineOperation({
  id: 'login',
  method: 'post',
  path: '/api/auth/login',
  summary: 'Sign in: a bearer token for the other calls',
  tags: ['auth'],
  public: true,
  body: loginBody,
  responses: { 200: Session },
  errors: [400, 401, 415, 422, 429],
});

export const me = defineOperation({
  id: 'getMe',
  method: 'get',
  path: '/api/auth/me',
  summary: 'The signed-in user',
  tags: ['auth'],
  responses: { 200: User },
  errors: [],
});

export const changePasswordBody = component(
  'ChangePasswordBody',
  z.strictObject({
    currentPassword: z.string().min(1, 'is required').max(200, 'is too long'),
    // strength, the username and sameness are checked by the service (422 with a code per reason)
    newPassword: z.string().min(1, 'is required').max(200, 'is too long'),
  }),
);

export const changePassword = defineOperation({
  id: 'changePassword',
  method: 'post',
  path: '/api/auth/password',
  summary:
    'Choose one’s own password (the only call, with getMe, an account an administrator set up may make before it): earlier tokens end, a new one is returned',
  tags: ['auth'],
  body: changePasswordBody,
  responses: { 200: Session },
  errors: [400, 415, 422, 429],
});

const username = z.string().regex(/^[A-Za-z0-9_.@-]{3,64}$/, 'must be 3–64 letters, digits or _ . @ -');
// length, strength and the username are checked by the service (422 WEAK_PASSWORD with a code per reason)
const password = z.string().min(1, 'is required').max(200, 'must be at most 200 characters');
const roles = z.array(z.enum(ROLES)).min(1, 'needs at least one role');
export const createUserBody = component('CreateUserBody', z.strictObject({ username, password, roles }));
export const patchUserBody = component(
  'PatchUserBody',
  z.strictObject({ password: password.optional(), roles: roles.optional(), active: z.boolean().optional() }),
);

const ADMIN = ['admin'] as const;

export const listUsers = defineOperation({
  id: 'listUsers',
  method: 'get',
  path: '/api/users',
  summary: 'User accounts',
  tags: ['users'],
  roles: ADMIN,
  query: listQuery,
  responses: { 200: list(User) },
  errors: [400],
});

export const getUser = defineOperation({
  id: 'getUser',
  method: 'get',
  path: '/api/users/{id}',
  summary: 'One user account',
  tags: ['users'],
  roles: ADMIN,
  params: idParams,
  responses: { 200: User },
  errors: [404],
});

export const createUser = defineOperation({
  id: 'createUser',
  method: 'post',
  path: '/api/users',
  summary: 'Create a user account',
  tags: ['users'],
  roles: ADMIN,
  body: createUserBody,
  responses: { 201: User },
  errors: [400, 409, 422],
});

export const updateUser = defineOperation({
  id: 'updateUser',
  method: 'patch',
  path: '/api/users/{id}',
  summary: 'Change roles, activation or password of an account',
  tags: ['users'],
  roles: ADMIN,
  params: idParams,
  body: patchUserBody,
  responses: { 200: User },
  errors: [400, 404, 409, 422],
});
