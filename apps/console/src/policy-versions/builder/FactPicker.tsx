import { Autocomplete, TextField, Typography } from '@mui/material';
import type { FactDefinition } from '@tierwise/policy-engine';
import { useLocaleState, useTranslate } from 'react-admin';
import { factLabel } from '../../common/labels';
import { useBuilder } from './BuilderContext';

interface Props {
  value: string;
  onChange(key: string): void;
  /** Only facts whose type passes (e.g. numbers for weighted score components). */
  filter?(fact: FactDefinition): boolean;
  label?: string;
  error?: boolean;
}

/** Chooses a fact from the catalog (and the definition's scores) by its label; shows the key too. */
export const FactPicker = ({ value, onChange, filter, label, error }: Props) => {
  const { facts, readOnly } = useBuilder();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const options = [...facts.values()].filter((f) => !filter || f.key === value || filter(f)).map((f) => f.key);
  if (value && !facts.has(value)) options.unshift(value);
  return (
    <Autocomplete<string, false, true, false>
      size="small"
      sx={{ minWidth: 240, maxWidth: 440, flex: '1 1 300px' }}
      options={options}
      value={value}
      disabled={readOnly}
      disableClearable
      onChange={(_event, key) => key && onChange(key)}
      getOptionLabel={(key) => factLabel(facts.get(key), key, locale)}
      renderOption={({ key: optionKey, ...props }, key) => (
        <li key={optionKey} {...props}>
          <span>
            {factLabel(facts.get(key), key, locale)}
            <Typography component="span" variant="caption" color="text.secondary" sx={{ ml: 1, fontFamily: 'monospace' }}>
              {key}
            </Typography>
          </span>
        </li>
      )}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label ?? translate('tw.builder.fact')}
          error={error || (!!value && !facts.has(value))}
          slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'fact-picker' } }}
        />
      )}
    />
  );
};
