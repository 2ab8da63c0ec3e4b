import { Alert, Card, CardContent, CardHeader, Chip, CircularProgress, MenuItem, Stack, TextField } from '@mui/material';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Title, useGetList, useGetOne, useLocaleState, useTranslate } from 'react-admin';
import type { PolicyVersion } from '../dataProvider/types';
import { diffDefinitions } from './diff';
import { ChangeTable } from './ChangeTable';
import { useFactCatalog } from '../common/useFactCatalog';

const STATUS_COLOR = { added: 'success', removed: 'error', changed: 'warning', unchanged: 'default' } as const;

/** /diff?left=&right= — two versions of a policy, tier by tier, each threshold before → after. */
const DiffPage = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [params, setParams] = useSearchParams();
  const leftId = params.get('left') ?? '';
  const rightId = params.get('right') ?? '';
  const left = useGetOne<PolicyVersion>('policy-versions', { id: leftId }, { enabled: !!leftId });
  const right = useGetOne<PolicyVersion>('policy-versions', { id: rightId }, { enabled: !!rightId });
  const policyId = right.data?.policyId ?? left.data?.policyId;
  const versions = useGetList<PolicyVersion>(
    'policy-versions',
    { filter: { policyId }, sort: { field: 'number', order: 'DESC' }, pagination: { page: 1, perPage: 200 } },
    { enabled: !!policyId },
  );
  const { byKey: factMap } = useFactCatalog();
  const diff = useMemo(() => (left.data && right.data ? diffDefinitions(left.data.definition, right.data.definition) : null), [left.data, right.data]);
  const pick = (side: 'left' | 'right', id: string) => {
    const next = new URLSearchParams(params);
    next.set(side, id);
    setParams(next);
  };
  const tierName = (t?: { name: string; nameEn?: string }) => (t ? (locale === 'en' && t.nameEn) || t.name : '');

  return (
    <Stack spacing={2} sx={{ mt: 2 }} data-testid="diff">
      <Title title={translate('tw.diff.title')} />
      <Stack direction="row" spacing={2}>
        {(['left', 'right'] as const).map((side) => (
          <TextField
            key={side}
            select
            label={translate(`tw.diff.${side}`)}
            value={(side === 'left' ? leftId : rightId) || ''}
            onChange={(e) => pick(side, e.target.value)}
            sx={{ minWidth: 220 }}
          >
            {(versions.data ?? []).map((v) => (
              <MenuItem key={v.id} value={v.id}>
                v{v.number} · {translate(`tw.status.${v.status}`)}
              </MenuItem>
            ))}
          </TextField>
        ))}
      </Stack>
      {(left.isPending || right.isPending) && leftId && rightId && <CircularProgress />}
      {diff && diff.tiers.every((t) => t.status === 'unchanged') && diff.other.length === 0 && <Alert severity="info">{translate('tw.diff.same')}</Alert>}
      {diff && diff.tiers.some((t) => t.status === 'unchanged') && (
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }} data-testid="diff-unchanged">
          <Chip size="small" label={translate('tw.diff.unchanged')} />
          {diff.tiers
            .filter((t) => t.status === 'unchanged')
            .map((t) => (
              <span key={t.key}>
                {tierName(t.after)} ({t.key})
              </span>
            ))}
        </Stack>
      )}
      {diff?.tiers
        .filter((t) => t.status !== 'unchanged')
        .map((t) => (
          <Card key={t.key} variant="outlined" data-testid="diff-tier" data-tier={t.key} data-status={t.status}>
            <CardHeader
              title={`${tierName(t.after ?? t.before)} (${t.key})`}
              subheader={t.rankBefore !== t.rankAfter ? `#${t.rankBefore ?? '–'} → #${t.rankAfter ?? '–'}` : `#${t.rankAfter}`}
              action={<Chip size="small" color={STATUS_COLOR[t.status]} label={translate(`tw.diff.${t.status}`)} />}
            />
            {t.changes.length > 0 && (
              <CardContent sx={{ pt: 0 }}>
                <ChangeTable changes={t.changes} root={t.after ?? t.before} facts={factMap} />
              </CardContent>
            )}
          </Card>
        ))}
      {diff && diff.other.length > 0 && (
        <Card variant="outlined">
          <CardHeader title={translate('tw.diff.other')} />
          <CardContent sx={{ pt: 0 }}>
            <ChangeTable changes={diff.other} root={right.data?.definition} facts={factMap} />
          </CardContent>
        </Card>
      )}
    </Stack>
  );
};

export default DiffPage;
