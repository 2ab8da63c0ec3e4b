import { Alert, Card, CardContent, CardHeader, LinearProgress, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useTranslate } from 'react-admin';
import { useTierwiseData } from '../dataProvider';
import { chainBreakReason } from '../audit-events/chainBreak';

/** The audit log's hash chain, checked end to end. */
export const AuditChainCard = () => {
  const translate = useTranslate();
  const api = useTierwiseData();
  const { data, isPending, error } = useQuery({ queryKey: ['tierwise', 'audit-verify'], queryFn: () => api.verifyAuditChain() });
  return (
    <Card variant="outlined" data-testid="dashboard-audit">
      <CardHeader title={translate('tw.dashboard.audit')} slotProps={{ title: { variant: 'h6' } }} />
      <CardContent sx={{ pt: 0 }}>
        {isPending && <LinearProgress />}
        {error && <Alert severity="warning">{error.message}</Alert>}
        {data && (
          <Alert severity={data.valid ? 'success' : 'error'}>
            {data.valid
              ? translate('tw.audit.chainValid', { count: data.count })
              : translate('tw.audit.chainBroken', { count: data.count, at: data.brokenAt?.seq ?? '?', reason: chainBreakReason(translate, data.brokenAt) })}
          </Alert>
        )}
        {data?.valid && data.head && (
          <Typography variant="caption" component="div" sx={{ mt: 1, fontFamily: 'monospace', wordBreak: 'break-all' }} data-testid="audit-anchor">
            {translate('tw.audit.anchor')}: {data.head.seq}:{data.head.hash}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
};
