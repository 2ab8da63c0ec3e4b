/** The audit key of test apps and test servers (with DATABASE_URL the server needs one; see src/audit/audit-key.ts). */
export const TEST_AUDIT_KEY = 'test-audit-key-0123456789abcdef-0123456789abcdef';
