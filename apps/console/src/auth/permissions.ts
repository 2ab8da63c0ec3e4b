/**
 * What each role may do, mirroring the API's @Roles on each route (contract §7). The console uses
 * it to hide menus and buttons a user cannot use; the API enforces the same rules.
 */
export type Role = 'admin' | 'author' | 'approver' | 'compliance' | 'viewer' | 'service';

const READERS: Role[] = ['admin', 'author', 'approver', 'compliance', 'viewer'];
const AUTHORS: Role[] = ['admin', 'author'];
const READ_ACTIONS = new Set(['list', 'show', 'read']);

/** resource → action → roles; `*` is any resource not listed, and read actions default to READERS. */
const RULES: Record<string, Record<string, Role[]>> = {
  facts: { create: AUTHORS, edit: AUTHORS, delete: AUTHORS },
  benefits: { create: AUTHORS, edit: AUTHORS, delete: AUTHORS },
  'benefit-packages': { create: AUTHORS, edit: AUTHORS, delete: AUTHORS },
  policies: { create: AUTHORS, edit: AUTHORS },
  'policy-versions': {
    create: AUTHORS,
    edit: AUTHORS,
    submit: AUTHORS,
    withdraw: AUTHORS,
    discard: AUTHORS,
    'new-draft': AUTHORS,
    approve: ['approver'],
    reject: ['approver'],
    publish: ['approver'],
    retire: ['approver', 'admin'],
    'approve-retirement': ['approver'],
    'reject-retirement': ['approver', 'admin'],
    evaluate: ['admin', 'author', 'approver', 'compliance'],
  },
  'test-cases': { create: AUTHORS, edit: AUTHORS, delete: AUTHORS, run: ['admin', 'author', 'approver', 'compliance'] },
  datasets: { create: ['admin', 'author', 'approver'] },
  simulations: { create: ['admin', 'author', 'approver'] },
  'rating-runs': { create: AUTHORS, cancel: AUTHORS, approve: ['admin', 'approver'], reject: ['admin', 'approver'] },
  overrides: { create: AUTHORS, approve: ['admin', 'approver'], reject: ['admin', 'approver'], end: ['admin', 'author', 'approver'] },
  webhooks: { list: ['admin'], show: ['admin'], create: ['admin'], edit: ['admin'], delete: ['admin'] },
  'audit-events': { export: ['admin', 'compliance'], verify: READERS },
  users: { list: ['admin'], show: ['admin'], create: ['admin'], edit: ['admin'] },
  decisions: { list: ['admin', 'compliance', 'approver', 'author'], show: ['admin', 'compliance', 'approver', 'author'] },
};

export function canRolesAccess(roles: readonly string[], resource: string, action: string): boolean {
  const allowed = RULES[resource]?.[action] ?? (READ_ACTIONS.has(action) || action === 'export' ? READERS : []);
  return roles.some((role) => (allowed as string[]).includes(role));
}

export const hasRole = (roles: readonly string[] | undefined, ...wanted: Role[]): boolean => !!roles && roles.some((r) => (wanted as string[]).includes(r));
