import { Box, Stack, Typography } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { AuditEvent } from '../dataProvider/types';

const Json = ({ value }: { value: unknown }) => (
  <Box component="pre" sx={{ m: 0, p: 1, bgcolor: 'action.hover', borderRadius: 1, fontSize: 12, overflowX: 'auto', maxHeight: 360 }}>
    {JSON.stringify(value, null, 2)}
  </Box>
);

/** One event's diff (or before / after when there is no diff) and its place in the hash chain. */
export const AuditExpand = () => {
  const record = useRecordContext<AuditEvent>();
  const translate = useTranslate();
  if (!record) return null;
  const hasDiff = record.diff !== null && record.diff !== undefined && !(Array.isArray(record.diff) && record.diff.length === 0);
  return (
    <Stack spacing={1} data-testid="audit-detail">
      {record.comment && (
        <Typography variant="body2">
          {translate('tw.workflow.comment')}: {record.comment}
        </Typography>
      )}
      <Typography variant="subtitle2">{translate('resources.audit-events.fields.diff')}</Typography>
      {hasDiff ? (
        <Json value={record.diff} />
      ) : (
        <Stack direction="row" spacing={2}>
          <Box sx={{ flex: 1 }}>
            <Typography variant="caption">{translate('tw.diff.before')}</Typography>
            <Json value={record.before} />
          </Box>
          <Box sx={{ flex: 1 }}>
            <Typography variant="caption">{translate('tw.diff.after')}</Typography>
            <Json value={record.after} />
          </Box>
        </Stack>
      )}
      <Typography variant="caption" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
        prev {record.prevHash} · hash {record.hash}
      </Typography>
    </Stack>
  );
};
