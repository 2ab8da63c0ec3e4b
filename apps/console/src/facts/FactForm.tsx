import { FormDataConsumer, required, SelectInput, SimpleForm, TextArrayInput, TextInput } from 'react-admin';
import { factTypeChoices, sensitivityChoices } from './factTypes';

const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const validKey = (value: unknown) => (typeof value === 'string' && !KEY_PATTERN.test(value) ? 'tw.validation.key' : undefined);

export const FactForm = ({ isEdit = false }: { isEdit?: boolean }) => (
  <SimpleForm>
    <TextInput source="key" validate={[required(), validKey]} disabled={isEdit} />
    <TextInput source="label" validate={required()} />
    <TextInput source="labelEn" />
    <SelectInput source="type" choices={factTypeChoices} validate={required()} />
    <FormDataConsumer<{ type?: string }>>
      {({ formData }) => (formData.type === 'enum' ? <TextArrayInput source="enumValues" validate={required()} /> : null)}
    </FormDataConsumer>
    <SelectInput source="sensitivity" choices={sensitivityChoices} defaultValue="internal" validate={required()} helperText="tw.sensitivity.help" />
    <TextInput source="unit" />
    <TextInput source="description" multiline fullWidth />
  </SimpleForm>
);
