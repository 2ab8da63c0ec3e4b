import { Box, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import type { AuditEvent } from '../dataProvider/types';
import { useFormatters, type Formatters } from '../i18n/format';

interface DiffEntry {
  path: string;
  type?: 'CREATE' | 'REMOVE' | 'CHANGE';
  before?: unknown;
  after?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The event's changes as rows: the API's diff, or (for a creation or deletion) each field of what was created or removed. */
export function changeRows(event: Pick<AuditEvent, 'diff' | 'before' | 'after'>): DiffEntry[] {
  const diff = Array.isArray(event.diff) ? (event.diff as DiffEntry[]) : [];
  const rows = diff.length ? diff : [{ path: '', before: event.before ?? undefined, after: event.after ?? undefined }];
  return rows.flatMap((row) => {
    if (row.path !== '' || (!isRecord(row.before) && !isRecord(row.after))) return [row];
    const keys = [...new Set([...Object.keys(isRecord(row.before) ? row.before : {}), ...Object.keys(isRecord(row.after) ? row.after : {})])];
    return keys.map((key) => ({
      path: key,
      before: isRecord(row.before) ? row.before[key] : undefined,
      after: isRecord(row.after) ? row.after[key] : undefined,
    }));
  });
}

/** `definition.tiers[1].when.any[0].value` → `PLATINUM 主要客户 › when.any[0].value`, using the tier names of the event's definition. */
function fieldName(path: string, event: Pick<AuditEvent, 'before' | 'after'>, locale: string): string {
  const match = /^definition\.tiers\[(\d+)\](.*)$/.exec(path);
  if (!match) return path.replace(/^definition\./, '');
  const tiers = [event.after, event.before]
    .map((v) => (isRecord(v) && isRecord(v.definition) && Array.isArray(v.definition.tiers) ? v.definition.tiers : undefined))
    .find(Boolean) as { key?: string; name?: string; nameEn?: string }[] | undefined;
  const tier = tiers?.[Number(match[1])];
  const name = tier ? (locale === 'en' && tier.nameEn) || tier.name || tier.key : `#${Number(match[1]) + 1}`;
  return `${name}${match[2] ? ` › ${match[2].replace(/^\./, '')}` : ''}`;
}

function shown(value: unknown, format: Formatters, translate: (k: string) => string): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'number') return format.number(value, 6);
  if (typeof value === 'boolean') return translate(`ra.boolean.${value}`);
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T/.test(value) ? format.dateTime(value) : value;
  const text = JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** One event's changes as a readable before → after table, its comment, and its place in the hash chain. */
export const AuditExpand = () => {
  const record = useRecordContext<AuditEvent>();
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  if (!record) return null;
  const rows = changeRows(record);
  return (
    <Stack spacing={1} data-testid="audit-detail">
      {record.comment && (
        <Typography variant="body2">
          {translate('tw.workflow.comment')}: {record.comment}
        </Typography>
      )}
      {rows.length > 0 && (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="audit-changes">
            <TableHead>
              <TableRow>
                <TableCell>{translate('tw.auditLog.field')}</TableCell>
                <TableCell>{translate('tw.diff.before')}</TableCell>
                <TableCell>{translate('tw.diff.after')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((row, i) => (
                <TableRow key={`${row.path}:${i}`} data-testid="audit-change">
                  <TableCell sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{fieldName(row.path, record, locale) || '—'}</TableCell>
                  <TableCell sx={{ color: 'error.main', wordBreak: 'break-word' }}>{shown(row.before, format, translate)}</TableCell>
                  <TableCell sx={{ color: 'success.main', wordBreak: 'break-word' }}>{shown(row.after, format, translate)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
      <Typography variant="caption" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
        prev {record.prevHash} · hash {record.hash}
      </Typography>
    </Stack>
  );
};
