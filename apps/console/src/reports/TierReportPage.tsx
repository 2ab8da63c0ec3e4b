import DownloadIcon from '@mui/icons-material/Download';
import {
  Alert,
  Autocomplete,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
} from '@mui/material';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Title, useGetList, useLocaleState, useNotify, useTranslate } from 'react-admin';
import { useTierwiseData } from '../dataProvider';
import type { FileFormat } from '../dataProvider/download';
import type { TierReport, TierReportQuery } from '../dataProvider/rating';
import type { Policy } from '../dataProvider/types';
import { factLabel } from '../common/labels';
import { localName } from '../common/tierNames';
import { useFactCatalog } from '../common/useFactCatalog';
import { useFormatters } from '../i18n/format';
import { MigrationHeatmap } from '../simulations/MigrationHeatmap';
import { tierAxis } from '../simulations/tiers';

const MANY = { pagination: { page: 1, perPage: 1000 } };
/** `datetime-local` text → ISO instant (the browser's time zone), or undefined when empty. */
const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** /reports/tiers (`?policy=key` preselects) — the official ledger at two instants by a grouping fact: table, chart, movement matrix, CSV / XLSX from the API. */
const TierReportPage = () => {
  const translate = useTranslate();
  const format = useFormatters();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const api = useTierwiseData();
  const { facts, byKey } = useFactCatalog();
  const policies = useGetList<Policy>('policies', { ...MANY, sort: { field: 'key', order: 'ASC' } });
  const [params] = useSearchParams();
  const [policy, setPolicy] = useState(params.get('policy') ?? '');
  const [at, setAt] = useState('');
  const [compareTo, setCompareTo] = useState('');
  const [groupBy, setGroupBy] = useState<string | null>(null);
  const query: TierReportQuery | null = policy ? { policy, at: instant(at), compareTo: instant(compareTo), groupBy: groupBy ?? undefined } : null;
  const report = useQuery({ queryKey: ['tier-report', query], queryFn: () => api.getTierReport(query!), enabled: !!query });
  const exporting = useMutation({
    mutationFn: (f: FileFormat) => api.downloadTierReport(query!, f, locale),
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  const r: TierReport | undefined = report.data;
  const tiers = useMemo(
    () => (r?.tiers ?? []).map((t) => ({ key: t.key, name: localName({ name: t.name, nameEn: t.nameEn ?? undefined }, locale) })),
    [r, locale],
  );
  const axis = useMemo(
    () =>
      r
        ? tierAxis(
            { matrix: r.movement ?? {}, tiers: tiers.map((t) => ({ key: t.key, name: t.name })), notRatedKey: r.notRatedKey },
            new Map(tiers.map((t) => [t.key, t.name])),
            translate('tw.tryIt.notRated'),
          )
        : [],
    [r, tiers, translate],
  );
  const shown = axis.filter((t) => (r?.total.at[t.key] ?? 0) + (r?.total.compareTo?.[t.key] ?? 0) > 0);
  const both = !!r?.compareTo;
  const cell = (n: number | undefined, pct: number | undefined) => `${format.number(n ?? 0, 0)} (${format.number(pct ?? 0, 2)}%)`;
  const rows = r
    ? [
        ...r.groups.map((g) => ({ label: Object.values(g.group).map(String).join(' / '), ...g })),
        { label: translate('tw.rating.report.total'), ...r.total, percent: r.percent },
      ]
    : [];
  const chart = shown.map((t) => ({ tier: t.name, at: r?.total.at[t.key] ?? 0, compareTo: r?.total.compareTo?.[t.key] ?? 0 }));
  return (
    <Stack spacing={2} sx={{ mt: 2 }} data-testid="tier-report">
      <Title title={translate('tw.rating.report.title')} />
      <Card variant="outlined">
        <CardContent>
          <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap' }}>
            <TextField
              select
              size="small"
              label={translate('tw.rating.policy')}
              value={policy}
              onChange={(e) => setPolicy(e.target.value)}
              sx={{ minWidth: 240 }}
              slotProps={{ htmlInput: { 'data-testid': 'report-policy' } }}
            >
              {(policies.data ?? []).map((p) => (
                <MenuItem key={p.id} value={p.key}>
                  {p.name} ({p.key})
                </MenuItem>
              ))}
            </TextField>
            <TextField
              size="small"
              type="datetime-local"
              label={translate('tw.rating.report.at')}
              helperText={translate('tw.rating.report.atHelp')}
              value={at}
              onChange={(e) => setAt(e.target.value)}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <TextField
              size="small"
              type="datetime-local"
              label={translate('tw.rating.report.compareTo')}
              value={compareTo}
              onChange={(e) => setCompareTo(e.target.value)}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <Autocomplete
              size="small"
              options={(facts ?? []).map((f) => f.key)}
              value={groupBy}
              onChange={(_e, next) => setGroupBy(next)}
              getOptionLabel={(key) => factLabel(byKey.get(key), key, locale)}
              renderInput={(p) => <TextField {...p} label={translate('tw.rating.groupBy')} />}
              sx={{ minWidth: 220 }}
            />
            {r && (
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center', ml: 'auto' }}>
                {(['xlsx', 'csv'] as const).map((f) => (
                  <Button
                    key={f}
                    size="small"
                    startIcon={<DownloadIcon />}
                    disabled={exporting.isPending}
                    onClick={() => exporting.mutate(f)}
                    data-testid={`report-${f}`}
                  >
                    {f === 'xlsx' ? 'Excel' : 'CSV'}
                  </Button>
                ))}
              </Stack>
            )}
          </Stack>
        </CardContent>
      </Card>
      {report.error && <Alert severity="error">{report.error.message}</Alert>}
      {!policy && <Alert severity="info">{translate('tw.rating.report.pick')}</Alert>}
      {r && (
        <>
          <Card variant="outlined">
            <CardHeader
              title={translate('tw.rating.report.table')}
              subheader={translate('tw.rating.report.customers', { count: format.number(r.customers.at, 0) })}
            />
            <CardContent>
              <Box sx={{ overflowX: 'auto', contain: 'inline-size' }}>
                <Table size="small" data-testid="report-table">
                  <TableHead>
                    <TableRow>
                      <TableCell>{r.groupBy ? factLabel(byKey.get(r.groupBy), r.groupBy, locale) : translate('tw.rating.group')}</TableCell>
                      {shown.map((t) => (
                        <TableCell key={t.key} align="right">
                          {t.name}
                        </TableCell>
                      ))}
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {rows.map((g) => (
                      <TableRow key={g.label} data-testid="report-row" data-group={g.label}>
                        <TableCell>{g.label}</TableCell>
                        {shown.map((t) => (
                          <TableCell key={t.key} align="right" data-tier={t.key} sx={{ whiteSpace: 'nowrap' }}>
                            {cell(g.at[t.key], g.percent.at[t.key])}
                            {both && ` ← ${cell(g.compareTo?.[t.key], g.percent.compareTo?.[t.key])}`}
                          </TableCell>
                        ))}
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </Box>
            </CardContent>
          </Card>
          <Card variant="outlined">
            <CardHeader title={translate('tw.rating.report.chart')} />
            <CardContent>
              <div data-testid="report-chart" style={{ width: '100%', height: 300 }}>
                <ResponsiveContainer>
                  <BarChart data={chart} margin={{ top: 10, right: 20, bottom: 10, left: 10 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="tier" interval={0} />
                    <YAxis allowDecimals={false} tickFormatter={(v: number) => format.number(v, 0)} />
                    <Tooltip formatter={(v) => format.number(Number(v), 0)} />
                    <Legend />
                    {both && <Bar dataKey="compareTo" name={translate('tw.rating.report.compareTo')} fill="#90a4ae" isAnimationActive={!navigator.webdriver} />}
                    <Bar dataKey="at" name={translate('tw.rating.report.at')} fill="#1976d2" isAnimationActive={!navigator.webdriver} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
            </CardContent>
          </Card>
          {r.movement && (
            <Card variant="outlined">
              <CardHeader title={translate('tw.rating.report.movement')} />
              <CardContent>
                <MigrationHeatmap
                  result={{ matrix: r.movement }}
                  axis={axis}
                  corner={translate('tw.rating.report.movementCorner')}
                  onSelect={() => undefined}
                />
              </CardContent>
            </Card>
          )}
        </>
      )}
    </Stack>
  );
};

export default TierReportPage;
