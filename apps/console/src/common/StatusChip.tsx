import { Chip, type ChipProps } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { PolicyVersion } from '../dataProvider/types';

type DisplayStatus = PolicyVersion['status'] | 'scheduled';

const COLORS: Record<DisplayStatus, ChipProps['color']> = {
  draft: 'default',
  in_review: 'info',
  approved: 'secondary',
  scheduled: 'warning',
  published: 'success',
  superseded: 'default',
  retired: 'default',
  discarded: 'default',
};

/** Published with a future effective date shows as "scheduled". */
export const displayStatus = (version: Pick<PolicyVersion, 'status' | 'effectiveFrom'>, now = Date.now()): DisplayStatus =>
  version.status === 'published' && version.effectiveFrom && Date.parse(version.effectiveFrom) > now ? 'scheduled' : version.status;

export const StatusChip = ({ version, size = 'small' }: { version: Pick<PolicyVersion, 'status' | 'effectiveFrom'>; size?: ChipProps['size'] }) => {
  const translate = useTranslate();
  const status = displayStatus(version);
  return (
    <Chip
      size={size}
      color={COLORS[status]}
      label={translate(`tw.status.${status}`)}
      data-testid="version-status"
      data-status={status}
      variant={status === 'superseded' || status === 'retired' || status === 'discarded' ? 'outlined' : 'filled'}
    />
  );
};

/**
 * A chip for one set of statuses: its colour from `colors`, its label `<labels>.<status>` in the
 * user's language, and `data-status` (with `data-testid` when given) for tests.
 */
export function statusChip<S extends string>(colors: Record<S, ChipProps['color']>, labels: string, testId?: string) {
  const Status = ({ status }: { status: S }) => {
    const translate = useTranslate();
    return <Chip size="small" color={colors[status]} label={translate(`${labels}.${status}`)} data-testid={testId} data-status={status} />;
  };
  return Status;
}
