import { MenuItem, TextField } from '@mui/material';
import type { FactDefinition } from '@tierwise/policy-engine';
import { useLocaleState, useTranslate } from 'react-admin';
import { getOperator, operatorsForFactType } from '../model/operators';

interface Props {
  fact: FactDefinition | undefined;
  value: string;
  onChange(operator: string): void;
  disabled?: boolean;
}

/** Only the operators that fit the fact's type, labelled in the current language with their symbol. */
export const OperatorSelect = ({ fact, value, onChange, disabled }: Props) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const options = fact ? operatorsForFactType(fact.type) : [];
  if (value && !options.some((o) => o.name === value)) {
    const current = getOperator(value);
    if (current) options.unshift(current);
  }
  const unknown = !!value && !options.some((o) => o.name === value);
  return (
    <TextField
      select
      size="small"
      label={translate('tw.builder.operator')}
      value={unknown ? '' : value}
      disabled={disabled}
      sx={{ width: 190, flex: '0 0 auto' }}
      onChange={(event) => onChange(event.target.value)}
      error={unknown}
      helperText={unknown ? value : undefined}
      slotProps={{ htmlInput: { 'data-testid': 'operator-select' } }}
    >
      {options.map((o) => (
        <MenuItem key={o.name} value={o.name}>
          {`${o.symbol}  ${locale === 'en' ? o.label : o.labelZh}`}
        </MenuItem>
      ))}
    </TextField>
  );
};
