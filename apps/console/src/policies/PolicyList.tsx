import { Chip, Stack } from '@mui/material';
import { CreateButton, DataTable, List, TopToolbar, useRecordContext, useTranslate } from 'react-admin';
import type { Policy } from '../dataProvider/types';
import { FromTemplateButton } from './FromTemplateButton';
import { ImportPolicyButton } from './PolicyFileButtons';
import { useFormatters } from '../i18n/format';

/** The active version and any scheduled ones, as chips. */
export const ActiveVersionsField = () => {
  const record = useRecordContext<Policy>();
  const translate = useTranslate();
  const format = useFormatters();
  if (!record) return null;
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
      {record.activeVersionNumber ? (
        <Chip size="small" color="success" label={`${translate('tw.status.active')} v${record.activeVersionNumber}`} />
      ) : (
        <Chip size="small" variant="outlined" label={translate('tw.policies.noActive')} />
      )}
      {(record.scheduledVersions ?? []).map((v) => (
        <Chip
          key={v.id}
          size="small"
          color="warning"
          label={`${translate('tw.status.scheduled')} v${v.number}${v.effectiveFrom ? ` · ${format.dateTime(v.effectiveFrom)}` : ''}`}
        />
      ))}
    </Stack>
  );
};

export const PolicyList = () => (
  <List
    sort={{ field: 'key', order: 'ASC' }}
    actions={
      <TopToolbar>
        <CreateButton />
        <FromTemplateButton />
        <ImportPolicyButton />
      </TopToolbar>
    }
  >
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="key" />
      <DataTable.Col source="name" />
      <DataTable.Col source="activeVersionId" disableSort>
        <ActiveVersionsField />
      </DataTable.Col>
    </DataTable>
  </List>
);
