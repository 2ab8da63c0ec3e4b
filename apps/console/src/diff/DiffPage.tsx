import { Alert, Card, CardContent, CardHeader, Chip, CircularProgress, MenuItem, Stack, TextField } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { TierDiff } from '@tierwise/policy-engine';
import { useSearchParams } from 'react-router-dom';
import { Title, useGetList, useGetOne, useLocaleState, useTranslate } from 'react-admin';
import { useTierwiseData } from '../dataProvider';
import type { Policy, PolicyVersion } from '../dataProvider/types';
import type { LocaleCode } from '../i18n';
import { TierChanges } from './TierChanges';

const STATUS_COLOR = { added: 'success', removed: 'error', changed: 'warning', unchanged: 'default' } as const;

/**
 * /diff?policy=&left=&right= — pick a policy, then any two of its versions: the API's per-tier diff,
 * each changed tier with every change that affects it (its own, through named conditions, scores
 * or eligibility), in the user's language.
 */
const DiffPage = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const lang: LocaleCode = locale === 'en' ? 'en' : 'zh-CN';
  const api = useTierwiseData();
  const [params, setParams] = useSearchParams();
  const leftId = params.get('left') ?? '';
  const rightId = params.get('right') ?? '';
  const known = useGetOne<PolicyVersion>('policy-versions', { id: rightId || leftId }, { enabled: !params.get('policy') && !!(rightId || leftId) });
  const policyId = params.get('policy') ?? known.data?.policyId ?? '';
  const policies = useGetList<Policy>('policies', { sort: { field: 'key', order: 'ASC' }, pagination: { page: 1, perPage: 500 } });
  const versions = useGetList<PolicyVersion>(
    'policy-versions',
    { filter: { policyId }, sort: { field: 'number', order: 'DESC' }, pagination: { page: 1, perPage: 200 } },
    { enabled: !!policyId },
  );
  const diff = useQuery({
    queryKey: ['diff', leftId, rightId],
    queryFn: () => api.diffVersions(rightId, leftId),
    enabled: !!leftId && !!rightId,
  });
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };
  const name = (t: TierDiff) => t.title[lang];
  const d = diff.data;

  return (
    <Stack spacing={2} sx={{ mt: 2 }} data-testid="diff">
      <Title title={translate('tw.diff.title')} />
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap' }}>
        <TextField
          select
          label={translate('tw.diff.policy')}
          value={policies.data?.some((p) => p.id === policyId) ? policyId : ''}
          onChange={(e) => set({ policy: e.target.value, left: null, right: null })}
          sx={{ width: 420, flex: 'none' }}
          slotProps={{ htmlInput: { 'data-testid': 'diff-policy' } }}
        >
          {(policies.data ?? []).map((p) => (
            <MenuItem key={p.id} value={p.id}>
              {p.name} ({p.key})
            </MenuItem>
          ))}
        </TextField>
        {(['left', 'right'] as const).map((side) => (
          <TextField
            key={side}
            select
            disabled={!policyId}
            label={translate(`tw.diff.${side}`)}
            value={versions.data?.some((v) => v.id === (side === 'left' ? leftId : rightId)) ? (side === 'left' ? leftId : rightId) : ''}
            onChange={(e) => set({ policy: policyId, [side]: e.target.value })}
            sx={{ width: 200, flex: 'none' }}
            slotProps={{ htmlInput: { 'data-testid': `diff-${side}` } }}
          >
            {(versions.data ?? []).map((v) => (
              <MenuItem key={v.id} value={v.id}>
                v{v.number} · {translate(`tw.status.${v.status}`)}
              </MenuItem>
            ))}
          </TextField>
        ))}
      </Stack>
      {!policyId && <Alert severity="info">{translate('tw.diff.pickPolicy')}</Alert>}
      {policyId && (!leftId || !rightId) && <Alert severity="info">{translate('tw.diff.pickVersions')}</Alert>}
      {diff.isFetching && <CircularProgress />}
      {diff.error && <Alert severity="error">{diff.error instanceof Error ? diff.error.message : String(diff.error)}</Alert>}
      {d && d.changes.length === 0 && <Alert severity="info">{translate('tw.diff.same')}</Alert>}
      {d && d.tiers.some((t) => t.change === 'unchanged') && (
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }} data-testid="diff-unchanged">
          <Chip size="small" label={translate('tw.diff.unchanged')} />
          {d.tiers
            .filter((t) => t.change === 'unchanged')
            .map((t) => (
              <span key={t.key} data-tier={t.key}>
                {name(t)} ({t.key})
              </span>
            ))}
        </Stack>
      )}
      {d?.tiers
        .filter((t) => t.change !== 'unchanged')
        .map((t) => (
          <Card
            key={t.key}
            variant="outlined"
            data-testid="diff-tier"
            data-tier={t.key}
            data-status={t.change}
            sx={{ borderLeft: 4, borderLeftColor: `${STATUS_COLOR[t.change] === 'default' ? 'grey' : STATUS_COLOR[t.change]}.main` }}
          >
            <CardHeader
              title={`${name(t)} (${t.key})`}
              subheader={
                t.moved || t.rank.before === undefined || t.rank.after === undefined ? `#${t.rank.before ?? '–'} → #${t.rank.after ?? '–'}` : `#${t.rank.after}`
              }
              action={<Chip size="small" color={STATUS_COLOR[t.change]} label={translate(`tw.diff.${t.change}`)} />}
            />
            {t.changes.length > 0 && (
              <CardContent sx={{ pt: 0 }}>
                <TierChanges changes={t.changes.map((i) => d.changes[i])} locale={lang} />
              </CardContent>
            )}
          </Card>
        ))}
      {d &&
        [d.rollout?.from ? { v: d.from, r: d.rollout.from } : null, d.rollout?.to ? { v: d.to, r: d.rollout.to } : null].map(
          (side) =>
            side && (
              <Card variant="outlined" key={side.v.id} data-testid={`diff-rollout-${side.v.number}`}>
                <CardHeader title={translate('tw.diff.rollout', { number: side.v.number })} />
                <CardContent sx={{ pt: 0 }}>
                  {side.r.text[lang].map((line) => (
                    <div key={line}>{line}</div>
                  ))}
                </CardContent>
              </Card>
            ),
        )}
      {d && d.changes.some((c) => c.tiers.length === 0) && (
        <Card variant="outlined" data-testid="diff-unused">
          <CardHeader title={translate('tw.diff.noTier')} />
          <CardContent sx={{ pt: 0 }}>
            <TierChanges changes={d.changes.filter((c) => c.tiers.length === 0)} locale={lang} />
          </CardContent>
        </Card>
      )}
    </Stack>
  );
};

export default DiffPage;
