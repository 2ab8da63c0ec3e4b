import { Box } from '@mui/material';
import { Title, usePermissions, useTranslate } from 'react-admin';
import { AuditChainCard } from './AuditChainCard';
import { HealthCard } from './HealthCard';
import { PoliciesCard } from './PoliciesCard';
import { RecentSimulationsCard } from './RecentSimulationsCard';
import { ReviewQueueCard } from './ReviewQueueCard';
import { RatingCyclesCard } from './RatingCyclesCard';
import { hasRole } from '../auth/permissions';

export const Dashboard = () => {
  const translate = useTranslate();
  const { permissions } = usePermissions<string[]>();
  const reader = !!permissions?.length && !hasRole(permissions, 'service');
  return (
    <Box sx={{ mt: 2, display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
      <Title title={translate('tw.dashboard.title')} />
      <HealthCard />
      {reader && <AuditChainCard />}
      {reader && <PoliciesCard />}
      {hasRole(permissions, 'approver', 'admin') && <ReviewQueueCard />}
      {reader && <RecentSimulationsCard />}
      {reader && <RatingCyclesCard />}
    </Box>
  );
};
