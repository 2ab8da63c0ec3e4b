import DownloadIcon from '@mui/icons-material/Download';
import { Alert, Button, Card, CardContent, CardHeader, LinearProgress, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { Link, Title, useGetOne, useLocaleState, useTranslate } from 'react-admin';
import { useTierwiseData } from '../dataProvider';
import type { PolicyVersion } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';
import { simulationCsv } from './csv';
import { GroupTable } from './GroupTable';
import { MigrationHeatmap } from './MigrationHeatmap';
import { SamplesDialog } from './SamplesDialog';
import { SimulationSummary } from './SimulationSummary';
import { TierDistributionChart } from './TierDistributionChart';
import { tierAxis, type TierAxis } from './tiers';
import { useFactCatalog } from '../common/useFactCatalog';

const downloadText = (text: string, filename: string) => {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};

/** /simulations/:id/show — progress while it runs, then the report. */
const SimulationShow = () => {
  const { id = '' } = useParams<{ id: string }>();
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  const api = useTierwiseData();
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
  const exportCsv = () =>
    result &&
    downloadText(
      simulationCsv(result, axis, {
        tier: translate('tw.simulation.tier'),
        baseline: translate('tw.simulation.baseline'),
        candidate: translate('tw.simulation.candidate'),
        group: translate('tw.simulation.group'),
      }),
      `simulation-${id}.csv`,
    );

  return (
    <Stack spacing={2} sx={{ mt: 2 }} data-testid="simulation" data-status={status}>
      <Title title={translate('tw.simulation.title')} />
      {sim.error && <Alert severity="error">{sim.error.message}</Alert>}
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
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            {candidate.data && (
              <Button component={Link} to={`/policy-versions/${candidate.data.id}`}>
                {translate('tw.simulation.candidate')}: v{candidate.data.number}
              </Button>
            )}
            <Button startIcon={<DownloadIcon />} onClick={exportCsv} sx={{ ml: 'auto' }} data-testid="simulation-csv">
              {translate('tw.simulation.exportCsv')}
            </Button>
          </Stack>
          <SimulationSummary result={result} />
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
          facts={factMap}
          tierNames={tierNames}
          onClose={() => setSelected(null)}
        />
      )}
    </Stack>
  );
};

export default SimulationShow;
