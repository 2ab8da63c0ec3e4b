import { Card, CardContent, CardHeader, Chip, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useTranslate } from 'react-admin';
import { useTierwiseData } from '../dataProvider';

/** The API's GET /api/health: service status, database status and version. */
export const HealthCard = () => {
  const translate = useTranslate();
  const dataProvider = useTierwiseData();
  const { data, isPending, isError } = useQuery({
    queryKey: ['tierwise', 'health'],
    queryFn: () => dataProvider.health(),
    refetchInterval: 30_000,
  });
  const ok = data?.status === 'ok' && data.database === 'up';
  return (
    <Card variant="outlined">
      <CardHeader title={translate('tw.dashboard.health.title')} slotProps={{ title: { variant: 'h6' } }} />
      <CardContent data-testid="health-status" data-ok={ok ? 'true' : 'false'}>
        {isPending ? (
          <Typography color="text.secondary">{translate('ra.page.loading')}</Typography>
        ) : isError || !data ? (
          <Typography color="error">{translate('tw.dashboard.health.unreachable')}</Typography>
        ) : (
          <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
            <Chip
              color={data.status === 'ok' ? 'success' : 'error'}
              label={`${translate('tw.dashboard.health.status')}: ${translate(data.status === 'ok' ? 'tw.dashboard.health.running' : 'tw.dashboard.health.degraded')}`}
            />
            <Chip
              color={data.database === 'up' ? 'success' : 'error'}
              label={`${translate('tw.dashboard.health.database')}: ${translate(data.database === 'up' ? 'tw.dashboard.health.connected' : 'tw.dashboard.health.disconnected')}`}
            />
            {data.version && (
              <Typography variant="body2" color="text.secondary">
                {translate('tw.dashboard.health.version')} {data.version}
              </Typography>
            )}
          </Stack>
        )}
      </CardContent>
    </Card>
  );
};
