import { Create, required, SimpleForm, TextInput } from 'react-admin';

export const PolicyCreate = () => (
  <Create redirect="show">
    <SimpleForm>
      <TextInput source="key" validate={required()} />
      <TextInput source="name" validate={required()} />
      <TextInput source="description" multiline fullWidth />
    </SimpleForm>
  </Create>
);
