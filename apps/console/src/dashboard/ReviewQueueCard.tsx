import { Alert, Card, CardContent, CardHeader, LinearProgress, List, ListItemButton, ListItemText } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Link, useGetIdentity, useTranslate } from 'react-admin';
import { useTierwiseData } from '../dataProvider';
import { useFormatters } from '../i18n/format';

/** Versions in review that I may approve (not ones I wrote or edited: the API refuses those). */
export const ReviewQueueCard = () => {
  const translate = useTranslate();
  const format = useFormatters();
  const api = useTierwiseData();
  const { identity } = useGetIdentity();
  const { data = [], isPending } = useQuery({ queryKey: ['tierwise', 'review-queue'], queryFn: () => api.versionsInReview() });
  const me = String(identity?.id ?? '');
  const mine = data.filter((v) => v.createdBy !== me && !(v.editors ?? []).includes(me));
  return (
    <Card variant="outlined" data-testid="dashboard-review">
      <CardHeader title={translate('tw.dashboard.review')} slotProps={{ title: { variant: 'h6' } }} />
      <CardContent sx={{ pt: 0 }}>
        {isPending && <LinearProgress />}
        {!isPending && mine.length === 0 && <Alert severity="success">{translate('tw.dashboard.nothingToReview')}</Alert>}
        <List dense>
          {mine.map((v) => (
            <ListItemButton key={v.id} component={Link} to={`/review/${v.id}`} data-testid="review-item" data-version={v.id}>
              <ListItemText
                primary={`${v.policyName} v${v.number}${v.changeNote ? ` · ${v.changeNote}` : ''}`}
                secondary={[v.submittedBy ?? v.createdBy, v.updatedAt && format.dateTime(v.updatedAt)].filter(Boolean).join(' · ')}
              />
            </ListItemButton>
          ))}
        </List>
      </CardContent>
    </Card>
  );
};
