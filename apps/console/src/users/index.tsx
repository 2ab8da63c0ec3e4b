import UserIcon from '@mui/icons-material/ManageAccounts';
import { Chip, Stack } from '@mui/material';
import {
  BooleanField,
  BooleanInput,
  CheckboxGroupInput,
  Create,
  DataTable,
  DateField,
  Edit,
  List,
  PasswordInput,
  required,
  SearchInput,
  SimpleForm,
  TextInput,
  useRecordContext,
  useTranslate,
  type ResourceProps,
} from 'react-admin';

export const ROLE_NAMES = ['admin', 'author', 'approver', 'compliance', 'viewer', 'service'] as const;

const RoleChoices = () => {
  const translate = useTranslate();
  return <CheckboxGroupInput source="roles" validate={required()} choices={ROLE_NAMES.map((id) => ({ id, name: translate(`tw.roles.${id}`) }))} />;
};

const RolesField = () => {
  const record = useRecordContext<{ roles?: string[] }>();
  const translate = useTranslate();
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
      {(record?.roles ?? []).map((r) => (
        <Chip key={r} size="small" label={translate(`tw.roles.${r}`)} />
      ))}
    </Stack>
  );
};

const UserList = () => (
  <List sort={{ field: 'username', order: 'ASC' }} filters={[<SearchInput key="q" source="q" alwaysOn />]} perPage={25}>
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.Col source="username" />
      <DataTable.Col source="roles" disableSort>
        <RolesField />
      </DataTable.Col>
      <DataTable.Col source="active" disableSort>
        <BooleanField source="active" />
      </DataTable.Col>
      <DataTable.Col source="passwordChangeRequired" disableSort>
        <BooleanField source="passwordChangeRequired" />
      </DataTable.Col>
      <DataTable.Col source="createdAt">
        <DateField source="createdAt" showTime />
      </DataTable.Col>
    </DataTable>
  </List>
);

const UserCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <TextInput source="username" validate={required()} autoComplete="off" />
      <PasswordInput source="password" validate={required()} autoComplete="new-password" helperText="tw.account.adminSet" />
      <RoleChoices />
    </SimpleForm>
  </Create>
);

/** Roles, deactivation and a new password apply at once, also to tokens the user already holds. */
const UserEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list">
    <SimpleForm>
      <TextInput source="username" disabled />
      <RoleChoices />
      <BooleanInput source="active" />
      <PasswordInput source="password" autoComplete="new-password" helperText="tw.account.adminSet" />
    </SimpleForm>
  </Edit>
);

export const users: Omit<ResourceProps, 'name'> = {
  list: UserList,
  create: UserCreate,
  edit: UserEdit,
  icon: UserIcon,
  recordRepresentation: 'username',
};
