import { canRolesAccess } from './permissions';

describe('canRolesAccess (mirrors the API routes)', () => {
  it('lets readers list everything, and a service account nothing', () => {
    for (const role of ['admin', 'author', 'approver', 'compliance', 'viewer']) expect(canRolesAccess([role], 'audit-events', 'list')).toBe(true);
    expect(canRolesAccess(['service'], 'facts', 'list')).toBe(false);
  });
  it('lets authors (and admins) edit catalogs, drafts and test cases', () => {
    expect(canRolesAccess(['author'], 'facts', 'create')).toBe(true);
    expect(canRolesAccess(['admin'], 'policy-versions', 'submit')).toBe(true);
    expect(canRolesAccess(['approver'], 'policy-versions', 'edit')).toBe(false);
    expect(canRolesAccess(['viewer'], 'test-cases', 'delete')).toBe(false);
  });
  it('keeps approving and publishing to approvers, not admins', () => {
    expect(canRolesAccess(['approver'], 'policy-versions', 'approve')).toBe(true);
    expect(canRolesAccess(['admin'], 'policy-versions', 'approve')).toBe(false);
    expect(canRolesAccess(['author'], 'policy-versions', 'publish')).toBe(false);
    expect(canRolesAccess(['admin'], 'policy-versions', 'retire')).toBe(true);
  });
  it('lets a user holding author and approver do both', () => {
    expect(canRolesAccess(['author', 'approver'], 'policy-versions', 'submit')).toBe(true);
    expect(canRolesAccess(['author', 'approver'], 'policy-versions', 'approve')).toBe(true);
  });
  it('keeps the audit export to compliance and admins; every reader may verify the chain', () => {
    expect(canRolesAccess(['compliance'], 'audit-events', 'export')).toBe(true);
    expect(canRolesAccess(['author'], 'audit-events', 'export')).toBe(false);
    expect(canRolesAccess(['viewer'], 'audit-events', 'verify')).toBe(true);
  });
});
