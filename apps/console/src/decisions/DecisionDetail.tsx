import { Box, Stack, Typography } from '@mui/material';
import type { TraceEntry } from '@tierwise/policy-engine';
import { useQuery } from '@tanstack/react-query';
import { useGetOne, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import type { PolicyVersion } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';
import { TraceView } from '../policy-versions/builder/TraceView';
import { useTierwiseData } from '../dataProvider';
import type { Decision } from '../dataProvider/types';
import { useFactCatalog } from '../common/useFactCatalog';

/** One decision: the inputs it saw, the version that decided, and why (the trace in words). */
export const DecisionDetail = () => {
  const record = useRecordContext<Decision>();
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  const api = useTierwiseData();
  const full = useQuery({ queryKey: ['decision', record?.id], queryFn: () => api.getDecision(String(record?.id)), enabled: !!record && !record.trace });
  const decision = record?.trace ? record : full.data;
  const versionId = decision?.policy?.versionId ?? decision?.versionId;
  const version = useGetOne<PolicyVersion>('policy-versions', { id: versionId ?? '' }, { enabled: !!versionId });
  const { byKey: factMap } = useFactCatalog();
  const tierNames = new Map((version.data?.definition.tiers ?? []).map((t) => [t.key, (locale === 'en' && t.nameEn) || t.name]));
  if (!decision) return null;
  const inputs = decision.facts ?? decision.inputs ?? {};
  return (
    <Stack spacing={1} data-testid="decision-detail">
      <Typography variant="subtitle2">{translate('tw.decisions.inputs')}</Typography>
      <Typography variant="body2">
        {Object.entries(inputs).map(([k, v]) => `${factMap.get(k)?.label ?? k}: ${typeof v === 'number' ? format.number(v) : JSON.stringify(v)}`).join(' · ')}
      </Typography>
      <Typography variant="subtitle2">{translate('tw.decisions.why')}</Typography>
      <Box>{decision.trace && <TraceView trace={decision.trace as TraceEntry[]} facts={factMap} tierNames={tierNames} />}</Box>
    </Stack>
  );
};
