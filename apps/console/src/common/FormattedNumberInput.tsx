import { TextField, type TextFieldProps } from '@mui/material';
import { useState } from 'react';
import { useFormatters } from '../i18n/format';
import { parseLooseNumber } from './numbers';

type Props = Omit<TextFieldProps, 'value' | 'onChange' | 'type'> & {
  value: number | null | undefined;
  onChange(value: number | null): void;
  integer?: boolean;
};

/**
 * A number input with thousands separators for the current locale (1,000,000), re-formatted when
 * it loses focus (typing may use them or not), and a compact reading (100万 / 1M) underneath.
 */
export const FormattedNumberInput = ({ value, onChange, integer = false, helperText, ...rest }: Props) => {
  const format = useFormatters();
  const [editing, setEditing] = useState<string | null>(null);
  const shown = editing ?? (typeof value === 'number' ? format.number(value, integer ? 0 : 6) : '');
  const compact = typeof value === 'number' && Math.abs(value) >= 10_000 ? format.compact(value) : undefined;
  const invalid = editing !== null && editing.trim() !== '' && parseLooseNumber(editing) === null;
  return (
    <TextField
      {...rest}
      value={shown}
      error={rest.error || invalid}
      helperText={helperText ?? compact}
      slotProps={{ ...rest.slotProps, htmlInput: { inputMode: 'decimal', ...(rest.slotProps?.htmlInput ?? {}) } }}
      onFocus={() => setEditing(shown)}
      onBlur={() => setEditing(null)}
      onChange={(event) => {
        setEditing(event.target.value);
        const parsed = parseLooseNumber(event.target.value);
        if (parsed !== null && (!integer || Number.isInteger(parsed))) onChange(parsed);
        else if (event.target.value.trim() === '') onChange(null);
      }}
    />
  );
};
