import { CreateButton, DataTable, DateField, List, TextField, TopToolbar, useRecordContext, useTranslate } from 'react-admin';
import type { RatingRun } from '../dataProvider/rating';
import { RunStatusChip } from './RunStatusChip';

const Status = () => {
  const record = useRecordContext<RatingRun>();
  return record ? <RunStatusChip status={record.status} /> : null;
};

const Version = () => {
  const record = useRecordContext<RatingRun>();
  return record ? <span>v{record.version?.number}</span> : null;
};

const Effective = () => {
  const record = useRecordContext<RatingRun>();
  const translate = useTranslate();
  if (!record) return null;
  return record.effectiveAt ? <DateField source="effectiveAt" showTime /> : <span>{translate('tw.rating.meta.atApproval')}</span>;
};

export const RatingRunList = () => (
  <List
    sort={{ field: 'createdAt', order: 'DESC' }}
    actions={
      <TopToolbar>
        <CreateButton />
      </TopToolbar>
    }
  >
    <DataTable rowClick="show" bulkActionButtons={false} data-testid="rating-run-list">
      <DataTable.Col source="createdAt">
        <DateField source="createdAt" showTime />
      </DataTable.Col>
      <DataTable.Col source="policy" disableSort>
        <TextField source="policy" />
      </DataTable.Col>
      <DataTable.Col source="version" disableSort>
        <Version />
      </DataTable.Col>
      <DataTable.Col source="status">
        <Status />
      </DataTable.Col>
      <DataTable.Col source="effectiveAt">
        <Effective />
      </DataTable.Col>
      <DataTable.Col source="startedBy" disableSort>
        <TextField source="startedBy" />
      </DataTable.Col>
    </DataTable>
  </List>
);
