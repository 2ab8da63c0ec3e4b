import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Divider, Typography } from '@mui/material';
import type { FactDefinition } from '@tierwise/policy-engine';
import { useLocaleState, useTranslate } from 'react-admin';
import type { SimulationSample } from '../dataProvider/types';
import { explanationLines } from '../common/explanation';
import { useFormatters } from '../i18n/format';
import type { TierAxis } from './tiers';
import { factLabel, showValue } from '../common/labels';

interface Props {
  from: TierAxis;
  to: TierAxis;
  samples: SimulationSample[];
  /** Customers in the cell (the samples are the first of them). */
  total: number;
  facts: Map<string, FactDefinition>;
  onClose(): void;
}

/** Sample customers of one migration cell, each with its facts and why the candidate placed it there. */
export const SamplesDialog = ({ from, to, samples, total, facts, onClose }: Props) => {
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" data-testid="samples-dialog">
      <DialogTitle>
        {from.name} → {to.name}
        <Typography variant="body2" color="text.secondary" data-testid="samples-count">
          {translate('tw.simulation.samplesOf', { shown: format.number(samples.length, 0), total: format.number(total, 0) })}
        </Typography>
      </DialogTitle>
      <DialogContent dividers>
        {samples.length === 0 && <Alert severity="info">{translate('tw.simulation.noSamples')}</Alert>}
        {samples.map((s, i) => (
          <Box key={s.customerId ?? i} sx={{ mb: 2 }} data-testid="sample">
            <Typography variant="subtitle1">{s.customerId ?? `#${i + 1}`}</Typography>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
              {Object.entries(s.facts ?? {})
                .filter(([k]) => k !== 'customerId')
                .map(([k, v]) => `${factLabel(facts.get(k), k, locale)}: ${showValue(v, format, translate)}`)
                .join(' · ')}
            </Typography>
            {explanationLines(s.explanation, locale).map((l, j) => (
              <Typography key={j} variant="body2" data-testid="explanation-line">
                {l}
              </Typography>
            ))}
            {s.baselineExplanation && (
              <Box sx={{ mt: 1, color: 'text.secondary' }}>
                <Typography variant="caption">{translate('tw.simulation.baselineWhy')}</Typography>
                {explanationLines(s.baselineExplanation, locale).map((l, j) => (
                  <Typography key={j} variant="body2">
                    {l}
                  </Typography>
                ))}
              </Box>
            )}
            {i < samples.length - 1 && <Divider sx={{ mt: 2 }} />}
          </Box>
        ))}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.close')}</Button>
      </DialogActions>
    </Dialog>
  );
};
