import type { ChipProps } from '@mui/material';
import { statusChip } from '../common/StatusChip';
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

export const RunStatusChip = statusChip(COLORS, 'tw.rating.status', 'run-status');
