import { Alert, Autocomplete, Button, Card, CardContent, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { HttpError, Title, useGetList, useLocaleState, useRedirect, useTranslate } from 'react-admin';
import { useTierwiseData } from '../dataProvider';
import { detailText, isApiErrorBody } from '../dataProvider/apiErrors';
import type { Dataset, Policy } from '../dataProvider/types';
import { useFactCatalog } from '../common/useFactCatalog';
import { factLabel } from '../common/labels';

/** A dataset as a facts snapshot: the day its facts describe, the policy it was imported for, whom it identifies. */
export type Snapshot = Dataset;

const MANY = { pagination: { page: 1, perPage: 1000 } };

/** Start a rating run: a policy, a snapshot of its customers' facts, optionally an instant and a breakdown (`?policy=key&dataset=id` preselect). */
const RatingRunCreate = () => {
  const translate = useTranslate();
  const redirect = useRedirect();
  const api = useTierwiseData();
  const [params] = useSearchParams();
  const [locale] = useLocaleState();
  const [policyKey, setPolicyKey] = useState(params.get('policy') ?? '');
  const [datasetId, setDatasetId] = useState(params.get('dataset') ?? '');
  const [effectiveAt, setEffectiveAt] = useState('');
  const [comment, setComment] = useState('');
  const [groupBy, setGroupBy] = useState<string[]>([]);
  const policies = useGetList<Policy>('policies', { ...MANY, sort: { field: 'key', order: 'ASC' } });
  const policy = policies.data?.find((p) => p.key === policyKey);
  const datasets = useGetList<Snapshot>('datasets', { ...MANY, sort: { field: 'asOf', order: 'DESC' } });
  // Snapshots that can rate this policy: with customer ids, imported for it or for no policy (the API checks the same).
  const snapshots = (datasets.data ?? []).filter((d) => d.idColumn && (!d.policyId || d.policyId === policy?.id));
  const dataset = snapshots.find((d) => d.id === datasetId);
  const { facts } = useFactCatalog();
  const start = useMutation({
    mutationFn: () =>
      api.startRatingRun({
        policy: policyKey,
        datasetId,
        effectiveAt: effectiveAt ? new Date(effectiveAt).toISOString() : undefined,
        comment: comment.trim() || undefined,
        groupBy: groupBy.length ? groupBy : undefined,
      }),
    onSuccess: (run) => redirect('show', 'rating-runs', run.id),
  });
  const error = start.error;
  return (
    <Card variant="outlined" sx={{ mt: 2, maxWidth: 760 }}>
      <Title title={translate('tw.rating.new')} />
      <CardContent>
        <Stack spacing={2}>
          <Typography variant="h6">{translate('tw.rating.new')}</Typography>
          <TextField
            select
            label={translate('tw.rating.policy')}
            value={policy ? policyKey : ''}
            onChange={(e) => {
              setPolicyKey(e.target.value);
              setDatasetId('');
            }}
            slotProps={{ htmlInput: { 'data-testid': 'run-policy' } }}
          >
            {(policies.data ?? []).map((p) => (
              <MenuItem key={p.id} value={p.key}>
                {p.name} ({p.key})
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            label={translate('tw.rating.snapshot')}
            helperText={policy && !snapshots.length ? translate('tw.rating.noSnapshots') : translate('tw.rating.snapshotHelp')}
            value={dataset ? datasetId : ''}
            disabled={!policy}
            onChange={(e) => setDatasetId(e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': 'run-snapshot' } }}
          >
            {snapshots.map((d) => (
              <MenuItem key={d.id} value={d.id}>
                {d.name} · {d.rowCount}
                {d.asOf ? ` · ${translate('tw.rating.asOf', { day: d.asOf })}` : ''}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            type="datetime-local"
            label={translate('tw.rating.effectiveAt')}
            helperText={translate('tw.rating.effectiveHelp')}
            value={effectiveAt}
            onChange={(e) => setEffectiveAt(e.target.value)}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'run-effective-at' } }}
          />
          <Autocomplete
            multiple
            options={(dataset?.columns ?? []).filter((c) => c !== 'customerId' && c !== dataset?.idColumn)}
            value={groupBy}
            onChange={(_e, next) => setGroupBy(next.slice(0, 3))}
            getOptionLabel={(key) =>
              factLabel(
                facts?.find((f) => f.key === key),
                key,
                locale,
              )
            }
            renderInput={(p) => <TextField {...p} label={translate('tw.rating.groupBy')} />}
          />
          <TextField
            label={translate('tw.rating.comment')}
            value={comment}
            multiline
            minRows={2}
            onChange={(e) => setComment(e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': 'run-comment' } }}
          />
          {error && (
            <Alert severity="error" data-testid="run-error">
              {error.message}
              {error instanceof HttpError &&
                isApiErrorBody(error.body) &&
                error.body.details?.map((d) => (
                  <div key={`${d.path}:${d.message}`}>
                    {d.path}: {detailText(d, translate, locale)}
                  </div>
                ))}
            </Alert>
          )}
          <Button
            variant="contained"
            disabled={!policy || !dataset || start.isPending}
            onClick={() => start.mutate()}
            data-testid="start-rating-run"
            sx={{ alignSelf: 'flex-start' }}
          >
            {translate('tw.rating.start')}
          </Button>
        </Stack>
      </CardContent>
    </Card>
  );
};

export default RatingRunCreate;
