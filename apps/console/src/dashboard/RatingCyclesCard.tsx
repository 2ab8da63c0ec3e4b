import { Alert, Card, CardContent, CardHeader, Chip, List, ListItem, ListItemText, Stack } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Link, useTranslate } from 'react-admin';
import { useTierwiseData } from '../dataProvider';
import { useFormatters } from '../i18n/format';

/** Rating cycles (issue 11): overdue ones first, then the newest; each with what it waits for and a link to its run. */
export const RatingCyclesCard = () => {
  const translate = useTranslate();
  const format = useFormatters();
  const api = useTierwiseData();
  const cycles = useQuery({ queryKey: ['rating-cycles'], queryFn: () => api.getRatingCycles() });
  const all = cycles.data ?? [];
  const overdue = all.filter((c) => c.overdue);
  const shown = [...overdue, ...all.filter((c) => !c.overdue)].slice(0, 8);
  return (
    <Card variant="outlined" data-testid="dashboard-cycles">
      <CardHeader title={translate('tw.rating.cycles.title')} slotProps={{ title: { variant: 'h6' } }} />
      <CardContent sx={{ pt: 0 }}>
        {cycles.error && <Alert severity="error">{cycles.error.message}</Alert>}
        {overdue.length > 0 && (
          <Alert severity="error" sx={{ mb: 1 }} data-testid="cycles-overdue">
            {translate('tw.rating.cycles.overdueCount', { count: overdue.length })}
          </Alert>
        )}
        {cycles.isSuccess && !shown.length && <Alert severity="info">{translate('tw.rating.cycles.none')}</Alert>}
        <List dense>
          {shown.map((c) => (
            <ListItem key={c.id} data-testid="cycle" data-period={c.period} data-overdue={c.overdue} data-status={c.status} disableGutters>
              <ListItemText
                primary={
                  <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
                    <span>
                      {c.policy} · {c.period}
                    </span>
                    <Chip
                      size="small"
                      color={c.status === 'rated' ? 'success' : c.overdue ? 'error' : 'default'}
                      label={translate(`tw.rating.cycles.status.${c.status}`)}
                    />
                    {c.overdue && <Chip size="small" color="error" variant="outlined" label={translate('tw.rating.cycles.overdue')} />}
                    {c.late && <Chip size="small" color="warning" variant="outlined" label={translate('tw.rating.cycles.late')} />}
                    {c.run && <Link to={`/rating-runs/${c.run.id}/show`}>{translate('tw.rating.open')}</Link>}
                  </Stack>
                }
                secondary={`${translate('tw.rating.cycles.deadline')}: ${format.dateTime(c.deadline)}${c.snapshot ? ` · ${c.snapshot.name} (${c.snapshot.asOf})` : ''}`}
              />
            </ListItem>
          ))}
        </List>
      </CardContent>
    </Card>
  );
};
