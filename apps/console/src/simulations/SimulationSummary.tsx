import { Stack } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { SimulationResult } from '../dataProvider/types';
import { Figure } from '../common/Figure';
import { useFormatters } from '../i18n/format';

/** Customers, upgrades, downgrades, unchanged and the benefit cost change. */
export const SimulationSummary = ({ result }: { result: SimulationResult }) => {
  const translate = useTranslate();
  const format = useFormatters();
  const total = result.total ?? result.upgrades + result.downgrades + result.unchanged;
  const change = result.cost?.change;
  return (
    <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap' }}>
      <Figure label={translate('tw.simulation.customers')} value={format.number(total, 0)} testId="sim-total" />
      <Figure label={translate('tw.simulation.upgrades')} value={format.number(result.upgrades, 0)} testId="sim-upgrades" color="success.main" />
      <Figure label={translate('tw.simulation.downgrades')} value={format.number(result.downgrades, 0)} testId="sim-downgrades" color="error.main" />
      <Figure label={translate('tw.simulation.unchanged')} value={format.number(result.unchanged, 0)} testId="sim-unchanged" />
      {result.cost && change !== undefined && (
        <Figure
          label={translate('tw.simulation.costChange')}
          testId="sim-cost"
          value={`${change > 0 ? '+' : ''}${format.money(change)}`}
          color={change > 0 ? 'error.main' : 'success.main'}
        />
      )}
    </Stack>
  );
};
