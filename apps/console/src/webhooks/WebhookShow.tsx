import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Chip,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DeleteButton, Show, SimpleShowLayout, TextField as RaTextField, BooleanField, useNotify, useRecordContext, useTranslate } from 'react-admin';
import { apiErrorMessage, requestJson } from '../dataProvider/httpClient';
import type { components } from '../dataProvider/api.gen';
import { statusChip } from '../common/StatusChip';
import { useFormatters } from '../i18n/format';

type Delivery = components['schemas']['WebhookDelivery'];

type Webhook = components['schemas']['Webhook'];

const DeliveryStatusChip = statusChip<Delivery['status']>(
  { pending: 'default', delivered: 'success', retrying: 'warning', failed: 'error' },
  'tw.events.webhooks',
);

type TestResult = components['schemas']['WebhookTestResult'];

/** Each delivery of the webhook: status, attempts, response code, error; failed ones retried by hand. */
const Deliveries = () => {
  const record = useRecordContext<Webhook>();
  const translate = useTranslate();
  const format = useFormatters();
  const notify = useNotify();
  const [status, setStatus] = useState('');
  const id = record?.id ?? '';
  const q = useQuery({
    queryKey: ['webhook-deliveries', id, status],
    enabled: !!id,
    refetchInterval: 3000,
    queryFn: () =>
      requestJson<Delivery[]>(
        `/webhooks/${id}/deliveries?range=${encodeURIComponent('[0,99]')}${status ? `&filter=${encodeURIComponent(JSON.stringify({ status }))}` : ''}`,
      ),
  });
  if (!record) return null;
  const retry = async (d: Delivery) => {
    try {
      await requestJson(`/webhooks/${id}/deliveries/${d.id}/retry`, 'POST', {});
      notify('tw.events.webhooks.retried', { type: 'success' });
      void q.refetch();
    } catch (e) {
      notify(apiErrorMessage((e as { body?: unknown }).body, (e as Error).message), { type: 'error' });
    }
  };
  const counts = record.deliveries;
  return (
    <Card variant="outlined" sx={{ mt: 2 }} data-testid="webhook-deliveries">
      <CardHeader
        title={translate('tw.events.webhooks.deliveries')}
        subheader={
          counts ? (
            <Stack direction="row" spacing={1}>
              <Chip
                size="small"
                color="success"
                label={`${translate('tw.events.webhooks.delivered')} ${counts.delivered}`}
                data-testid="deliveries-delivered"
                data-count={counts.delivered}
              />
              <Chip size="small" label={`${translate('tw.events.webhooks.pending')} ${counts.pending}`} data-testid="deliveries-pending" />
              <Chip size="small" color="warning" label={`${translate('tw.events.webhooks.retrying')} ${counts.retrying}`} />
              <Chip size="small" color="error" label={`${translate('tw.events.webhooks.failed')} ${counts.failed}`} />
            </Stack>
          ) : null
        }
        action={
          <TextField
            select
            size="small"
            value={status}
            onChange={(e) => setStatus(e.target.value)}
            sx={{ minWidth: 140 }}
            label={translate('tw.events.overrides.status')}
          >
            <MenuItem value="">{translate('tw.events.webhooks.all')}</MenuItem>
            {(['pending', 'delivered', 'retrying', 'failed'] as const).map((s) => (
              <MenuItem key={s} value={s}>
                {translate(`tw.events.webhooks.${s}`)}
              </MenuItem>
            ))}
          </TextField>
        }
      />
      <CardContent>
        {record.failStreak > 0 && (
          <Alert severity="warning" sx={{ mb: 1 }}>
            {translate('tw.events.webhooks.failStreak')}: {record.failStreak} — {record.lastError}
          </Alert>
        )}
        {q.isSuccess && !q.data.length && <Typography color="text.secondary">{translate('tw.events.webhooks.noDeliveries')}</Typography>}
        {!!q.data?.length && (
          <Box sx={{ overflowX: 'auto', contain: 'inline-size' }}>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{translate('tw.events.webhooks.event')}</TableCell>
                  <TableCell>{translate('tw.events.overrides.customer')}</TableCell>
                  <TableCell>{translate('tw.events.overrides.status')}</TableCell>
                  <TableCell>{translate('tw.events.webhooks.attempts')}</TableCell>
                  <TableCell>{translate('tw.events.webhooks.responseCode')}</TableCell>
                  <TableCell>{translate('tw.events.webhooks.lastError')}</TableCell>
                  <TableCell>{translate('tw.events.webhooks.nextAttempt')}</TableCell>
                  <TableCell />
                </TableRow>
              </TableHead>
              <TableBody>
                {q.data.map((d) => (
                  <TableRow key={d.id} data-testid="delivery-row" data-status={d.status} data-customer={d.customerId}>
                    <TableCell>
                      <Typography variant="body2">{d.type}</Typography>
                      <Typography variant="caption" color="text.secondary">
                        {d.policy}: {d.from ?? '—'} → {d.to ?? '—'} {d.change ? `(${d.change})` : ''}
                      </Typography>
                    </TableCell>
                    <TableCell>{d.customerId}</TableCell>
                    <TableCell>
                      <DeliveryStatusChip status={d.status} />
                    </TableCell>
                    <TableCell>{d.attempts}</TableCell>
                    <TableCell>{d.responseCode ?? '—'}</TableCell>
                    <TableCell sx={{ maxWidth: 260 }}>{d.error ?? ''}</TableCell>
                    <TableCell>{d.nextAttemptAt ? format.dateTime(d.nextAttemptAt) : '—'}</TableCell>
                    <TableCell>
                      {d.status === 'failed' && (
                        <Button size="small" onClick={() => void retry(d)} data-testid="delivery-retry">
                          {translate('tw.events.webhooks.retry')}
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        )}
      </CardContent>
    </Card>
  );
};

/** Send a signed test delivery now (POST /webhooks/:id/test) and show the receiver's answer. */
const TestDelivery = () => {
  const record = useRecordContext<Webhook>();
  const translate = useTranslate();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TestResult | null>(null);
  if (!record) return null;
  const send = async () => {
    setBusy(true);
    try {
      setResult(await requestJson<TestResult>(`/webhooks/${record.id}/test`, 'POST', {}));
    } catch (e) {
      setResult(null);
      notify(apiErrorMessage((e as { body?: unknown }).body, (e as Error).message), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack spacing={1} sx={{ mt: 1 }}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Button variant="outlined" size="small" onClick={() => void send()} disabled={busy} data-testid="webhook-test">
          {translate('tw.events.webhooks.test')}
        </Button>
        <Typography variant="caption" color="text.secondary">
          {translate('tw.events.webhooks.testHelp')}
        </Typography>
      </Stack>
      {result && (
        <Alert severity={result.ok ? 'success' : 'error'} data-testid="webhook-test-result" data-ok={String(result.ok)} data-code={result.responseCode ?? ''}>
          {result.ok
            ? translate('tw.events.webhooks.testOk', { code: result.responseCode, ms: result.durationMs })
            : translate('tw.events.webhooks.testFailed', { error: result.error ?? String(result.responseCode) })}
        </Alert>
      )}
    </Stack>
  );
};

const WebhookShow = () => {
  const translate = useTranslate();
  return (
    <Show>
      <SimpleShowLayout>
        <RaTextField source="url" label={translate('tw.events.webhooks.url')} />
        <RaTextField source="events" label={translate('tw.events.webhooks.events')} />
        <BooleanField source="active" label={translate('tw.events.webhooks.active')} />
        <TestDelivery />
        <Deliveries />
        <DeleteButton />
      </SimpleShowLayout>
    </Show>
  );
};

export default WebhookShow;
