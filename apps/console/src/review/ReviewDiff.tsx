import { Alert, Box, Chip, Stack, Typography } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import type { VersionDiff } from '../dataProvider/policies';
import { TierChanges } from '../diff/TierChanges';

const COLOR = { added: 'success', removed: 'error', changed: 'warning', unchanged: 'default' } as const;

/** The API's per-tier diff for a reviewer: each changed tier with what changed for it, then changes no tier uses. */
export const ReviewDiff = ({ diff }: { diff: VersionDiff }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const lang = locale === 'en' ? 'en' : 'zh-CN';
  const tiers = diff.tiers.filter((t) => t.change !== 'unchanged' || t.moved);
  const elsewhere = diff.changes.filter((c) => c.tiers.length === 0);
  if (!diff.changes.length && !tiers.length) return <Alert severity="info">{translate('tw.diff.same')}</Alert>;
  return (
    <Stack spacing={2} data-testid="review-diff">
      {tiers.map((t) => (
        <Box key={t.key} data-testid="review-diff-tier" data-tier={t.key} data-status={t.change}>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5 }}>
            <Typography variant="subtitle2">{t.title[lang]}</Typography>
            <Chip size="small" color={COLOR[t.change]} label={translate(`tw.diff.${t.change}`)} />
            {t.moved && <Chip size="small" variant="outlined" label={`#${t.rank.before} → #${t.rank.after}`} />}
          </Stack>
          {t.changes.length > 0 && (
            <Box sx={{ overflowX: 'auto', contain: 'inline-size' }}>
              <TierChanges changes={t.changes.map((i) => diff.changes[i])} locale={lang} />
            </Box>
          )}
        </Box>
      ))}
      {elsewhere.length > 0 && (
        <Box sx={{ overflowX: 'auto', contain: 'inline-size' }}>
          <Typography variant="subtitle2">{translate('tw.review.noTier')}</Typography>
          <TierChanges changes={elsewhere} locale={lang} />
        </Box>
      )}
    </Stack>
  );
};
