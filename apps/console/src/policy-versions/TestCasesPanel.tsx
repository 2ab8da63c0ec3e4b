import DeleteIcon from '@mui/icons-material/DeleteOutlined';
import EditIcon from '@mui/icons-material/EditOutlined';
import { Alert, Button, Card, CardContent, CardHeader, Chip, IconButton, List, ListItem, ListItemText, Stack, Tooltip } from '@mui/material';
import type { FactDefinition, PolicyDefinition } from '@tierwise/policy-engine';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Confirm, usePermissions, useTranslate } from 'react-admin';
import { canRolesAccess } from '../auth/permissions';
import { useTierNames } from '../common/tierNames';
import { useTierwiseData } from '../dataProvider';
import type { PolicyVersion, TestCase } from '../dataProvider/types';
import { TestCaseDialog } from './TestCaseDialog';

interface Props {
  version: PolicyVersion;
  /** The rules on screen (unsaved edits included): test runs use them. */
  definition: PolicyDefinition;
  /** Sent with the run when the rules on screen differ from the saved ones. */
  unsaved: boolean;
  facts: Map<string, FactDefinition>;
  reloadKey: number;
}

/**
 * The policy's test cases, and a run of them against the rules on screen: pass / fail per case, the
 * expected tier by name. Cases change only beside a draft (a version in review or published keeps
 * the cases it was checked with); every change runs the cases again so the summary is never stale.
 */
export const TestCasesPanel = ({ version, definition, unsaved, facts, reloadKey }: Props) => {
  const translate = useTranslate();
  const api = useTierwiseData();
  const tierNames = useTierNames(definition);
  const { permissions } = usePermissions<string[]>();
  const canEdit = version.status === 'draft' && canRolesAccess(permissions ?? [], 'test-cases', 'edit');
  const canRun = canRolesAccess(permissions ?? [], 'test-cases', 'run');
  const [editing, setEditing] = useState<TestCase | null>(null);
  const [deleting, setDeleting] = useState<TestCase | null>(null);
  const cases = useQuery({ queryKey: ['test-cases', version.policyId, reloadKey], queryFn: () => api.listTestCases(version.policyId) });
  const run = useMutation({ mutationFn: () => api.runTests(version.id, unsaved ? definition : undefined) });
  const ran = useRef(false);
  const rerun = async () => {
    await cases.refetch();
    if (ran.current) run.mutate();
  };
  // a case added from "try it" (reloadKey) refreshes the summary too
  useEffect(() => {
    if (ran.current && reloadKey > 0) run.mutate();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reloadKey]);
  const remove = useMutation({ mutationFn: (id: string) => api.deleteTestCase(version.policyId, id), onSuccess: rerun, onSettled: () => setDeleting(null) });
  const save = useMutation({
    mutationFn: (next: Pick<TestCase, 'name' | 'facts' | 'expectedTier'>) => api.updateTestCase(version.policyId, editing!.id, next),
    onSuccess: async () => {
      setEditing(null);
      await rerun();
    },
  });
  const byId = new Map((run.data ?? []).map((r) => [r.testCaseId ?? r.name, r]));
  const failed = (run.data ?? []).filter((r) => !r.passed).length;
  const tier = (key: string | null) => (key === null ? translate('tw.tryIt.notRated') : (tierNames.get(key) ?? key));
  return (
    <Card variant="outlined" data-testid="test-cases">
      <CardHeader
        title={translate('tw.tests.title')}
        slotProps={{ title: { variant: 'h6' } }}
        action={
          canRun && (
            <Button
              onClick={() => {
                ran.current = true;
                run.mutate();
              }}
              disabled={run.isPending || !cases.data?.length}
              data-testid="run-tests"
            >
              {translate('tw.tests.run')}
            </Button>
          )
        }
      />
      <CardContent sx={{ pt: 0 }}>
        {run.data && (
          <Alert severity={failed ? 'error' : 'success'} data-testid="test-summary" data-failed={failed} data-total={run.data.length}>
            {translate('tw.tests.summary', { passed: run.data.length - failed, total: run.data.length })}
          </Alert>
        )}
        {run.error && <Alert severity="error">{run.error.message}</Alert>}
        <List dense>
          {(cases.data ?? []).map((tc) => {
            const result = byId.get(tc.id) ?? byId.get(tc.name);
            return (
              <ListItem
                key={tc.id}
                data-testid="test-case"
                data-name={tc.name}
                data-passed={result ? String(result.passed) : undefined}
                secondaryAction={
                  canEdit && (
                    <Stack direction="row">
                      <Tooltip title={translate('ra.action.edit')}>
                        <IconButton size="small" onClick={() => setEditing(tc)} aria-label={translate('ra.action.edit')} data-testid="edit-test-case">
                          <EditIcon fontSize="small" />
                        </IconButton>
                      </Tooltip>
                      <Tooltip title={translate('ra.action.delete')}>
                        <IconButton
                          edge="end"
                          size="small"
                          onClick={() => setDeleting(tc)}
                          aria-label={translate('ra.action.delete')}
                          data-testid="delete-test-case"
                          disabled={remove.isPending}
                        >
                          <DeleteIcon fontSize="small" />
                        </IconButton>
                      </Tooltip>
                    </Stack>
                  )
                }
                sx={{ pr: canEdit ? 10 : 2 }}
              >
                <ListItemText
                  primary={tc.name}
                  secondary={`${translate('tw.tests.expected')}: ${tier(tc.expectedTier)}${
                    result && !result.passed ? ` · ${translate('tw.tests.actual')}: ${tier(result.actualTier)}` : ''
                  }`}
                  slotProps={{ secondary: { 'data-testid': 'test-case-tiers' } as object }}
                />
                {result && (
                  <Chip
                    size="small"
                    sx={{ ml: 1, flexShrink: 0 }}
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
      {editing && (
        <TestCaseDialog
          testCase={editing}
          definition={definition}
          facts={facts}
          pending={save.isPending}
          error={save.error?.message}
          onCancel={() => {
            save.reset();
            setEditing(null);
          }}
          onSave={(next) => save.mutate(next)}
        />
      )}
      <Confirm
        isOpen={!!deleting}
        title="tw.tests.deleteTitle"
        content="tw.tests.deleteBody"
        contentTranslateOptions={{ name: deleting?.name ?? '' }}
        confirm="ra.action.delete"
        confirmColor="warning"
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => setDeleting(null)}
      />
    </Card>
  );
};
