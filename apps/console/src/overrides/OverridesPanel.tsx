import { Alert, Box, Button, Card, CardContent, CardHeader, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField } from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocaleState, useNotify, usePermissions, useTranslate } from 'react-admin';
import { hasRole } from '../auth/permissions';
import { localName } from '../common/tierNames';
import { detailText } from '../dataProvider/apiErrors';
import { apiErrorMessage, isApiErrorBody } from '../dataProvider/httpClient';
import type { CustomerPanelProps } from '../customers/panels';
import { useFormatters } from '../i18n/format';
import { overridesApi, usePolicyTiers, type Override, type OverrideMode } from './api';
import { OverrideActions } from './OverrideActions';
import { OverrideStatusChip } from './OverrideStatusChip';

const MODES: OverrideMode[] = ['set', 'floor', 'ceiling'];

/** Field messages of a refused request in the user's language: the error's code says what is wrong, each detail's path where. */
function fieldErrors(body: unknown, translate: (key: string, options?: Record<string, unknown>) => string, locale: string): Record<string, string> {
  if (!isApiErrorBody(body) || !body.details?.length) return {};
  const headline = apiErrorMessage(body, body.message);
  const out: Record<string, string> = {};
  for (const d of body.details)
    if (d.path && !(d.path in out)) out[d.path] = d.code || (locale === 'zh-CN' && d.messageZh) ? detailText(d, translate, locale) : headline;
  return out;
}

/** Request an override of the customer's official tier (authors): policy, kind, a tier of the version in effect, reason, optional expiry. */
const RequestForm = ({ customerId, policies, onDone }: CustomerPanelProps & { onDone: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const [policy, setPolicy] = useState(policies[0] ?? '');
  const [mode, setMode] = useState<OverrideMode>('floor');
  const [tier, setTier] = useState('');
  const [reason, setReason] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const tiers = usePolicyTiers(policy);
  const choices = tiers.data ?? [];
  const check = (): Record<string, string> => {
    const found: Record<string, string> = {};
    if (!tier) found.tier = translate('tw.events.overrides.invalid.tierRequired');
    if (!reason.trim()) found.reason = translate('tw.events.overrides.invalid.reasonRequired');
    if (expiresAt) {
      const at = new Date(expiresAt).getTime();
      if (Number.isNaN(at)) found.expiresAt = translate('tw.events.overrides.invalid.expiryInvalid');
      else if (at <= Date.now()) found.expiresAt = translate('tw.events.overrides.invalid.expiryInPast');
    }
    return found;
  };
  const submit = async () => {
    const found = check();
    setErrors(found);
    if (Object.keys(found).length) return;
    try {
      await overridesApi.request(customerId, {
        policy,
        mode,
        tier,
        reason,
        ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
      });
      notify('tw.events.overrides.requested', { type: 'success' });
      setReason('');
      setTier('');
      setExpiresAt('');
      onDone();
    } catch (e) {
      const body = (e as { body?: unknown }).body;
      setErrors(fieldErrors(body, translate, locale));
      notify(apiErrorMessage(body, (e as Error).message), { type: 'error' });
    }
  };
  return (
    <Stack
      direction={{ xs: 'column', md: 'row' }}
      spacing={1}
      useFlexGap
      sx={{ alignItems: { md: 'flex-start' }, flexWrap: 'wrap', mt: 1 }}
      data-testid="override-request"
    >
      <TextField
        select
        size="small"
        label={translate('tw.events.overrides.policy')}
        value={policy}
        onChange={(e) => {
          setPolicy(e.target.value);
          setTier('');
        }}
        sx={{ minWidth: 160 }}
        data-testid="override-policy"
      >
        {policies.map((p) => (
          <MenuItem key={p} value={p}>
            {p}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        size="small"
        label={translate('tw.events.overrides.mode')}
        value={mode}
        onChange={(e) => setMode(e.target.value as OverrideMode)}
        sx={{ minWidth: 170 }}
        data-testid="override-mode"
      >
        {MODES.map((m) => (
          <MenuItem key={m} value={m} data-testid={`override-mode-${m}`}>
            {translate(`tw.events.overrides.modes.${m}`)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        size="small"
        label={translate('tw.events.overrides.tier')}
        value={choices.some((c) => c.key === tier) ? tier : ''}
        onChange={(e) => setTier(e.target.value)}
        error={!!errors.tier || tiers.data === null}
        helperText={errors.tier ?? (tiers.data === null ? translate('tw.events.overrides.noTiers') : translate('tw.events.overrides.tierHelp'))}
        disabled={!choices.length}
        sx={{ minWidth: 180 }}
        data-testid="override-tier"
      >
        {choices.map((t) => (
          <MenuItem key={t.key} value={t.key} data-testid={`override-tier-${t.key}`}>
            {localName(t, locale)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        size="small"
        label={translate('tw.events.overrides.reason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={!!errors.reason}
        helperText={errors.reason}
        sx={{ flex: 1, minWidth: 200 }}
        slotProps={{ htmlInput: { 'data-testid': 'override-reason' } }}
      />
      <TextField
        size="small"
        type="datetime-local"
        label={translate('tw.events.overrides.expiresAt')}
        value={expiresAt}
        onChange={(e) => setExpiresAt(e.target.value)}
        error={!!errors.expiresAt}
        helperText={errors.expiresAt}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'override-expires' } }}
      />
      <Button variant="contained" onClick={() => void submit()} disabled={!policy} data-testid="override-submit">
        {translate('tw.events.overrides.request')}
      </Button>
    </Stack>
  );
};

/** The customer page's overrides: every override of the customer with its expiry and status, the actions, and a request form. */
export const OverridesPanel = ({ customerId, policies }: CustomerPanelProps) => {
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  const { permissions } = usePermissions<string[]>();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['customer-overrides', customerId], queryFn: () => overridesApi.ofCustomer(customerId) });
  // An approved, ended or withdrawn override changes the official tier at once: the ledger above is read again too.
  const refresh = () => {
    void list.refetch();
    void queryClient.invalidateQueries({ queryKey: ['customer-tiers', customerId] });
  };
  const rows: Override[] = list.data ?? [];
  return (
    <Card variant="outlined" data-testid="overrides-panel">
      <CardHeader title={translate('tw.events.overrides.panel')} subheader={translate('tw.events.overrides.fourEyes')} />
      <CardContent>
        {list.isError && <Alert severity="error">{apiErrorMessage((list.error as { body?: unknown }).body, String(list.error))}</Alert>}
        {list.isSuccess && !rows.length && <Alert severity="info">{translate('tw.events.overrides.none')}</Alert>}
        {rows.length > 0 && (
          <Box sx={{ overflowX: 'auto', contain: 'inline-size' }}>
            <Table size="small" data-testid="overrides-table">
              <TableHead>
                <TableRow>
                  <TableCell>{translate('tw.events.overrides.policy')}</TableCell>
                  <TableCell>{translate('tw.events.overrides.mode')}</TableCell>
                  <TableCell>{translate('tw.events.overrides.tier')}</TableCell>
                  <TableCell>{translate('tw.events.overrides.status')}</TableCell>
                  <TableCell>{translate('tw.events.overrides.expiresAt')}</TableCell>
                  <TableCell>{translate('tw.events.overrides.reason')}</TableCell>
                  <TableCell>{translate('tw.events.overrides.requestedBy')}</TableCell>
                  <TableCell />
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((o) => (
                  <TableRow key={o.id} data-testid="override-row" data-id={o.id}>
                    <TableCell>{o.policy}</TableCell>
                    <TableCell>{translate(`tw.events.overrides.modes.${o.mode}`)}</TableCell>
                    <TableCell>{localName({ name: o.tier.name ?? o.tier.key, nameEn: o.tier.nameEn ?? undefined }, locale)}</TableCell>
                    <TableCell>
                      <OverrideStatusChip status={o.status} />
                    </TableCell>
                    <TableCell>{o.expiresAt ? format.dateTime(o.expiresAt) : translate('tw.events.overrides.never')}</TableCell>
                    <TableCell sx={{ maxWidth: 320 }}>{o.reason}</TableCell>
                    <TableCell>{o.requestedBy}</TableCell>
                    <TableCell>
                      <OverrideActions override={o} onDone={refresh} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        )}
        {hasRole(permissions, 'admin', 'author') && policies.length > 0 && <RequestForm customerId={customerId} policies={policies} onDone={refresh} />}
      </CardContent>
    </Card>
  );
};
