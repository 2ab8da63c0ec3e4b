import { Alert, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { FactDefinition } from '@tierwise/policy-engine';
import { useLocaleState, useTranslate } from 'react-admin';
import { factLabel, showValue } from '../common/labels';
import { useFormatters } from '../i18n/format';
import { getOperator } from '../policy-versions/model/operators';

interface LeafChange {
  path: string;
  fact: string;
  change: string;
  before?: { operator: string; value: unknown };
  after?: { operator: string; value: unknown };
}
interface TierChange {
  key: string;
  change: string;
  name: { before?: string; after?: string };
  rank: { before?: number; after?: number };
  moved?: boolean;
  benefitPackage?: { before?: string; after?: string };
  conditions: LeafChange[];
}
/** The part of the API's per-tier diff (GET /policy-versions/:id/diff) the review shows. */
export interface ApiDiff {
  tiers?: TierChange[];
  eligibility?: LeafChange[];
  namedConditions?: { name: string; change: string; conditions: LeafChange[] }[];
}

const COLOR: Record<string, 'success' | 'error' | 'warning' | 'default'> = { added: 'success', removed: 'error', changed: 'warning' };

/** The API's diff, tier by tier: only what changed, each comparison before → after. */
export const ReviewDiff = ({ diff, facts, tierNames }: { diff: ApiDiff; facts: Map<string, FactDefinition>; tierNames: Map<string, string> }) => {
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  const side = (s?: { operator: string; value: unknown }) =>
    s ? `${getOperator(s.operator)?.symbol ?? s.operator} ${showValue(s.value, format, translate)}` : '—';
  const rows: { where: string; change: LeafChange }[] = [
    ...(diff.tiers ?? []).flatMap((t) => t.conditions.map((c) => ({ where: tierNames.get(t.key) ?? t.name.after ?? t.name.before ?? t.key, change: c }))),
    ...(diff.namedConditions ?? []).flatMap((n) => n.conditions.map((c) => ({ where: `${translate('tw.builder.namedCondition')} ${n.name}`, change: c }))),
    ...(diff.eligibility ?? []).map((c) => ({ where: translate('tw.trace.eligibility'), change: c })),
  ];
  const tierChanges = (diff.tiers ?? []).filter((t) => t.change !== 'unchanged' || t.moved);
  if (!rows.length && !tierChanges.length) return <Alert severity="info">{translate('tw.diff.same')}</Alert>;
  return (
    <Stack spacing={1} data-testid="review-diff">
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
        {tierChanges.map((t) => (
          <Chip
            key={t.key}
            size="small"
            color={COLOR[t.change] ?? 'default'}
            data-testid="review-diff-tier"
            data-tier={t.key}
            label={`${tierNames.get(t.key) ?? t.name.after ?? t.name.before ?? t.key}: ${translate(`tw.diff.${t.change}`)}${
              t.moved ? ` · #${t.rank.before} → #${t.rank.after}` : ''
            }`}
          />
        ))}
      </Stack>
      {rows.length > 0 && (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('tw.diff.what')}</TableCell>
              <TableCell>{translate('tw.diff.before')}</TableCell>
              <TableCell>{translate('tw.diff.after')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(({ where, change }) => (
              <TableRow key={`${where}:${change.path}`} data-testid="review-diff-row">
                <TableCell>
                  <Typography variant="body2">{where}</Typography>
                  <Typography variant="caption" color="text.secondary">
                    {factLabel(facts.get(change.fact), change.fact, locale)}
                  </Typography>
                </TableCell>
                <TableCell sx={{ color: 'error.main', whiteSpace: 'nowrap' }}>{side(change.before)}</TableCell>
                <TableCell sx={{ color: 'success.main', whiteSpace: 'nowrap' }}>{side(change.after)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Stack>
  );
};
