import { NumberInput, required, SimpleForm, TextInput } from 'react-admin';

export const BenefitForm = ({ isEdit = false }: { isEdit?: boolean }) => (
  <SimpleForm>
    <TextInput source="key" validate={required()} disabled={isEdit} />
    <TextInput source="name" validate={required()} />
    <TextInput source="nameEn" />
    <NumberInput source="unitCost" min={0} />
    <TextInput source="description" multiline fullWidth />
  </SimpleForm>
);
