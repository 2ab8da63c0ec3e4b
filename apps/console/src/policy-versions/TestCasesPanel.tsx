import DeleteIcon from '@mui/icons-material/DeleteOutlined';
import { Alert, Button, Card, CardContent, CardHeader, Chip, IconButton, List, ListItem, ListItemText } from '@mui/material';
import { useMutation, useQuery } from '@tanstack/react-query';
import { usePermissions, useTranslate } from 'react-admin';
import { canRolesAccess } from '../auth/permissions';
import { useTierwiseData } from '../dataProvider';
import type { PolicyVersion, TestRunResult } from '../dataProvider/types';

const asResults = (r: { results: TestRunResult[] } | TestRunResult[]): TestRunResult[] => (Array.isArray(r) ? r : r.results);

/** The policy's test cases, and a run of them against this version: pass / fail per case. */
export const TestCasesPanel = ({ version, reloadKey }: { version: PolicyVersion; reloadKey: number }) => {
  const translate = useTranslate();
  const api = useTierwiseData();
  const { permissions } = usePermissions<string[]>();
  const canEdit = canRolesAccess(permissions ?? [], 'test-cases', 'delete');
  const canRun = canRolesAccess(permissions ?? [], 'test-cases', 'run');
  const cases = useQuery({ queryKey: ['test-cases', version.policyId, reloadKey], queryFn: () => api.listTestCases(version.policyId) });
  const run = useMutation({ mutationFn: () => api.runTests(version.id).then(asResults) });
  const remove = useMutation({ mutationFn: (id: string) => api.deleteTestCase(version.policyId, id), onSuccess: () => cases.refetch() });
  const byName = new Map((run.data ?? []).map((r) => [r.testCaseId ?? r.name, r]));
  const failed = (run.data ?? []).filter((r) => !r.passed).length;
  return (
    <Card variant="outlined" data-testid="test-cases">
      <CardHeader
        title={translate('tw.tests.title')}
        slotProps={{ title: { variant: 'h6' } }}
        action={
          canRun && (
            <Button onClick={() => run.mutate()} disabled={run.isPending || !cases.data?.length} data-testid="run-tests">
              {translate('tw.tests.run')}
            </Button>
          )
        }
      />
      <CardContent sx={{ pt: 0 }}>
        {run.data && (
          <Alert severity={failed ? 'error' : 'success'} data-testid="test-summary" data-failed={failed}>
            {translate('tw.tests.summary', { passed: run.data.length - failed, total: run.data.length })}
          </Alert>
        )}
        {run.error && <Alert severity="error">{run.error.message}</Alert>}
        <List dense>
          {(cases.data ?? []).map((tc) => {
            const result = byName.get(tc.id) ?? byName.get(tc.name);
            return (
              <ListItem
                key={tc.id}
                data-testid="test-case"
                data-passed={result ? String(result.passed) : undefined}
                secondaryAction={
                  canEdit && (
                    <IconButton
                      edge="end"
                      size="small"
                      onClick={() => remove.mutate(tc.id)}
                      aria-label={translate('ra.action.delete')}
                      data-testid="delete-test-case"
                      disabled={remove.isPending}
                    >
                      <DeleteIcon fontSize="small" />
                    </IconButton>
                  )
                }
              >
                <ListItemText
                  primary={tc.name}
                  secondary={`${translate('tw.tests.expected')}: ${tc.expectedTier ?? translate('tw.tryIt.notRated')}${
                    result && !result.passed ? ` · ${translate('tw.tests.actual')}: ${result.actualTier ?? translate('tw.tryIt.notRated')}` : ''
                  }`}
                />
                {result && (
                  <Chip
                    size="small"
                    sx={{ mr: 4 }}
                    color={result.passed ? 'success' : 'error'}
                    label={translate(result.passed ? 'tw.tests.pass' : 'tw.tests.fail')}
                  />
                )}
              </ListItem>
            );
          })}
        </List>
        {cases.data?.length === 0 && <Alert severity="info">{translate('tw.tests.none')}</Alert>}
      </CardContent>
    </Card>
  );
};
