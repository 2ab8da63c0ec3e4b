import { canRolesAccess } from './permissions';

describe('canRolesAccess', () => {
  it('lets an admin do everything', () => {
    expect(canRolesAccess(['admin'], 'audit-events', 'verify')).toBe(true);
    expect(canRolesAccess(['admin'], 'facts', 'delete')).toBe(true);
  });
  it('lets an author edit catalogs and drafts but not approve or export the audit log', () => {
    expect(canRolesAccess(['author'], 'facts', 'create')).toBe(true);
    expect(canRolesAccess(['author'], 'policy-versions', 'submit')).toBe(true);
    expect(canRolesAccess(['author'], 'policy-versions', 'approve')).toBe(false);
    expect(canRolesAccess(['author'], 'audit-events', 'list')).toBe(true);
    expect(canRolesAccess(['author'], 'audit-events', 'export')).toBe(false);
  });
  it('lets an approver review but not author', () => {
    expect(canRolesAccess(['approver'], 'policy-versions', 'publish')).toBe(true);
    expect(canRolesAccess(['approver'], 'policy-versions', 'edit')).toBe(false);
  });
  it('gives compliance read access and the chain check', () => {
    expect(canRolesAccess(['compliance'], 'audit-events', 'list')).toBe(true);
    expect(canRolesAccess(['compliance'], 'audit-events', 'verify')).toBe(true);
    expect(canRolesAccess(['compliance'], 'audit-events', 'export')).toBe(true);
    expect(canRolesAccess(['compliance'], 'facts', 'edit')).toBe(false);
  });
  it('gives a service account nothing in the console', () => {
    expect(canRolesAccess(['service'], 'facts', 'list')).toBe(false);
  });
});
