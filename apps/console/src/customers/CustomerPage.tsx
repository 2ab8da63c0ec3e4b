import { Alert, Box, Card, CardContent, CardHeader, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useParams } from 'react-router-dom';
import { Link, Title, useGetMany, useLocaleState, useTranslate } from 'react-admin';
import { useTierwiseData } from '../dataProvider';
import type { RunTier, TierHistoryEntry } from '../dataProvider/rating';
import type { PolicyVersion } from '../dataProvider/types';
import { localName } from '../common/tierNames';
import { useFormatters } from '../i18n/format';
import { customerPanels } from './panels';

const CHANGE_COLORS = { enter: 'info', upgrade: 'success', downgrade: 'error', override: 'warning', revert: 'default' } as const;

/** One policy's ledger for the customer: the official tier now and every change, newest first, with reason, run, version and trace. */
const PolicyLedger = ({ policy, rows, versions }: { policy: string; rows: TierHistoryEntry[]; versions: Map<string, number> }) => {
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  const lang = locale === 'zh-CN' ? 'zh-CN' : 'en';
  // Tier names by key as the ledger recorded them (previousTier is a key).
  const names = new Map<string, string>();
  for (const r of rows) if (r.tier) names.set(r.tier.key, localName({ name: r.tier.name, nameEn: r.tier.nameEn ?? undefined }, locale));
  const tierName = (t: RunTier | null) => (t ? localName({ name: t.name, nameEn: t.nameEn ?? undefined }, locale) : translate('tw.rating.customer.none'));
  const keyName = (key: string | null) => (key === null ? translate('tw.rating.customer.none') : (names.get(key) ?? key));
  const current = rows.find((r) => r.validTo === null) ?? null;
  return (
    <Card variant="outlined" data-testid="customer-policy" data-policy={policy}>
      <CardHeader
        title={policy}
        subheader={
          current ? (
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <Typography variant="body2">{translate('tw.rating.customer.current')}:</Typography>
              <Chip color="primary" label={tierName(current.tier)} data-testid="customer-current-tier" data-tier={current.tier?.key ?? 'null'} />
              <Typography variant="body2" color="text.secondary">
                {translate('tw.rating.customer.since', { when: format.dateTime(current.validFrom) })}
              </Typography>
            </Stack>
          ) : null
        }
      />
      <CardContent>
        <Typography variant="subtitle2" sx={{ mb: 1 }}>
          {translate('tw.rating.customer.timeline')}
        </Typography>
        <Box sx={{ overflowX: 'auto', contain: 'inline-size' }}>
          <Table size="small" data-testid="customer-timeline">
            <TableHead>
              <TableRow>
                <TableCell>{translate('tw.rating.customer.validFrom')}</TableCell>
                <TableCell>{translate('tw.rating.customer.validTo')}</TableCell>
                <TableCell>{translate('tw.rating.customer.previous')}</TableCell>
                <TableCell>{translate('tw.rating.tier')}</TableCell>
                <TableCell>{translate('tw.rating.customer.reason')}</TableCell>
                <TableCell>{translate('tw.rating.customer.run')}</TableCell>
                <TableCell>{translate('tw.rating.customer.version')}</TableCell>
                <TableCell>{translate('tw.rating.customer.trace')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {[...rows].reverse().map((r) => (
                <TableRow key={`${r.validFrom}|${r.decidedAt}`} data-testid="customer-change" data-change={r.change} data-tier={r.tier?.key ?? 'null'}>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{format.dateTime(r.validFrom)}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{r.validTo ? format.dateTime(r.validTo) : translate('tw.rating.customer.stillValid')}</TableCell>
                  <TableCell>{keyName(r.previousTier)}</TableCell>
                  <TableCell>
                    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                      <span>{tierName(r.tier)}</span>
                      <Chip size="small" color={CHANGE_COLORS[r.change] ?? 'default'} label={translate(`tw.rating.change.${r.change}`, { _: r.change })} />
                    </Stack>
                  </TableCell>
                  <TableCell data-testid="customer-reason">{r.reason?.[lang] ?? r.reason?.code}</TableCell>
                  <TableCell>
                    {r.runId ? (
                      <Link to={`/rating-runs/${r.runId}/show`} style={{ whiteSpace: 'nowrap' }} data-testid="customer-run-link">
                        {translate('tw.rating.open')}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                  <TableCell>
                    <Link to={`/policy-versions/${r.versionId}`} data-testid="customer-version">
                      {r.rolloutStep === null || r.rolloutStep === undefined
                        ? `v${versions.get(r.versionId) ?? '?'}`
                        : translate('tw.rating.customer.versionStep', { number: versions.get(r.versionId) ?? '?', step: r.rolloutStep + 1 })}
                    </Link>
                  </TableCell>
                  <TableCell>
                    {r.trace && 'decisionId' in r.trace ? (
                      <Link to={`/decisions/${r.trace.decisionId}/show`}>{translate('tw.rating.customer.decision')}</Link>
                    ) : r.trace && 'runId' in r.trace ? (
                      <Link to={`/rating-runs/${r.trace.runId}/show`}>{translate('tw.rating.customer.traceRow', { row: r.trace.snapshotRow ?? '?' })}</Link>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      </CardContent>
    </Card>
  );
};

/** /customers/:id — the customer's official tier under each policy and the timeline of its changes (contract §8). */
const CustomerPage = () => {
  const { id = '' } = useParams<{ id: string }>();
  const translate = useTranslate();
  const api = useTierwiseData();
  const history = useQuery({ queryKey: ['customer-tiers', id], queryFn: () => api.getCustomerTiers(id), enabled: !!id });
  const byPolicy = useMemo(() => {
    const m = new Map<string, TierHistoryEntry[]>();
    for (const r of history.data ?? []) m.set(r.policy, [...(m.get(r.policy) ?? []), r]);
    return m;
  }, [history.data]);
  const versionIds = useMemo(() => [...new Set((history.data ?? []).map((r) => r.versionId))], [history.data]);
  const versions = useGetMany<PolicyVersion>('policy-versions', { ids: versionIds }, { enabled: versionIds.length > 0 });
  const numbers = useMemo(() => new Map((versions.data ?? []).map((v) => [String(v.id), v.number])), [versions.data]);
  const policies = [...byPolicy.keys()];
  return (
    <Stack spacing={2} sx={{ mt: 2 }} data-testid="customer-page" data-customer={id}>
      <Title title={`${translate('tw.rating.customer.title')} ${id}`} />
      <Typography variant="h5">
        {translate('tw.rating.customer.title')} {id}
      </Typography>
      {history.error && <Alert severity="error">{history.error.message}</Alert>}
      {history.isSuccess && !policies.length && (
        <Alert severity="info" data-testid="customer-never-rated">
          {translate('tw.rating.customer.never')}
        </Alert>
      )}
      {policies.map((p) => (
        <PolicyLedger key={p} policy={p} rows={byPolicy.get(p) ?? []} versions={numbers} />
      ))}
      {customerPanels.map((Panel, i) => (
        <Panel key={i} customerId={id} policies={policies} />
      ))}
    </Stack>
  );
};

export default CustomerPage;
