import { Box, LinearProgress, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useGetOne, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { explanationLines } from '../common/explanation';
import { useFactCatalog } from '../common/useFactCatalog';
import { useTierwiseData } from '../dataProvider';
import type { DecisionSummary, PolicyVersion } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';
import { TraceView } from '../policy-versions/builder/TraceView';
import { factLabel, showValue } from '../common/labels';

/** One decision: the inputs it saw, the version that decided, and why (the engine's explanation, then the trace). */
export const DecisionDetail = () => {
  const record = useRecordContext<DecisionSummary>();
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  const api = useTierwiseData();
  const { byKey: facts } = useFactCatalog();
  const full = useQuery({ queryKey: ['decision', record?.id], queryFn: () => api.getDecision(String(record?.id)), enabled: !!record });
  const decision = full.data;
  const versionId = decision?.versionId;
  const version = useGetOne<PolicyVersion>('policy-versions', { id: versionId ?? '' }, { enabled: !!versionId });
  const tierNames = new Map((version.data?.definition.tiers ?? []).map((t) => [t.key, (locale === 'en' && t.nameEn) || t.name]));
  if (full.isPending) return <LinearProgress />;
  if (!decision) return null;
  const inputs = decision.facts;
  const lines = explanationLines(decision.explanation, locale);
  return (
    <Stack spacing={1} data-testid="decision-detail">
      <Typography variant="subtitle2">{translate('tw.decisions.inputs')}</Typography>
      <Typography variant="body2">
        {Object.entries(inputs)
          .map(([k, v]) => `${factLabel(facts.get(k), k, locale)}: ${showValue(v, format, translate)}`)
          .join(' · ')}
      </Typography>
      <Typography variant="subtitle2">{translate('tw.decisions.why')}</Typography>
      {decision.traceMismatch && (
        <Typography variant="body2" color="warning.main" data-testid="trace-mismatch">
          {translate('tw.decisions.traceMismatch')}
        </Typography>
      )}
      {lines.map((line, i) => (
        <Typography key={i} variant="body2" data-testid="explanation-line">
          {line}
        </Typography>
      ))}
      {decision.trace.length > 0 && lines.length === 0 && (
        <Box>
          <TraceView trace={decision.trace} facts={facts} tierNames={tierNames} />
        </Box>
      )}
    </Stack>
  );
};
