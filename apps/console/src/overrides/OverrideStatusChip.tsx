import { Chip, type ChipProps } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { OverrideStatus } from './api';

const COLORS: Record<OverrideStatus, ChipProps['color']> = {
  pending: 'info',
  active: 'warning',
  rejected: 'default',
  withdrawn: 'default',
  ended: 'default',
  expired: 'default',
};

export const OverrideStatusChip = ({ status }: { status: OverrideStatus }) => {
  const translate = useTranslate();
  return (
    <Chip size="small" color={COLORS[status]} label={translate(`tw.events.overrides.statuses.${status}`)} data-testid="override-status" data-status={status} />
  );
};
