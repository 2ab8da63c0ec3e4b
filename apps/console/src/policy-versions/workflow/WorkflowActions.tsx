import { Button, Stack } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { HttpError, useGetIdentity, useNotify, usePermissions, useRedirect, useRefresh, useTranslate } from 'react-admin';
import { useTierwiseData } from '../../dataProvider';
import { isApiErrorBody } from '../../dataProvider/httpClient';
import type { PolicyVersion } from '../../dataProvider/types';
import { ActionDialog, type ActionInput } from './ActionDialog';
import { actionsFor, type VersionAction } from './actions';
import { useTierNames } from '../../common/tierNames';

/** Steps that take something back or end it: outlined, in amber. */
const SECONDARY = new Set<VersionAction>(['reject', 'retire', 'withdraw', 'discard']);

interface Props {
  version: PolicyVersion;
  /** Called before submitting (e.g. to save unsaved edits first); resolve false to stop. */
  beforeSubmit?(): Promise<boolean>;
  size?: 'small' | 'medium';
}

/** The workflow steps this version's status and the user's roles allow, each confirmed in a dialog. */
export const WorkflowActions = ({ version, beforeSubmit, size = 'small' }: Props) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const redirect = useRedirect();
  const api = useTierwiseData();
  const { permissions } = usePermissions<string[]>();
  const { identity } = useGetIdentity();
  const [open, setOpen] = useState<VersionAction | null>(null);
  const tierNames = useTierNames(version.definition);
  const mutation = useMutation<PolicyVersion, Error, { action: VersionAction; input: ActionInput }>({
    mutationFn: async ({ action, input }) => {
      if (action === 'new-draft') {
        return api.createVersion(version.policyId, { definition: version.definition, basedOn: version.id, changeNote: input.comment });
      }
      if (action === 'submit' && beforeSubmit && !(await beforeSubmit())) throw new Error(translate('tw.workflow.saveFailed'));
      return api.workflow(version.id, action, input);
    },
    onSuccess: (result, { action }) => {
      setOpen(null);
      notify(`tw.workflow.done.${action}`, { type: 'success' });
      if (action === 'new-draft') redirect('edit', 'policy-versions', result.id);
      else refresh();
    },
  });
  const actions = actionsFor(version.status, permissions ?? [], version, identity ? String(identity.id) : undefined);
  if (actions.length === 0) return null;
  const body = mutation.error instanceof HttpError ? mutation.error.body : undefined;
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
      {actions.map((action) => (
        <Button
          key={action}
          size={size}
          variant={SECONDARY.has(action) ? 'outlined' : 'contained'}
          color={SECONDARY.has(action) ? 'warning' : 'primary'}
          data-testid={`action-${action}`}
          sx={{ whiteSpace: 'nowrap' }}
          onClick={() => {
            mutation.reset();
            setOpen(action);
          }}
        >
          {translate(`tw.workflow.${action}`)}
        </Button>
      ))}
      {open && (
        <ActionDialog
          action={open}
          versionId={version.id}
          pending={mutation.isPending}
          error={mutation.error?.message}
          details={isApiErrorBody(body) ? body.details : undefined}
          tierNames={tierNames}
          onCancel={() => setOpen(null)}
          onConfirm={(input) => mutation.mutate({ action: open, input })}
        />
      )}
    </Stack>
  );
};
