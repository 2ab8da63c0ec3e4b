import { SearchInput, ChipField, DataTable, List, ReferenceArrayField, SingleFieldList } from 'react-admin';

export const BenefitPackageList = () => (
  <List sort={{ field: 'key', order: 'ASC' }} filters={[<SearchInput key="q" source="q" alwaysOn />]} perPage={25}>
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.Col source="key" />
      <DataTable.Col source="name" />
      <DataTable.Col source="benefits" disableSort>
        <ReferenceArrayField source="benefits" reference="benefits">
          <SingleFieldList linkType={false}>
            <ChipField source="name" size="small" />
          </SingleFieldList>
        </ReferenceArrayField>
      </DataTable.Col>
    </DataTable>
  </List>
);
