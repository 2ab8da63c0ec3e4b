import { DataTable, DateField, DateTimeInput, List, SelectInput, TextInput } from 'react-admin';
import { AuditActions } from './AuditActions';
import { AuditExpand } from './AuditExpand';
import { ActionField, EntityNameField, EntityTypeField } from './AuditFields';

/** The API's audit entity types. */
const ENTITY_TYPES = ['policy', 'policy_version', 'test_case', 'fact', 'benefit', 'benefit_package', 'dataset', 'simulation', 'user'];

const filters = [
  <SelectInput key="entityType" source="entityType" alwaysOn choices={ENTITY_TYPES.map((t) => ({ id: t, name: `tw.audit.entity.${t}` }))} />,
  <TextInput key="actor" source="actor" alwaysOn />,
  <TextInput key="action" source="action" alwaysOn />,
  <TextInput key="entityId" source="entityId" sx={{ minWidth: 340 }} />,
  <DateTimeInput key="from" source="from" />,
  <DateTimeInput key="to" source="to" />,
];

/** Every change and workflow step, newest first, filterable; rows expand to their diff. */
export const AuditList = () => (
  <List sort={{ field: 'seq', order: 'DESC' }} filters={filters} actions={<AuditActions />} perPage={25}>
    <DataTable expand={<AuditExpand />} bulkActionButtons={false} rowClick="expand">
      <DataTable.Col source="seq" />
      <DataTable.Col source="at">
        <DateField source="at" showTime />
      </DataTable.Col>
      <DataTable.Col source="actor" />
      <DataTable.Col source="action">
        <ActionField />
      </DataTable.Col>
      <DataTable.Col source="entityType">
        <EntityTypeField />
      </DataTable.Col>
      <DataTable.Col source="entityId" disableSort>
        <EntityNameField />
      </DataTable.Col>
      <DataTable.Col source="comment" disableSort />
    </DataTable>
  </List>
);
