import { Alert, Autocomplete, Button, Card, CardContent, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { HttpError, Title, useGetList, useGetOne, useLocaleState, useRedirect, useTranslate } from 'react-admin';
import { useTierwiseData } from '../dataProvider';
import { isApiErrorBody } from '../dataProvider/httpClient';
import type { Dataset, Policy, PolicyVersion } from '../dataProvider/types';
import { DatasetPicker } from './DatasetPicker';
import { useFactCatalog } from '../common/useFactCatalog';
import { factLabel } from '../common/labels';

const MANY = { pagination: { page: 1, perPage: 1000 } };

/** Start a simulation: candidate and baseline versions, a dataset, and the facts to break results down by. */
const SimulationCreate = () => {
  const translate = useTranslate();
  const redirect = useRedirect();
  const api = useTierwiseData();
  const [params] = useSearchParams();
  const [locale] = useLocaleState();
  const [candidateId, setCandidateId] = useState(params.get('candidate') ?? '');
  const [baselineId, setBaselineId] = useState('');
  const [dataset, setDataset] = useState<Dataset>();
  const [groupBy, setGroupBy] = useState<string[]>([]);
  const candidate = useGetOne<PolicyVersion>('policy-versions', { id: candidateId }, { enabled: !!candidateId });
  const [policyId, setPolicyId] = useState('');
  const currentPolicy = candidate.data?.policyId ?? policyId;
  const policies = useGetList<Policy>('policies', { ...MANY, sort: { field: 'key', order: 'ASC' } });
  const versions = useGetList<PolicyVersion>(
    'policy-versions',
    { ...MANY, sort: { field: 'number', order: 'DESC' }, filter: { policyId: currentPolicy } },
    { enabled: !!currentPolicy },
  );
  const { facts } = useFactCatalog();
  const start = useMutation({
    mutationFn: () =>
      api.startSimulation({
        candidateVersionId: candidateId,
        baselineVersionId: baselineId || undefined,
        datasetId: dataset!.id,
        groupBy: groupBy.length ? groupBy : undefined,
      }),
    onSuccess: (simulation) => redirect('show', 'simulations', simulation.id),
  });
  const versionLabel = (v: PolicyVersion) => `v${v.number} · ${translate(`tw.status.${v.status}`)}`;
  return (
    <Card variant="outlined" sx={{ mt: 2, maxWidth: 760 }}>
      <Title title={translate('tw.simulation.new')} />
      <CardContent>
        <Stack spacing={2}>
          <Typography variant="h6">{translate('tw.simulation.new')}</Typography>
          <TextField
            select
            label={translate('tw.simulation.policy')}
            value={currentPolicy}
            disabled={!!candidate.data}
            onChange={(e) => {
              setPolicyId(e.target.value);
              setCandidateId('');
              setBaselineId('');
            }}
          >
            {(policies.data ?? []).map((p) => (
              <MenuItem key={p.id} value={p.id}>
                {p.name}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            label={translate('tw.simulation.candidate')}
            value={candidateId}
            onChange={(e) => setCandidateId(e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': 'candidate-select' } }}
          >
            {(versions.data ?? []).map((v) => (
              <MenuItem key={v.id} value={v.id}>
                {versionLabel(v)}
              </MenuItem>
            ))}
          </TextField>
          <TextField select label={translate('tw.simulation.baseline')} value={baselineId} onChange={(e) => setBaselineId(e.target.value)}>
            <MenuItem value="">{translate('tw.simulation.activeBaseline')}</MenuItem>
            {(versions.data ?? [])
              .filter((v) => v.id !== candidateId)
              .map((v) => (
                <MenuItem key={v.id} value={v.id}>
                  {versionLabel(v)}
                </MenuItem>
              ))}
          </TextField>
          <DatasetPicker value={dataset?.id ?? ''} onChange={setDataset} versionId={candidate.data?.id} />
          <Autocomplete
            multiple
            options={(dataset?.columns ?? []).filter((c) => c !== 'customerId')}
            value={groupBy}
            onChange={(_e, next) => setGroupBy(next)}
            getOptionLabel={(key) =>
              factLabel(
                facts?.find((f) => f.key === key),
                key,
                locale,
              )
            }
            renderInput={(p) => <TextField {...p} label={translate('tw.simulation.groupBy')} />}
          />
          {start.error && (
            <Alert severity="error" data-testid="simulation-error">
              {start.error.message}
              {start.error instanceof HttpError &&
                isApiErrorBody(start.error.body) &&
                start.error.body.details?.map((d) => <div key={`${d.path}:${d.message}`}>{d.message}</div>)}
            </Alert>
          )}
          <Button
            variant="contained"
            disabled={!candidateId || !dataset || start.isPending}
            onClick={() => start.mutate()}
            data-testid="start-simulation"
            sx={{ alignSelf: 'flex-start' }}
          >
            {translate('tw.simulation.start')}
          </Button>
        </Stack>
      </CardContent>
    </Card>
  );
};

export default SimulationCreate;
