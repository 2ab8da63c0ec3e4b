import { Checkbox, FormControlLabel, MenuItem, Stack, TextField } from '@mui/material';
import type { LeafCondition } from '@tierwise/policy-engine';
import { useTranslate } from 'react-admin';
import { FactPicker } from './FactPicker';

/**
 * The parameters of a population condition (contract §10): buckets for quantiles, which end ranks first,
 * cumulative shares, and the fact to rank within (e.g. per region). Meaning and checks stay in the engine.
 */
export const PopulationParams = ({
  node,
  onChange,
  disabled,
}: {
  node: LeafCondition;
  onChange(params: Record<string, unknown> | undefined): void;
  disabled?: boolean;
}) => {
  const translate = useTranslate();
  const params = (node.params ?? {}) as { quantiles?: number; best?: string; cumulative?: boolean; groupBy?: string };
  const set = (k: string, v: unknown) => {
    const next: Record<string, unknown> = { ...params, [k]: v };
    if (v === undefined || v === '' || v === false) delete next[k];
    onChange(Object.keys(next).length ? next : undefined);
  };
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }} data-testid="population-params">
      {node.operator === 'quantileAtLeast' && (
        <TextField
          size="small"
          type="number"
          label={translate('tw.population.quantiles')}
          value={params.quantiles ?? ''}
          disabled={disabled}
          onChange={(e) => set('quantiles', e.target.value === '' ? undefined : Number(e.target.value))}
          sx={{ width: 110 }}
        />
      )}
      {node.operator !== 'shareOfTotalAtLeast' && (
        <TextField
          select
          size="small"
          label={translate('tw.population.best')}
          value={params.best ?? 'highest'}
          disabled={disabled}
          onChange={(e) => set('best', e.target.value === 'highest' ? undefined : e.target.value)}
          sx={{ width: 150 }}
        >
          <MenuItem value="highest">{translate('tw.population.highest')}</MenuItem>
          <MenuItem value="lowest">{translate('tw.population.lowest')}</MenuItem>
        </TextField>
      )}
      {node.operator === 'shareOfTotalAtLeast' && (
        <FormControlLabel
          control={<Checkbox size="small" checked={params.cumulative === true} disabled={disabled} onChange={(e) => set('cumulative', e.target.checked)} />}
          label={translate('tw.population.cumulative')}
        />
      )}
      <FactPicker
        label={translate('tw.population.groupBy')}
        value={params.groupBy ?? ''}
        onChange={(key) => set('groupBy', key)}
        filter={(f) => ['enum', 'string', 'boolean', 'integer'].includes(f.type)}
      />
    </Stack>
  );
};
