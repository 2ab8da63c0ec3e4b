import type { VersionStatus } from '../../dataProvider/types';
import type { WorkflowAction } from '../../dataProvider/policies';
import { canRolesAccess } from '../../auth/permissions';

export type VersionAction = WorkflowAction | 'new-draft';

/** Which workflow steps a version in this status offers (contract §3), before roles are applied. */
const BY_STATUS: Record<VersionStatus, VersionAction[]> = {
  draft: ['submit'],
  in_review: ['approve', 'reject'],
  approved: ['publish', 'reject'],
  scheduled: ['retire', 'new-draft'],
  published: ['retire', 'new-draft'],
  superseded: ['new-draft'],
  retired: ['new-draft'],
};

export const actionsFor = (status: VersionStatus, roles: readonly string[]): VersionAction[] =>
  (BY_STATUS[status] ?? []).filter((action) => canRolesAccess(roles, 'policy-versions', action));

/** A comment is required to reject; optional elsewhere. Publishing asks for the effective date-time. */
export const needsComment = (action: VersionAction) => action === 'reject';

/** `YYYY-MM-DDTHH:mm` in local time, for <input type="datetime-local">. */
export const toLocalInput = (date: Date): string => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

/** Tomorrow at 00:00 local time: the usual start of a new rating rule. */
export const tomorrowMidnight = (now = new Date()): Date => new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 0, 0, 0);
