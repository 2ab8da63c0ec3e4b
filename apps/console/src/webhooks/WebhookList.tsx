import { BooleanField, CreateButton, DataTable, DateField, List, TextField, TopToolbar, useRecordContext } from 'react-admin';
import type { components } from '../dataProvider/api.gen';

type Webhook = components['schemas']['Webhook'];

const Events = () => {
  const r = useRecordContext<Webhook>();
  return r ? <span>{r.events.join(', ')}</span> : null;
};

/** Webhooks for tier events (admin, contract §9). */
export const WebhookList = () => (
  <List
    sort={{ field: 'createdAt', order: 'ASC' }}
    actions={
      <TopToolbar>
        <CreateButton />
      </TopToolbar>
    }
  >
    <DataTable rowClick="show" bulkActionButtons={false} data-testid="webhook-list">
      <DataTable.Col source="url" disableSort>
        <TextField source="url" />
      </DataTable.Col>
      <DataTable.Col source="events" disableSort>
        <Events />
      </DataTable.Col>
      <DataTable.Col source="active" disableSort>
        <BooleanField source="active" />
      </DataTable.Col>
      <DataTable.Col source="createdAt">
        <DateField source="createdAt" showTime />
      </DataTable.Col>
    </DataTable>
  </List>
);
