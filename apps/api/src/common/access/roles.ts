export const ROLES = ['admin', 'author', 'approver', 'compliance', 'viewer', 'service'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that may read the governed data (everything except the evaluate-only `service`). */
export const READERS: Role[] = ['admin', 'author', 'approver', 'compliance', 'viewer'];
/** Roles that may call the evaluation endpoints. */
export const EVALUATORS: Role[] = ['admin', 'author', 'approver', 'compliance', 'viewer', 'service'];
