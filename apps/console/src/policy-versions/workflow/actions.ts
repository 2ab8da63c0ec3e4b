import type { PolicyVersion, VersionStatus } from '../../dataProvider/types';
import type { WorkflowAction } from '../../dataProvider/policies';
import { canRolesAccess } from '../../auth/permissions';

export type VersionAction = WorkflowAction | 'new-draft';

/** Which workflow steps a version in this status offers (contract §3), before roles are applied. */
const BY_STATUS: Record<VersionStatus, VersionAction[]> = {
  draft: ['submit', 'discard'],
  in_review: ['approve', 'reject', 'withdraw'],
  approved: ['publish', 'reject'],
  scheduled: ['retire', 'new-draft'],
  published: ['retire', 'new-draft'],
  superseded: ['new-draft'],
  retired: ['new-draft'],
  discarded: ['new-draft'],
};

/** A retirement someone asked for replaces "retire" with the second approver's steps (never offered to whoever asked). */
export const actionsFor = (
  status: VersionStatus,
  roles: readonly string[],
  version?: Pick<PolicyVersion, 'retireRequest'>,
  username?: string,
): VersionAction[] => {
  const asked = version?.retireRequest;
  const second: VersionAction[] = asked && asked.requestedBy !== username ? ['approve-retirement', 'reject-retirement'] : ['reject-retirement'];
  return (BY_STATUS[status] ?? [])
    .flatMap((action): VersionAction[] => (action === 'retire' && asked ? second : [action]))
    .filter((action) => canRolesAccess(roles, 'policy-versions', action));
};

/** Steps that may warn that nothing would be in effect afterwards. */
export const isRetirement = (action: VersionAction) => action === 'retire' || action === 'approve-retirement';

/**
 * The effective instant to send: none ("now", decided by the server) when the chosen minute has
 * started already — an effective date may never lie in the past — else the chosen instant.
 */
export const effectiveInstant = (local: string, now = Date.now()): string | undefined => {
  const at = new Date(local).getTime();
  return at <= now && now - at < 60_000 ? undefined : new Date(at).toISOString();
};

/** A comment is required to reject; optional elsewhere. Publishing asks for the effective date-time. */
export const needsComment = (action: VersionAction) => action === 'reject';

/** What the dialog's text field is for: a new draft's change note, a reason, or a comment for the reviewer / the record. */
export const commentLabel = (action: VersionAction): string =>
  action === 'new-draft'
    ? 'tw.builder.changeNote'
    : action === 'discard' || action === 'withdraw' || action === 'reject'
      ? 'tw.workflow.reason'
      : action === 'approve'
        ? 'tw.workflow.approvalComment'
        : 'tw.workflow.comment';

/** `YYYY-MM-DDTHH:mm` in local time, for <input type="datetime-local">. */
export const toLocalInput = (date: Date): string => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

/** Tomorrow at 00:00 local time: the usual start of a new rating rule. */
export const tomorrowMidnight = (now = new Date()): Date => new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 0, 0, 0);
