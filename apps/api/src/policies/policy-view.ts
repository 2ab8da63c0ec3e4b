import type { PolicyDefinition } from '@tierwise/policy-engine';
import { displayStatus, PolicyRow, PolicyVersionRow } from './policy.entities';

/** A version as the API shows it (contract §3). */
export function versionView(v: PolicyVersionRow, now = new Date()) {
  return {
    id: v.id,
    policyId: v.policyId,
    number: v.number,
    status: displayStatus(v, now),
    revision: v.revision,
    definition: v.definition as PolicyDefinition,
    changeNote: v.changeNote,
    basedOn: v.basedOn,
    createdBy: v.createdBy,
    editors: v.editors,
    submittedBy: v.submittedBy,
    submittedAt: v.submittedAt,
    approvedBy: v.approvedBy,
    approvedAt: v.approvedAt,
    publishedBy: v.publishedBy,
    publishedAt: v.publishedAt,
    effectiveFrom: v.effectiveFrom,
    supersededAt: v.supersededAt,
    retiredBy: v.retiredBy,
    retiredAt: v.retiredAt,
    retireRequest: v.retireRequestedBy ? { requestedBy: v.retireRequestedBy, requestedAt: v.retireRequestedAt, comment: v.retireRequestComment } : null,
    frozen: v.frozen,
    rollout: v.rollout ?? null,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  };
}
export type VersionView = ReturnType<typeof versionView>;

/** The workflow fields of a version, for audit events of workflow steps (the definition is in the edit events). */
export function versionStamp(v: PolicyVersionRow) {
  const { definition: _d, frozen: _f, ...rest } = versionView(v);
  return { ...rest, status: v.status };
}

export function policyView(p: PolicyRow, versions: PolicyVersionRow[], now = new Date()) {
  const active = versions.find((v) => displayStatus(v, now) === 'published');
  const scheduled = versions
    .filter((v) => displayStatus(v, now) === 'scheduled')
    .sort((a, b) => (a.effectiveFrom?.getTime() ?? 0) - (b.effectiveFrom?.getTime() ?? 0));
  return {
    id: p.id,
    key: p.key,
    name: p.name,
    description: p.description,
    createdBy: p.createdBy,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    activeVersionId: active?.id ?? null,
    activeVersionNumber: active?.number ?? null,
    scheduledVersions: scheduled.map((v) => ({ id: v.id, number: v.number, effectiveFrom: v.effectiveFrom })),
    latestVersionNumber: versions.reduce((n, v) => Math.max(n, v.number), 0),
    pendingReview: versions.filter((v) => v.status === 'in_review').map((v) => v.id),
    pendingRetirement: versions.filter((v) => v.status === 'published' && v.retireRequestedBy).map((v) => v.id),
  };
}
