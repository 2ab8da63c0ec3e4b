import type { ChipProps } from '@mui/material';
import { statusChip } from '../common/StatusChip';
import type { OverrideStatus } from './api';

const COLORS: Record<OverrideStatus, ChipProps['color']> = {
  pending: 'info',
  active: 'warning',
  rejected: 'default',
  withdrawn: 'default',
  ended: 'default',
  expired: 'default',
};

export const OverrideStatusChip = statusChip(COLORS, 'tw.events.overrides.statuses', 'override-status');
