import { Autocomplete, Chip, MenuItem, Stack, TextField } from '@mui/material';
import type { FactDefinition } from '@tierwise/policy-engine';
import { useTranslate } from 'react-admin';
import { FormattedNumberInput } from '../../common/FormattedNumberInput';

interface Props {
  fact: FactDefinition | undefined;
  operator: string;
  value: unknown;
  onChange(value: unknown): void;
  disabled?: boolean;
  error?: boolean;
}

const RANGE = new Set(['between', 'betweenExclusiveMax']);
const LIST = new Set(['in', 'notIn', 'containsAny', 'containsAll']);
const numeric = (fact?: FactDefinition) => fact?.type === 'number' || fact?.type === 'integer';
const asNumber = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** A value input that fits the fact's type and the operator (range, list, enum, date, number…). */
export const ValueInput = ({ fact, operator, value, onChange, disabled, error }: Props) => {
  const translate = useTranslate();
  const label = translate('tw.builder.value');
  const integer = fact?.type === 'integer';
  if (RANGE.has(operator)) {
    const [min, max] = Array.isArray(value) ? value : [null, null];
    const set = (i: 0 | 1, v: number | null) => onChange(i === 0 ? [v, max] : [min, v]);
    return (
      <Stack direction="row" spacing={1} sx={{ flex: '1 1 260px' }}>
        <FormattedNumberInput
          size="small"
          label={translate('tw.builder.min')}
          value={asNumber(min)}
          integer={integer}
          onChange={(v) => set(0, v)}
          disabled={disabled}
          error={error}
        />
        <FormattedNumberInput
          size="small"
          label={translate('tw.builder.max')}
          value={asNumber(max)}
          integer={integer}
          onChange={(v) => set(1, v)}
          disabled={disabled}
          error={error}
        />
      </Stack>
    );
  }
  if (operator === 'withinDays') {
    return (
      <FormattedNumberInput
        size="small"
        label={translate('tw.builder.days')}
        value={asNumber(value)}
        integer
        onChange={onChange}
        disabled={disabled}
        error={error}
      />
    );
  }
  if (LIST.has(operator)) {
    const items = Array.isArray(value) ? value.map(String) : [];
    const toValue = (s: string) => (numeric(fact) && s.trim() !== '' && !Number.isNaN(Number(s)) ? Number(s) : s);
    return (
      <Autocomplete
        multiple
        freeSolo={fact?.type !== 'enum'}
        size="small"
        sx={{ flex: '1 1 260px' }}
        disabled={disabled}
        options={fact?.enumValues ?? []}
        value={items}
        onChange={(_e, next) => onChange(next.map(toValue))}
        renderValue={(selected, getItemProps) =>
          selected.map((option, index) => <Chip size="small" label={option} {...getItemProps({ index })} key={option} />)
        }
        renderInput={(params) => <TextField {...params} label={label} error={error} />}
      />
    );
  }
  if (fact?.type === 'boolean' || fact?.type === 'enum') {
    const options = fact.type === 'boolean' ? ['true', 'false'] : (fact.enumValues ?? []);
    return (
      <TextField
        select
        size="small"
        label={label}
        value={String(value ?? '')}
        disabled={disabled}
        error={error}
        sx={{ minWidth: 160 }}
        onChange={(e) => onChange(fact.type === 'boolean' ? e.target.value === 'true' : e.target.value)}
      >
        {options.map((o) => (
          <MenuItem key={o} value={o}>
            {fact.type === 'boolean' ? translate(`ra.boolean.${o}`) : o}
          </MenuItem>
        ))}
      </TextField>
    );
  }
  if (fact?.type === 'date') {
    return (
      <TextField
        type="date"
        size="small"
        label={label}
        value={typeof value === 'string' ? value : ''}
        disabled={disabled}
        error={error}
        onChange={(e) => onChange(e.target.value)}
        slotProps={{ inputLabel: { shrink: true } }}
      />
    );
  }
  if (numeric(fact)) {
    return (
      <FormattedNumberInput
        size="small"
        label={label}
        value={asNumber(value)}
        integer={integer}
        onChange={onChange}
        disabled={disabled}
        error={error}
        sx={{ width: 190, flex: '0 0 auto' }}
        slotProps={{ htmlInput: { 'data-testid': 'value-input' } }}
      />
    );
  }
  return (
    <TextField
      size="small"
      label={label}
      value={typeof value === 'string' ? value : JSON.stringify(value ?? '')}
      disabled={disabled}
      error={error}
      onChange={(e) => onChange(e.target.value)}
    />
  );
};
