/**
 * What each role may do in the console (contract §7). The API enforces the same rules; the
 * console uses them to hide menus and buttons a user cannot use.
 */
export type Role = 'admin' | 'author' | 'approver' | 'compliance' | 'viewer' | 'service';

const READ = new Set(['list', 'show', 'export', 'read']);
const AUTHORED = new Set([
  'facts', 'benefits', 'benefit-packages', 'policies', 'policy-versions', 'test-cases', 'datasets', 'simulations',
]);
const REVIEW_ACTIONS = new Set(['approve', 'reject', 'publish', 'retire']);
const AUTHOR_ACTIONS = new Set(['create', 'edit', 'delete', 'submit', 'new-draft', 'run']);

function roleCan(role: string, resource: string, action: string): boolean {
  if (role === 'admin') return true;
  if (role === 'service') return false;
  if (resource === 'audit-events') {
    if (action === 'export') return role === 'compliance';
    return READ.has(action) || action === 'verify';
  }
  if (READ.has(action)) return true;
  switch (role) {
    case 'author':
      return AUTHORED.has(resource) && AUTHOR_ACTIONS.has(action);
    case 'approver':
      if (resource === 'policy-versions') return REVIEW_ACTIONS.has(action);
      return (resource === 'simulations' || resource === 'datasets') && AUTHOR_ACTIONS.has(action);
    default:
      return false;
  }
}

export function canRolesAccess(roles: readonly string[], resource: string, action: string): boolean {
  return roles.some((role) => roleCan(role, resource, action));
}

export const hasRole = (roles: readonly string[] | undefined, ...wanted: Role[]): boolean =>
  !!roles && roles.some((r) => (wanted as string[]).includes(r));
