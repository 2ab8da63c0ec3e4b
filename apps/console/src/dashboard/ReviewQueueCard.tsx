import { Alert, Card, CardContent, CardHeader, List, ListItemButton, ListItemText } from '@mui/material';
import { Link, useGetIdentity, useGetList, useTranslate } from 'react-admin';
import type { PolicyVersion } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';

/** Versions in review that I may approve (not my own: the API refuses those). */
export const ReviewQueueCard = () => {
  const translate = useTranslate();
  const format = useFormatters();
  const { identity } = useGetIdentity();
  const { data = [] } = useGetList<PolicyVersion>('policy-versions', {
    filter: { status: 'in_review' }, sort: { field: 'updatedAt', order: 'DESC' }, pagination: { page: 1, perPage: 20 },
  });
  const mine = data.filter((v) => v.createdBy !== identity?.id && v.updatedBy !== identity?.id);
  return (
    <Card variant="outlined" data-testid="dashboard-review">
      <CardHeader title={translate('tw.dashboard.review')} slotProps={{ title: { variant: 'h6' } }} />
      <CardContent sx={{ pt: 0 }}>
        {mine.length === 0 && <Alert severity="success">{translate('tw.dashboard.nothingToReview')}</Alert>}
        <List dense>
          {mine.map((v) => (
            <ListItemButton key={v.id} component={Link} to={`/policy-versions/${v.id}`} data-testid="review-item">
              <ListItemText primary={`v${v.number} · ${v.changeNote ?? ''}`}
                secondary={[v.submittedBy ?? v.createdBy, v.updatedAt && format.dateTime(v.updatedAt)].filter(Boolean).join(' · ')} />
            </ListItemButton>
          ))}
        </List>
      </CardContent>
    </Card>
  );
};
