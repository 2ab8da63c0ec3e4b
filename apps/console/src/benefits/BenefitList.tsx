import { SearchInput, DataTable, List } from 'react-admin';
import { MoneyField } from '../common/MoneyField';

export const BenefitList = () => (
  <List sort={{ field: 'key', order: 'ASC' }} filters={[<SearchInput key="q" source="q" alwaysOn />]} perPage={25}>
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.Col source="key" />
      <DataTable.Col source="name" />
      <DataTable.Col source="unitCost" align="right">
        <MoneyField source="unitCost" />
      </DataTable.Col>
      <DataTable.Col source="description" disableSort />
    </DataTable>
  </List>
);
