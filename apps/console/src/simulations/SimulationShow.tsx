import DownloadIcon from '@mui/icons-material/Download';
import { Alert, Button, Card, CardContent, CardHeader, LinearProgress, Stack, Typography } from '@mui/material';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { Title, useGetOne, useLocaleState, useNotify, useTranslate } from 'react-admin';
import { useTierwiseData } from '../dataProvider';
import type { PolicyVersion } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';
import { CostTable } from './CostTable';
import { SimulationMeta } from './SimulationMeta';
import type { FileFormat } from '../dataProvider/download';
import { GroupTable } from './GroupTable';
import { MigrationHeatmap } from './MigrationHeatmap';
import { SamplesDialog } from './SamplesDialog';
import { SimulationSummary } from './SimulationSummary';
import { TierDistributionChart } from './TierDistributionChart';
import { cell, tierAxis, type TierAxis } from './tiers';
import { useFactCatalog } from '../common/useFactCatalog';
import { CutoffTable } from '../common/CutoffTable';

/** /simulations/:id/show — progress while it runs, then the report. */
const SimulationShow = () => {
  const { id = '' } = useParams<{ id: string }>();
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  const api = useTierwiseData();
  const notify = useNotify();
  const [selected, setSelected] = useState<[TierAxis, TierAxis] | null>(null);
  const sim = useQuery({
    queryKey: ['simulation', id],
    queryFn: () => api.getSimulation(id),
    refetchInterval: (q) => (q.state.data && ['queued', 'running'].includes(q.state.data.status) ? 1000 : false),
  });
  const candidate = useGetOne<PolicyVersion>('policy-versions', { id: sim.data?.candidateVersionId ?? '' }, { enabled: !!sim.data?.candidateVersionId });
  const { byKey: factMap } = useFactCatalog();
  const tierNames = useMemo(
    () =>
      new Map([...(candidate.data?.definition.tiers ?? []), ...(sim.data?.result?.tiers ?? [])].map((t) => [t.key, (locale === 'en' && t.nameEn) || t.name])),
    [candidate.data, sim.data, locale],
  );
  const result = sim.data?.result;
  const axis = useMemo(() => (result ? tierAxis(result, tierNames, translate('tw.tryIt.notRated')) : []), [result, tierNames, translate]);
  const status = sim.data?.status;
  const progress = sim.data?.progress;
  const exporting = useMutation({
    mutationFn: ({ what, format: f }: { what: 'report' | 'results'; format: FileFormat }) =>
      what === 'report' ? api.downloadSimulationReport(id, f, locale) : api.downloadSimulationResults(id, f),
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  const exportButton = (what: 'report' | 'results', f: FileFormat) => (
    <Button
      size="small"
      startIcon={<DownloadIcon />}
      disabled={exporting.isPending}
      onClick={() => exporting.mutate({ what, format: f })}
      data-testid={`simulation-${what}-${f}`}
      sx={{ whiteSpace: 'nowrap' }}
    >
      {translate(`tw.simulation.export.${what}`)} · {f === 'xlsx' ? 'Excel' : 'CSV'}
    </Button>
  );

  return (
    <Stack spacing={2} sx={{ mt: 2 }} data-testid="simulation" data-status={status}>
      <Title title={translate('tw.simulation.title')} />
      {sim.error && <Alert severity="error">{sim.error.message}</Alert>}
      {sim.data && <SimulationMeta simulation={sim.data} />}
      {(status === 'queued' || status === 'running') && (
        <Card variant="outlined">
          <CardContent>
            <Typography>
              {translate(`tw.simulation.status.${status}`)}
              {progress ? ` · ${format.number(progress.done, 0)} / ${format.number(progress.total, 0)}` : ''}
            </Typography>
            <LinearProgress
              data-testid="simulation-progress"
              variant={progress?.total ? 'determinate' : 'indeterminate'}
              value={progress?.total ? (100 * progress.done) / progress.total : 0}
              sx={{ mt: 1 }}
            />
          </CardContent>
        </Card>
      )}
      {status === 'failed' && <Alert severity="error">{sim.data?.error ?? translate('tw.simulation.status.failed')}</Alert>}
      {result && (
        <>
          <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', justifyContent: 'flex-end' }}>
            {exportButton('report', 'xlsx')}
            {exportButton('report', 'csv')}
            {exportButton('results', 'xlsx')}
            {exportButton('results', 'csv')}
          </Stack>
          <SimulationSummary result={result} />
          {result.cutoffs?.candidate && (
            <CutoffTable
              cutoffs={result.cutoffs.candidate}
              moves={result.cutoffs.moves}
              factLabel={(k) => factMap.get(k)?.[locale === 'en' ? 'labelEn' : 'label'] ?? k}
            />
          )}
          <Card variant="outlined">
            <CardHeader title={translate('tw.simulation.distribution')} />
            <CardContent>
              <TierDistributionChart result={result} axis={axis} />
            </CardContent>
          </Card>
          <Card variant="outlined">
            <CardHeader title={translate('tw.simulation.matrix')} subheader={translate('tw.simulation.matrixHelp')} />
            <CardContent>
              <MigrationHeatmap result={result} axis={axis} onSelect={(f, t) => setSelected([f, t])} />
            </CardContent>
          </Card>
          {result.cost?.packages && (
            <Card variant="outlined">
              <CardHeader title={translate('tw.simulation.cost')} />
              <CardContent>
                <CostTable result={result} axis={axis} />
              </CardContent>
            </Card>
          )}
          {!!result.groups?.length && (
            <Card variant="outlined">
              <CardHeader title={translate('tw.simulation.groups')} />
              <CardContent>
                <GroupTable groups={result.groups} axis={axis} />
              </CardContent>
            </Card>
          )}
        </>
      )}
      {selected && result && (
        <SamplesDialog
          from={selected[0]}
          to={selected[1]}
          samples={result.samples?.[selected[0].key]?.[selected[1].key] ?? []}
          total={cell(result, selected[0].key, selected[1].key)}
          facts={factMap}
          onClose={() => setSelected(null)}
        />
      )}
    </Stack>
  );
};

export default SimulationShow;
