import { Card, CardContent, CardHeader, List, ListItemButton, ListItemText } from '@mui/material';
import { Link, useGetList, useTranslate } from 'react-admin';
import type { Policy, Simulation } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';

export const RecentSimulationsCard = () => {
  const translate = useTranslate();
  const format = useFormatters();
  const { data = [] } = useGetList<Simulation>('simulations', { sort: { field: 'createdAt', order: 'DESC' }, pagination: { page: 1, perPage: 5 } });
  const policies = useGetList<Policy>('policies', { sort: { field: 'key', order: 'ASC' }, pagination: { page: 1, perPage: 50 } });
  const name = (id?: string) => policies.data?.find((p) => p.id === id)?.name ?? '';
  return (
    <Card variant="outlined" data-testid="dashboard-simulations">
      <CardHeader title={translate('tw.dashboard.simulations')} slotProps={{ title: { variant: 'h6' } }} />
      <CardContent sx={{ pt: 0 }}>
        <List dense>
          {data.map((s) => (
            <ListItemButton key={s.id} component={Link} to={`/simulations/${s.id}/show`}>
              <ListItemText
                primary={`${name(s.policyId)} v${s.candidate?.number ?? ''} vs v${s.baseline?.number ?? ''} · ${translate(`tw.simulation.status.${s.status}`)}${
                  s.result ? ` · ↑${format.number(s.result.upgrades, 0)} ↓${format.number(s.result.downgrades, 0)}` : ''
                }`}
                secondary={s.createdAt ? format.dateTime(s.createdAt) : undefined}
              />
            </ListItemButton>
          ))}
        </List>
      </CardContent>
    </Card>
  );
};
