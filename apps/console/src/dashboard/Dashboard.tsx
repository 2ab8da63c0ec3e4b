import { Stack } from '@mui/material';
import { Title, useTranslate } from 'react-admin';
import { HealthCard } from './HealthCard';

export const Dashboard = () => {
  const translate = useTranslate();
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={translate('tw.dashboard.title')} />
      <HealthCard />
    </Stack>
  );
};
