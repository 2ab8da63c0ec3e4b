import { Autocomplete, Box, MenuItem, TextField } from '@mui/material';
import type { FactDefinition } from '@tierwise/policy-engine';
import { useTranslate } from 'react-admin';
import { FormattedNumberInput } from '../../common/FormattedNumberInput';

interface Props {
  fact: FactDefinition;
  label: string;
  value: unknown;
  onChange(value: unknown): void;
}

/** A customer's value for one fact, typed by the fact's catalog type (empty = missing). */
export const FactInput = (props: Props) => (
  <Box data-testid="fact-input" data-fact={props.fact.key}>
    <FactInputField {...props} />
  </Box>
);

const FactInputField = ({ fact, label, value, onChange }: Props) => {
  const translate = useTranslate();
  const common = { size: 'small' as const, label, fullWidth: true };
  switch (fact.type) {
    case 'number':
    case 'integer':
      return (
        <FormattedNumberInput
          {...common}
          value={typeof value === 'number' ? value : null}
          integer={fact.type === 'integer'}
          onChange={(v) => onChange(v ?? undefined)}
          slotProps={{ htmlInput: { 'data-fact': fact.key } }}
        />
      );
    case 'boolean':
    case 'enum': {
      const options = fact.type === 'boolean' ? ['true', 'false'] : (fact.enumValues ?? []);
      return (
        <TextField
          select
          {...common}
          value={value === undefined ? '' : String(value)}
          onChange={(e) => onChange(e.target.value === '' ? undefined : fact.type === 'boolean' ? e.target.value === 'true' : e.target.value)}
          slotProps={{ htmlInput: { 'data-fact': fact.key } }}
        >
          <MenuItem value="">
            <em>{translate('tw.trace.missing')}</em>
          </MenuItem>
          {options.map((o) => (
            <MenuItem key={o} value={o}>
              {fact.type === 'boolean' ? translate(`ra.boolean.${o}`) : o}
            </MenuItem>
          ))}
        </TextField>
      );
    }
    case 'date':
      return (
        <TextField
          {...common}
          type="date"
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value || undefined)}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-fact': fact.key } }}
        />
      );
    case 'string[]':
      return (
        <Autocomplete
          multiple
          freeSolo
          size="small"
          options={fact.enumValues ?? []}
          value={Array.isArray(value) ? value.map(String) : []}
          onChange={(_e, next) => onChange(next.length ? next : undefined)}
          renderInput={(params) => <TextField {...params} label={label} />}
        />
      );
    default:
      return (
        <TextField
          {...common}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value || undefined)}
          slotProps={{ htmlInput: { 'data-fact': fact.key } }}
        />
      );
  }
};
