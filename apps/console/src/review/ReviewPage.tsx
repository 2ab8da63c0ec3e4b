import CompareIcon from '@mui/icons-material/CompareArrows';
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, CircularProgress, LinearProgress, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router-dom';
import { Link, Title, useGetList, useGetOne, useTranslate } from 'react-admin';
import { StatusChip } from '../common/StatusChip';
import { useTierNames } from '../common/tierNames';
import { useTierwiseData } from '../dataProvider';
import type { AuditEvent, Policy, PolicyVersion } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';
import { WorkflowActions } from '../policy-versions/workflow/WorkflowActions';
import { LatestSimulationCard } from '../simulations/LatestSimulationCard';
import { ReviewDiff } from './ReviewDiff';

/**
 * /review/:id — everything a reviewer needs in one place: the submitter's comment and change note,
 * what changed (the API's per-tier diff against the version it is based on, or the one in effect),
 * the test cases run now, the latest simulation; approve or reject with a comment right here.
 */
const ReviewPage = () => {
  const { id = '' } = useParams<{ id: string }>();
  const translate = useTranslate();
  const format = useFormatters();
  const api = useTierwiseData();
  const version = useGetOne<PolicyVersion>('policy-versions', { id });
  const v = version.data;
  const policy = useGetOne<Policy>('policies', { id: v?.policyId ?? '' }, { enabled: !!v });
  const base = v?.basedOn ?? (policy.data?.activeVersionId !== v?.id ? policy.data?.activeVersionId : undefined) ?? undefined;
  const baseVersion = useGetOne<PolicyVersion>('policy-versions', { id: base ?? '' }, { enabled: !!base });
  const submits = useGetList<AuditEvent>(
    'audit-events',
    { filter: { entityId: id, action: 'version.submit' }, sort: { field: 'seq', order: 'DESC' }, pagination: { page: 1, perPage: 1 } },
    { enabled: !!v },
  );
  const diff = useQuery({ queryKey: ['review-diff', id, base], queryFn: () => api.diffVersions(id, base!), enabled: !!base });
  const tests = useQuery({ queryKey: ['review-tests', id, v?.revision], queryFn: () => api.runTests(id), enabled: !!v });
  const tierNames = useTierNames(v?.definition);
  if (version.error) return <Alert severity="error">{version.error.message}</Alert>;
  if (!v) return <CircularProgress sx={{ m: 4 }} />;
  const submit = submits.data?.[0];
  const failed = (tests.data ?? []).filter((r) => !r.passed);
  const tier = (key: string | null) => (key === null ? translate('tw.tryIt.notRated') : (tierNames.get(key) ?? key));
  return (
    <Stack spacing={2} sx={{ mt: 2 }} data-testid="review" data-status={v.status}>
      <Title title={`${translate('tw.review.title')} · ${policy.data?.name ?? ''} v${v.number}`} />
      <Card variant="outlined">
        <CardContent>
          <Stack direction="row" spacing={2} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
            <Typography variant="h5" data-testid="review-title">
              {policy.data?.name} · v{v.number}
            </Typography>
            <StatusChip version={v} />
            <Box sx={{ ml: 'auto' }}>
              <WorkflowActions version={v} size="medium" />
            </Box>
          </Stack>
          <Stack spacing={0.5} sx={{ mt: 1.5 }}>
            <Typography variant="body2" color="text.secondary">
              {translate('tw.review.submitted', {
                who: v.submittedBy ?? submit?.actor ?? '—',
                when: v.submittedAt ? format.dateTime(v.submittedAt) : submit ? format.dateTime(submit.at) : '—',
              })}
            </Typography>
            {v.changeNote && (
              <Typography variant="body2">
                {translate('tw.builder.changeNote')}: {v.changeNote}
              </Typography>
            )}
            {submits.isPending ? (
              <LinearProgress />
            ) : (
              <Alert severity={submit?.comment ? 'info' : 'warning'} icon={false} data-testid="review-comment">
                <Typography variant="subtitle2">{translate('tw.review.comment')}</Typography>
                {submit?.comment ?? translate('tw.review.noComment')}
              </Alert>
            )}
          </Stack>
        </CardContent>
      </Card>
      <Stack direction={{ xs: 'column', lg: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
        <Card variant="outlined" sx={{ flex: 3, minWidth: 0, width: '100%' }}>
          <CardHeader
            title={translate('tw.review.changes', { base: baseVersion.data ? `v${baseVersion.data.number}` : '—' })}
            slotProps={{ title: { variant: 'h6' } }}
            action={
              base && (
                <Button size="small" startIcon={<CompareIcon />} component={Link} to={`/diff?left=${base}&right=${v.id}`}>
                  {translate('tw.review.fullDiff')}
                </Button>
              )
            }
          />
          <CardContent sx={{ pt: 0 }}>
            {!base && <Alert severity="info">{translate('tw.review.firstVersion')}</Alert>}
            {diff.isPending && base && <LinearProgress />}
            {diff.error && <Alert severity="error">{diff.error.message}</Alert>}
            {diff.data && <ReviewDiff diff={diff.data} />}
          </CardContent>
        </Card>
        <Stack spacing={2} sx={{ flex: 2, minWidth: 320, width: '100%' }}>
          <Card variant="outlined" data-testid="review-tests">
            <CardHeader title={translate('tw.tests.title')} slotProps={{ title: { variant: 'h6' } }} />
            <CardContent sx={{ pt: 0 }}>
              {tests.isPending && <LinearProgress />}
              {tests.error && <Alert severity="error">{tests.error.message}</Alert>}
              {tests.data && (
                <Alert
                  severity={failed.length ? 'error' : 'success'}
                  data-testid="review-test-summary"
                  data-failed={failed.length}
                  data-total={tests.data.length}
                >
                  {translate('tw.tests.summary', { passed: tests.data.length - failed.length, total: tests.data.length })}
                </Alert>
              )}
              <Stack spacing={0.5} sx={{ mt: 1 }}>
                {(tests.data ?? []).map((r) => (
                  <Stack key={r.testCaseId ?? r.name} direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                    <Chip size="small" color={r.passed ? 'success' : 'error'} label={translate(r.passed ? 'tw.tests.pass' : 'tw.tests.fail')} />
                    <Typography variant="body2">
                      {r.name} · {translate('tw.tests.expected')}: {tier(r.expectedTier)}
                      {!r.passed && ` · ${translate('tw.tests.actual')}: ${tier(r.actualTier)}`}
                    </Typography>
                  </Stack>
                ))}
              </Stack>
            </CardContent>
          </Card>
          <LatestSimulationCard version={v} />
          <Button component={Link} to={`/policy-versions/${v.id}`} sx={{ alignSelf: 'flex-start' }}>
            {translate('tw.review.openRules')}
          </Button>
        </Stack>
      </Stack>
    </Stack>
  );
};

export default ReviewPage;
