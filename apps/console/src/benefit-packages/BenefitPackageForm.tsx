import { AutocompleteArrayInput, ReferenceArrayInput, required, SimpleForm, TextInput } from 'react-admin';

export const BenefitPackageForm = ({ isEdit = false }: { isEdit?: boolean }) => (
  <SimpleForm>
    <TextInput source="key" validate={required()} disabled={isEdit} />
    <TextInput source="name" validate={required()} />
    <TextInput source="nameEn" />
    <ReferenceArrayInput source="benefits" reference="benefits" perPage={200} sort={{ field: 'key', order: 'ASC' }}>
      <AutocompleteArrayInput optionText="name" fullWidth />
    </ReferenceArrayInput>
  </SimpleForm>
);
