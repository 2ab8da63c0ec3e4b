import { SearchInput, DataTable, List, SelectField, TextField } from 'react-admin';
import { factTypeChoices } from './factTypes';

export const FactList = () => (
  <List sort={{ field: 'key', order: 'ASC' }} filters={[<SearchInput key="q" source="q" alwaysOn />]} perPage={25}>
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.Col source="key" />
      <DataTable.Col source="label" />
      <DataTable.Col source="type">
        <SelectField source="type" choices={factTypeChoices} />
      </DataTable.Col>
      <DataTable.Col source="unit">
        <TextField source="unit" emptyText="—" />
      </DataTable.Col>
      <DataTable.Col source="description" disableSort />
    </DataTable>
  </List>
);
