import { Card, CardContent, Stack, Typography } from '@mui/material';
import { Link, useGetOne, useTranslate } from 'react-admin';
import type { Dataset, Policy, Simulation } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';

const Item = ({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) => (
  <Stack sx={{ minWidth: 150 }}>
    <Typography variant="caption" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
      {label}
    </Typography>
    <Typography variant="body2" data-testid={testId}>
      {children}
    </Typography>
  </Stack>
);

/** Which policy, candidate and baseline, which dataset, who ran it and when. */
export const SimulationMeta = ({ simulation }: { simulation: Simulation }) => {
  const translate = useTranslate();
  const format = useFormatters();
  const policy = useGetOne<Policy>('policies', { id: simulation.policyId ?? '' }, { enabled: !!simulation.policyId });
  const dataset = useGetOne<Dataset>('datasets', { id: simulation.datasetId ?? '' }, { enabled: !!simulation.datasetId });
  const version = (v?: { id: string; number: number; status: string }) =>
    v ? (
      <Link to={`/policy-versions/${v.id}`}>
        v{v.number} · {translate(`tw.status.${v.status}`, { _: v.status })}
      </Link>
    ) : (
      '—'
    );
  return (
    <Card variant="outlined" data-testid="simulation-meta">
      <CardContent>
        <Stack direction="row" spacing={3} useFlexGap sx={{ flexWrap: 'wrap' }}>
          <Item label={translate('tw.simulation.policy')} testId="meta-policy">
            {policy.data?.name ?? '—'}
          </Item>
          <Item label={translate('tw.simulation.candidate')} testId="meta-candidate">
            {version(simulation.candidate)}
          </Item>
          <Item label={translate('tw.simulation.baseline')} testId="meta-baseline">
            {version(simulation.baseline)}
          </Item>
          <Item label={translate('tw.simulation.dataset')} testId="meta-dataset">
            {dataset.data ? `${dataset.data.name} (${format.number(dataset.data.rowCount, 0)})` : '—'}
          </Item>
          <Item label={translate('tw.simulation.ranBy')} testId="meta-by">
            {simulation.createdBy ?? '—'}
          </Item>
          <Item label={translate('tw.simulation.ranAt')} testId="meta-at">
            {simulation.createdAt ? format.dateTime(simulation.createdAt) : '—'}
          </Item>
        </Stack>
      </CardContent>
    </Card>
  );
};
