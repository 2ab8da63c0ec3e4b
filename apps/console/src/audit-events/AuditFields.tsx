import { Typography } from '@mui/material';
import { useGetManyAggregate, useRecordContext, useTranslate } from 'react-admin';
import type { AuditEvent, Policy, PolicyVersion } from '../dataProvider/types';

/** `version.publish` → 发布; an unknown verb shows as written. */
export const ActionField = () => {
  const record = useRecordContext<AuditEvent>();
  const translate = useTranslate();
  if (!record) return null;
  const verb = record.action.split('.').pop() ?? record.action;
  return (
    <Typography component="span" variant="body2" sx={{ wordBreak: 'keep-all' }} data-testid="audit-action" data-action={record.action}>
      {translate(`tw.auditLog.verbs.${verb}`, { _: record.action })}
    </Typography>
  );
};

/** `policy_version` → 策略版本. */
export const EntityTypeField = () => {
  const record = useRecordContext<AuditEvent>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Typography component="span" variant="body2">
      {translate(`tw.audit.entity.${record.entityType}`, { _: record.entityType })}
    </Typography>
  );
};

const textOf = (value: unknown, key: string): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
};

/** A version as "信用卡分级 v3" (its policy fetched once per page, with every other row's). */
const VersionName = ({ id }: { id: string }) => {
  const version = useGetManyAggregate<PolicyVersion>('policy-versions', { ids: [id] });
  const v = version.data?.[0];
  const policy = useGetManyAggregate<Policy>('policies', { ids: v ? [v.policyId] : [] }, { enabled: !!v });
  if (!v) return <span>{id.slice(0, 8)}</span>;
  return <span>{`${policy.data?.[0]?.name ?? ''} v${v.number}`.trim()}</span>;
};

const PolicyName = ({ id }: { id: string }) => {
  const policy = useGetManyAggregate<Policy>('policies', { ids: [id] });
  return <span>{policy.data?.[0]?.name ?? id.slice(0, 8)}</span>;
};

/** What the event is about, by name: the policy and version, the test case, the catalog key, the user. */
export const EntityNameField = () => {
  const record = useRecordContext<AuditEvent>();
  if (!record) return null;
  const content = (() => {
    switch (record.entityType) {
      case 'policy_version':
        return <VersionName id={record.entityId} />;
      case 'policy':
        return <PolicyName id={record.entityId} />;
      case 'test_case':
      case 'dataset':
        return <span>{textOf(record.after, 'name') ?? textOf(record.before, 'name') ?? record.entityId.slice(0, 8)}</span>;
      case 'user':
        return <span>{textOf(record.after, 'username') ?? textOf(record.before, 'username') ?? record.entityId.slice(0, 8)}</span>;
      default:
        return <span>{record.entityId.length === 36 ? record.entityId.slice(0, 8) : record.entityId}</span>;
    }
  })();
  return (
    <Typography component="span" variant="body2" data-testid="audit-entity" title={record.entityId}>
      {content}
    </Typography>
  );
};
