import { Alert, Stack } from '@mui/material';
import type { Issue } from '@tierwise/policy-engine';
import { useTranslate } from 'react-admin';
import { IssueList } from './IssueList';

/** The builder tab where an issue's path is shown inline. */
export const tabOf = (path: string): string => {
  const head = path.split(/[.[]/)[0];
  return head === 'scores' || head === 'eligibility' || head === 'conditions' ? head : 'tiers';
};

/**
 * Counts of the engine's errors and warnings, plus those that belong to another tab than the one
 * open (e.g. a tier-order warning caused by editing a named condition), so none goes unseen.
 */
export const IssueSummary = ({ errors, warnings, tab }: { errors: Issue[]; warnings: Issue[]; tab: string }) => {
  const translate = useTranslate();
  if (errors.length === 0 && warnings.length === 0) return null;
  const elsewhere = (i: Issue) => tab === 'json' || tabOf(i.path) !== tab;
  return (
    <Stack spacing={0.5} sx={{ mb: 2 }}>
      <Alert severity={errors.length ? 'error' : 'warning'} data-testid="issue-summary" data-errors={errors.length} data-warnings={warnings.length}>
        {translate('tw.builder.issueSummary', { errors: errors.length, warnings: warnings.length })}
      </Alert>
      <IssueList errors={errors.filter(elsewhere)} warnings={warnings.filter(elsewhere)} />
    </Stack>
  );
};
