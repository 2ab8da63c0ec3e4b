import { Alert, Button, Card, CardContent, CardHeader, LinearProgress, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useTierwiseData } from '../dataProvider';
import { Link, useGetList, usePermissions, useTranslate } from 'react-admin';
import { canRolesAccess } from '../auth/permissions';
import type { PolicyVersion, Simulation } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';

/** Beside a version: its latest simulation (what a reviewer needs to see) and a way to run one. */
export const LatestSimulationCard = ({ version }: { version: PolicyVersion }) => {
  const translate = useTranslate();
  const format = useFormatters();
  const { permissions } = usePermissions<string[]>();
  const { data, isPending } = useGetList<Simulation>('simulations', {
    filter: { candidateVersionId: version.id },
    sort: { field: 'createdAt', order: 'DESC' },
    pagination: { page: 1, perPage: 1 },
  });
  const api = useTierwiseData();
  const listed = data?.[0];
  const full = useQuery({
    queryKey: ['simulation', listed?.id],
    queryFn: () => api.getSimulation(listed!.id),
    enabled: !!listed,
    refetchInterval: (q) => (q.state.data && ['queued', 'running'].includes(q.state.data.status) ? 2000 : false),
  });
  const latest = full.data ?? listed;
  const result = latest?.result;
  return (
    <Card variant="outlined" data-testid="latest-simulation">
      <CardHeader
        title={translate('tw.simulation.latest')}
        slotProps={{ title: { variant: 'h6' } }}
        action={
          canRolesAccess(permissions ?? [], 'simulations', 'create') && (
            <Button component={Link} to={`/simulations/create?candidate=${version.id}`} data-testid="run-simulation">
              {translate('tw.simulation.run')}
            </Button>
          )
        }
      />
      <CardContent sx={{ pt: 0 }}>
        {isPending && <LinearProgress />}
        {!isPending && !latest && <Alert severity="info">{translate('tw.simulation.none')}</Alert>}
        {latest && (
          <Stack spacing={0.5}>
            <Typography variant="body2">
              {translate(`tw.simulation.status.${latest.status}`)}
              {latest.createdAt ? ` · ${format.dateTime(latest.createdAt)}` : ''}
            </Typography>
            {result && (
              <Typography variant="body2" data-testid="latest-simulation-summary">
                {translate('tw.simulation.upgrades')} {format.number(result.upgrades)} · {translate('tw.simulation.downgrades')}{' '}
                {format.number(result.downgrades)} · {translate('tw.simulation.unchanged')} {format.number(result.unchanged)}
                {result.cost ? ` · ${translate('tw.simulation.costChange')} ${format.money(result.cost.change)}` : ''}
              </Typography>
            )}
            <Button component={Link} to={`/simulations/${latest.id}/show`} size="small" sx={{ alignSelf: 'flex-start' }} data-testid="open-latest-simulation">
              {translate('tw.simulation.open')}
            </Button>
          </Stack>
        )}
      </CardContent>
    </Card>
  );
};
