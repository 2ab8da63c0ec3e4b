import { Card, CardContent, CardHeader, List, ListItemButton, ListItemText } from '@mui/material';
import { Link, RecordContextProvider, useGetList, useTranslate } from 'react-admin';
import type { Policy } from '../dataProvider/types';
import { ActiveVersionsField } from '../policies/PolicyList';

/** Each policy with the version in effect now and any scheduled to take over. */
export const PoliciesCard = () => {
  const translate = useTranslate();
  const { data = [] } = useGetList<Policy>('policies', { sort: { field: 'key', order: 'ASC' }, pagination: { page: 1, perPage: 50 } });
  return (
    <Card variant="outlined" data-testid="dashboard-policies">
      <CardHeader title={translate('tw.dashboard.policies')} slotProps={{ title: { variant: 'h6' } }} />
      <CardContent sx={{ pt: 0 }}>
        <List dense>
          {data.map((policy) => (
            <ListItemButton key={policy.id} component={Link} to={`/policies/${policy.id}/show`}>
              <ListItemText
                primary={policy.name}
                secondary={
                  <RecordContextProvider value={policy}>
                    <ActiveVersionsField />
                  </RecordContextProvider>
                }
                slotProps={{ secondary: { component: 'div' } }}
              />
            </ListItemButton>
          ))}
        </List>
      </CardContent>
    </Card>
  );
};
