import { Chip } from '@mui/material';
import { CreateButton, DataTable, DateField, List, ReferenceField, TextField, TopToolbar, useRecordContext, useTranslate } from 'react-admin';
import type { Simulation } from '../dataProvider/types';

const StatusField = () => {
  const record = useRecordContext<Simulation>();
  const translate = useTranslate();
  if (!record) return null;
  const color = record.status === 'failed' ? 'error' : record.status === 'succeeded' ? 'success' : record.status === 'cancelled' ? 'default' : 'info';
  return <Chip size="small" color={color} label={translate(`tw.simulation.status.${record.status}`)} />;
};

const Versions = () => {
  const record = useRecordContext<Simulation>();
  return record ? (
    <span>
      v{record.candidate?.number} ← v{record.baseline?.number}
    </span>
  ) : null;
};

export const SimulationList = () => (
  <List
    sort={{ field: 'createdAt', order: 'DESC' }}
    actions={
      <TopToolbar>
        <CreateButton />
      </TopToolbar>
    }
  >
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="createdAt">
        <DateField source="createdAt" showTime />
      </DataTable.Col>
      <DataTable.Col source="policyId" disableSort>
        <ReferenceField source="policyId" reference="policies" link={false} />
      </DataTable.Col>
      <DataTable.Col source="candidateVersionId" disableSort>
        <Versions />
      </DataTable.Col>
      <DataTable.Col source="status">
        <StatusField />
      </DataTable.Col>
      <DataTable.Col source="createdBy">
        <TextField source="createdBy" emptyText="—" />
      </DataTable.Col>
    </DataTable>
  </List>
);
