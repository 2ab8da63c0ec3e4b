import AddIcon from '@mui/icons-material/Add';
import { Button, Stack, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { Show, SimpleShowLayout, TextField, usePermissions, useRecordContext, useRedirect, useTranslate } from 'react-admin';
import { canRolesAccess } from '../auth/permissions';
import { useTierwiseData } from '../dataProvider';
import type { Policy } from '../dataProvider/types';
import { ActiveVersionsField } from './PolicyList';
import { ExportPolicyButton } from './PolicyFileButtons';
import { VersionTimeline } from './VersionTimeline';

const NewBlankDraft = () => {
  const record = useRecordContext<Policy>();
  const translate = useTranslate();
  const redirect = useRedirect();
  const api = useTierwiseData();
  const { permissions } = usePermissions<string[]>();
  const create = useMutation({
    mutationFn: () =>
      api.createVersion(record!.id, {
        definition: { schemaVersion: 1, tiers: [{ key: 'DEFAULT', name: translate('tw.policies.defaultTier') }] },
      }),
    onSuccess: (version) => redirect('edit', 'policy-versions', version.id),
  });
  if (!record || !canRolesAccess(permissions ?? [], 'policy-versions', 'create')) return null;
  return (
    <Button startIcon={<AddIcon />} onClick={() => create.mutate()} disabled={create.isPending}>
      {translate('tw.policies.newDraft')}
    </Button>
  );
};

const Versions = () => {
  const record = useRecordContext<Policy>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Stack spacing={1}>
      <Stack direction="row" sx={{ alignItems: 'center' }}>
        <Typography variant="h6" sx={{ flex: 1 }}>
          {translate('tw.policies.versions')}
        </Typography>
        <ExportPolicyButton />
        <NewBlankDraft />
      </Stack>
      <VersionTimeline policyId={record.id} />
    </Stack>
  );
};

export const PolicyShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="key" />
      <TextField source="name" />
      <TextField source="description" emptyText="—" />
      <ActiveVersionsField />
      <Versions />
    </SimpleShowLayout>
  </Show>
);
