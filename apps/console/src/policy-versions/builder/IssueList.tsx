import { Alert, Stack } from '@mui/material';
import type { Issue } from '@tierwise/policy-engine';
import { useLocaleState } from 'react-admin';

/** The engine writes each message in English and, when it can, in Chinese. */
const localized = (issue: Issue, locale: string) => (locale === 'zh-CN' && issue.messageZh) || issue.message;

/** The engine's errors (red) and ladder warnings (amber) for one part of the definition. */
export const IssueList = ({ errors = [], warnings = [], dense = true }: { errors?: Issue[]; warnings?: Issue[]; dense?: boolean }) => {
  const [locale] = useLocaleState();
  if (errors.length === 0 && warnings.length === 0) return null;
  return (
    <Stack spacing={0.5} sx={{ mt: 0.5 }}>
      {errors.map((issue) => (
        <Alert
          key={`e:${issue.path}:${issue.code}:${localized(issue, locale)}`}
          severity="error"
          data-testid="builder-error"
          data-path={issue.path}
          sx={dense ? { py: 0 } : undefined}
        >
          {localized(issue, locale)}
        </Alert>
      ))}
      {warnings.map((issue) => (
        <Alert
          key={`w:${issue.path}:${issue.code}:${localized(issue, locale)}`}
          severity="warning"
          data-testid="builder-warning"
          data-path={issue.path}
          data-code={issue.code}
          sx={dense ? { py: 0 } : undefined}
        >
          {localized(issue, locale)}
        </Alert>
      ))}
    </Stack>
  );
};
