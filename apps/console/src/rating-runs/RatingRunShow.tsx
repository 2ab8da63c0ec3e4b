import {
  Alert,
  Button,
  Card,
  CardContent,
  CardHeader,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { Link, Title, useGetIdentity, useGetOne, useLocaleState, useNotify, usePermissions, useTranslate } from 'react-admin';
import { useTierwiseData } from '../dataProvider';
import type { RatingRun } from '../dataProvider/rating';
import { hasRole } from '../auth/permissions';
import { localName } from '../common/tierNames';
import { useFactCatalog } from '../common/useFactCatalog';
import { useFormatters } from '../i18n/format';
import { MigrationHeatmap } from '../simulations/MigrationHeatmap';
import { tierAxis } from '../simulations/tiers';
import type { Snapshot } from './RatingRunCreate';
import { HeldBy, RunFigures, RunGroupTable, RunRollout, RunSamples } from './RunReport';
import { RunStatusChip } from './RunStatusChip';
import { CutoffTable } from '../common/CutoffTable';

const ACTIVE = ['queued', 'running', 'approved'];

const Meta = ({ run }: { run: RatingRun }) => {
  const translate = useTranslate();
  const format = useFormatters();
  const dataset = useGetOne<Snapshot>('datasets', { id: run.datasetId ?? '' }, { retry: false, enabled: run.datasetId !== null });
  const when = (v: string | null) => (v ? format.dateTime(v) : '—');
  const rows: [string, React.ReactNode][] = [
    ['tw.rating.policy', run.policy],
    [
      'tw.rating.meta.version',
      // during a regional rollout: every version the run rated with (each customer by their segment)
      run.result?.rollout?.length ? (
        <Stack key="v" direction="row" spacing={1} data-testid="run-meta-versions">
          {[...new Map(run.result.rollout.map((v) => [v.versionId, v.number])).entries()].map(([id, n]) => (
            <Link key={id} to={`/policy-versions/${id}`}>
              v{n}
            </Link>
          ))}
          <span>({translate('tw.rating.rollout.byRegion')})</span>
        </Stack>
      ) : (
        <Link key="v" to={`/policy-versions/${run.versionId}`}>
          v{run.version.number}
        </Link>
      ),
    ],
    [
      'tw.rating.meta.dataset',
      dataset.data ? `${dataset.data.name}${dataset.data.asOf ? ` · ${translate('tw.rating.asOf', { day: dataset.data.asOf })}` : ''}` : run.datasetId,
    ],
    ['tw.rating.meta.effectiveAt', run.effectiveAt ? format.dateTime(run.effectiveAt) : translate('tw.rating.meta.atApproval')],
    ['tw.rating.meta.startedBy', `${run.startedBy} · ${when(run.createdAt)}`],
  ];
  if (run.comment) rows.push(['tw.rating.meta.comment', run.comment]);
  if (run.approvedBy) rows.push(['tw.rating.meta.approvedBy', `${run.approvedBy} · ${when(run.approvedAt)}`]);
  if (run.rejectedBy) rows.push(['tw.rating.meta.rejectedBy', `${run.rejectedBy} · ${when(run.rejectedAt)}`]);
  if (run.decisionComment) rows.push(['tw.rating.meta.decisionComment', run.decisionComment]);
  if (run.appliedAt) rows.push(['tw.rating.meta.appliedAt', when(run.appliedAt)]);
  return (
    <Card variant="outlined">
      <CardHeader title={translate('tw.rating.title')} action={<RunStatusChip status={run.status} />} />
      <CardContent>
        <Table size="small" data-testid="run-meta">
          <TableBody>
            {rows.map(([label, value]) => (
              <TableRow key={label}>
                <TableCell component="th" sx={{ width: 200, color: 'text.secondary' }}>
                  {translate(label)}
                </TableCell>
                <TableCell>{value}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
};

type Decision = 'approve' | 'reject';

/** Approve / reject (approvers other than the starter) and cancel (authors), each through the API's four-eyes rules. */
const Actions = ({ run, onDone }: { run: RatingRun; onDone(): void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const api = useTierwiseData();
  const { identity } = useGetIdentity();
  const { permissions } = usePermissions<string[]>();
  const [open, setOpen] = useState<Decision | null>(null);
  const [comment, setComment] = useState('');
  const decide = useMutation({
    mutationFn: (what: Decision | 'cancel') =>
      what === 'approve'
        ? api.approveRatingRun(run.id, comment.trim() || undefined)
        : what === 'reject'
          ? api.rejectRatingRun(run.id, comment.trim())
          : api.cancelRatingRun(run.id),
    onSuccess: (_r, what) => {
      notify(what === 'approve' ? 'tw.rating.approved' : what === 'reject' ? 'tw.rating.rejected' : 'tw.rating.cancelled', { type: 'success' });
      setOpen(null);
      setComment('');
      onDone();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  const mine = !!identity && identity.id === run.startedBy;
  const approver = hasRole(permissions, 'admin', 'approver');
  const starter = hasRole(permissions, 'admin', 'author');
  const cancellable = ['queued', 'running', 'proposed', 'approved'].includes(run.status) && starter && !run.appliedAt;
  return (
    <>
      {run.status === 'proposed' && (
        <Alert severity="info" data-testid="run-nothing-before-approval">
          {translate('tw.rating.nothingBeforeApproval')}
          {run.result ? ` ${translate('tw.rating.staged', { count: run.result.entered + run.result.upgrades + run.result.downgrades })}` : ''}
        </Alert>
      )}
      {run.status === 'proposed' && mine && approver && (
        <Alert severity="warning" data-testid="run-four-eyes">
          {translate('tw.rating.fourEyes')}
        </Alert>
      )}
      <Stack direction="row" spacing={1}>
        {run.status === 'proposed' && approver && !mine && (
          <>
            <Button variant="contained" color="success" onClick={() => setOpen('approve')} data-testid="run-approve">
              {translate('tw.rating.approve')}
            </Button>
            <Button variant="outlined" color="error" onClick={() => setOpen('reject')} data-testid="run-reject">
              {translate('tw.rating.reject')}
            </Button>
          </>
        )}
        {cancellable && (
          <Button onClick={() => decide.mutate('cancel')} disabled={decide.isPending} data-testid="run-cancel">
            {translate('tw.rating.cancel')}
          </Button>
        )}
      </Stack>
      {open && (
        <Dialog open onClose={() => setOpen(null)} fullWidth maxWidth="sm" data-testid={`dialog-run-${open}`}>
          <DialogTitle>{translate(open === 'approve' ? 'tw.rating.approve' : 'tw.rating.reject')}</DialogTitle>
          <DialogContent>
            <TextField
              autoFocus
              fullWidth
              multiline
              minRows={2}
              sx={{ mt: 1 }}
              label={translate('tw.rating.decisionComment')}
              helperText={open === 'reject' ? translate('tw.rating.rejectNeedsComment') : undefined}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              slotProps={{ htmlInput: { 'data-testid': 'run-decision-comment' } }}
            />
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(null)}>{translate('ra.action.cancel')}</Button>
            <Button
              variant="contained"
              disabled={decide.isPending || (open === 'reject' && !comment.trim())}
              onClick={() => decide.mutate(open)}
              data-testid="run-decision-confirm"
            >
              {translate(open === 'approve' ? 'tw.rating.approve' : 'tw.rating.reject')}
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </>
  );
};

/** /rating-runs/:id/show — progress while it runs, then the proposal against the ledger, the decision, the outcome. */
const RatingRunShow = () => {
  const { id = '' } = useParams<{ id: string }>();
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  const api = useTierwiseData();
  const { byKey: facts } = useFactCatalog();
  const [selected, setSelected] = useState<{ from: string; to: string } | null>(null);
  const run = useQuery({
    queryKey: ['rating-run', id],
    queryFn: () => api.getRatingRun(id),
    refetchInterval: (q) => (q.state.data && ACTIVE.includes(q.state.data.status) ? 1000 : false),
  });
  const result = run.data?.result;
  const tiers = useMemo(() => (result?.tiers ?? []).map((t) => ({ key: t.key, name: t.name, nameEn: t.nameEn ?? undefined, rank: t.rank })), [result]);
  const tierNames = useMemo(() => new Map(tiers.map((t) => [t.key, localName(t, locale)])), [tiers, locale]);
  const axis = useMemo(
    () => (result ? tierAxis({ matrix: result.matrix, tiers, notRatedKey: result.notRatedKey }, tierNames, translate('tw.tryIt.notRated')) : []),
    [result, tiers, tierNames, translate],
  );
  const status = run.data?.status;
  const progress = run.data?.progress;
  return (
    <Stack spacing={2} sx={{ mt: 2 }} data-testid="rating-run" data-status={status}>
      <Title title={translate('tw.rating.title')} />
      {run.error && <Alert severity="error">{run.error.message}</Alert>}
      {run.data && <Meta run={run.data} />}
      {(status === 'queued' || status === 'running') && (
        <Card variant="outlined">
          <CardContent>
            <Typography>
              {translate(`tw.rating.status.${status}`)}
              {progress?.total ? ` · ${format.number(progress.done, 0)} / ${format.number(progress.total, 0)}` : ''}
            </Typography>
            <LinearProgress
              data-testid="run-progress"
              variant={progress?.total ? 'determinate' : 'indeterminate'}
              value={progress?.total ? (100 * progress.done) / progress.total : 0}
              sx={{ mt: 1 }}
            />
          </CardContent>
        </Card>
      )}
      {status === 'failed' && <Alert severity="error">{run.data?.error ?? translate('tw.rating.status.failed')}</Alert>}
      {run.data && <Actions run={run.data} onDone={() => void run.refetch()} />}
      {run.data?.cutoffs && <CutoffTable cutoffs={run.data.cutoffs} factLabel={(k) => facts.get(k)?.[locale === 'en' ? 'labelEn' : 'label'] ?? k} />}
      {result && (
        <>
          <RunFigures result={result} />
          <RunRollout result={result} />
          <HeldBy result={result} />
          <Card variant="outlined">
            <CardHeader title={translate('tw.rating.matrix')} subheader={translate('tw.rating.matrixHelp')} />
            <CardContent>
              <MigrationHeatmap
                result={result}
                axis={axis}
                corner={translate('tw.rating.matrixCorner')}
                onSelect={(f, t) => setSelected({ from: f.key, to: t.key })}
              />
            </CardContent>
          </Card>
          {!!result.groups?.length && (
            <Card variant="outlined">
              <CardHeader title={translate('tw.rating.groups')} />
              <CardContent>
                <RunGroupTable groups={result.groups} axis={axis} facts={facts} groupBy={result.groupBy} />
              </CardContent>
            </Card>
          )}
          <Card variant="outlined">
            <CardHeader title={translate('tw.rating.samples')} subheader={translate('tw.rating.samplesHelp')} />
            <CardContent>
              <RunSamples samples={result.samples ?? []} tierNames={tierNames} facts={facts} selected={selected} />
            </CardContent>
          </Card>
        </>
      )}
    </Stack>
  );
};

export default RatingRunShow;
