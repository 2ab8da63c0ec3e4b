import { Typography } from '@mui/material';
import { useRecordContext, type FieldProps } from 'react-admin';
import { useFormatters } from '../i18n/format';

/** A CNY amount in the locale's format (¥1,234.50), or an em dash when absent. */
export const MoneyField = ({ source }: FieldProps & { source: string }) => {
  const record = useRecordContext();
  const format = useFormatters();
  const value: unknown = record?.[source];
  return (
    <Typography component="span" variant="body2">
      {typeof value === 'number' ? format.money(value) : '—'}
    </Typography>
  );
};
