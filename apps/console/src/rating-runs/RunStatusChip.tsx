import { Chip, type ChipProps } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { RatingRunStatus } from '../dataProvider/rating';

const COLORS: Record<RatingRunStatus, ChipProps['color']> = {
  queued: 'info',
  running: 'info',
  proposed: 'warning',
  approved: 'secondary',
  applied: 'success',
  rejected: 'default',
  failed: 'error',
  cancelled: 'default',
};

export const RunStatusChip = ({ status }: { status: RatingRunStatus }) => {
  const translate = useTranslate();
  return <Chip size="small" color={COLORS[status]} label={translate(`tw.rating.status.${status}`)} data-testid="run-status" data-status={status} />;
};
