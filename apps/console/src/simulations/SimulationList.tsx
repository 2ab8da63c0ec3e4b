import { CreateButton, DataTable, DateField, List, ReferenceField, TextField, TopToolbar, useRecordContext } from 'react-admin';
import { statusChip } from '../common/StatusChip';
import type { Simulation } from '../dataProvider/types';

const SimulationStatusChip = statusChip<Simulation['status']>(
  { queued: 'info', running: 'info', succeeded: 'success', failed: 'error', cancelled: 'default' },
  'tw.simulation.status',
);

const StatusField = () => {
  const record = useRecordContext<Simulation>();
  return record ? <SimulationStatusChip status={record.status} /> : null;
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
