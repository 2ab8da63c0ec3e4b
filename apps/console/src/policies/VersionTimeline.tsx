import CompareIcon from '@mui/icons-material/CompareArrows';
import EditIcon from '@mui/icons-material/Edit';
import { Box, Button, Card, CardContent, Stack, Typography } from '@mui/material';
import { Link, useGetList, useTranslate } from 'react-admin';
import { StatusChip } from '../common/StatusChip';
import type { PolicyVersion } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';
import { WorkflowActions } from '../policy-versions/workflow/WorkflowActions';

/** Every version of a policy, newest first, with what each status and the user's roles allow. */
export const VersionTimeline = ({ policyId }: { policyId: string }) => {
  const translate = useTranslate();
  const format = useFormatters();
  const { data = [], isPending } = useGetList<PolicyVersion>('policy-versions', {
    filter: { policyId },
    sort: { field: 'number', order: 'DESC' },
    pagination: { page: 1, perPage: 200 },
  });
  if (!isPending && data.length === 0) return <Typography color="text.secondary">{translate('tw.policies.noVersions')}</Typography>;
  return (
    <Stack spacing={0} data-testid="version-timeline">
      {data.map((version, index) => (
        <Stack key={version.id} direction="row" spacing={2} data-testid="timeline-item" data-version={version.number}>
          <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', pt: 2.5 }}>
            <Box sx={{ width: 12, height: 12, borderRadius: '50%', bgcolor: version.status === 'published' ? 'success.main' : 'grey.400' }} />
            {index < data.length - 1 && <Box sx={{ flex: 1, width: 2, bgcolor: 'divider' }} />}
          </Box>
          <Card variant="outlined" sx={{ flex: 1, my: 1 }}>
            <CardContent sx={{ '&:last-child': { pb: 2 } }}>
              <Stack direction="row" spacing={1.5} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
                <Typography variant="h6">v{version.number}</Typography>
                <StatusChip version={version} />
                {version.effectiveFrom && (
                  <Typography variant="body2">
                    {translate('tw.workflow.effectiveFrom')}: {format.dateTime(version.effectiveFrom)}
                  </Typography>
                )}
                <Typography variant="body2" color="text.secondary">
                  {[version.createdBy, version.updatedAt && format.dateTime(version.updatedAt)].filter(Boolean).join(' · ')}
                </Typography>
                <Stack direction="row" spacing={1} sx={{ ml: 'auto' }}>
                  <Button size="small" startIcon={<EditIcon />} component={Link} to={`/policy-versions/${version.id}`} data-testid="open-version">
                    {translate(version.status === 'draft' ? 'ra.action.edit' : 'ra.action.show')}
                  </Button>
                  {(version.status === 'in_review' || version.status === 'approved') && (
                    <Button size="small" component={Link} to={`/review/${version.id}`} data-testid="timeline-review">
                      {translate('tw.review.open')}
                    </Button>
                  )}
                  {data[index + 1] && (
                    <Button size="small" startIcon={<CompareIcon />} component={Link} to={`/diff?left=${data[index + 1].id}&right=${version.id}`}>
                      {translate('tw.diff.comparePrevious')}
                    </Button>
                  )}
                </Stack>
              </Stack>
              {version.changeNote && (
                <Typography variant="body2" sx={{ mt: 1 }}>
                  {version.changeNote}
                </Typography>
              )}
              <Box sx={{ mt: 1 }}>
                <WorkflowActions version={version} />
              </Box>
            </CardContent>
          </Card>
        </Stack>
      ))}
    </Stack>
  );
};
