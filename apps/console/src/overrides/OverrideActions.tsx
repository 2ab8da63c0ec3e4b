import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useGetIdentity, useNotify, usePermissions, useTranslate } from 'react-admin';
import { apiErrorMessage } from '../dataProvider/httpClient';
import { hasRole } from '../auth/permissions';
import { overridesApi, type Override } from './api';

type Action = 'approve' | 'reject' | 'end';

/**
 * What may be done with one override, by role and status: approve / reject (approvers, never the
 * requester — the API says so if tried), end early or withdraw. Each step asks for a comment.
 */
export const OverrideActions = ({ override, onDone }: { override: Override; onDone: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const { permissions } = usePermissions<string[]>();
  const { identity } = useGetIdentity();
  const [action, setAction] = useState<Action | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const approver = hasRole(permissions, 'admin', 'approver');
  const own = identity?.id === override.requestedBy || identity?.fullName === override.requestedBy;
  const canEnd =
    override.status === 'active'
      ? hasRole(permissions, 'admin', 'author', 'approver')
      : override.status === 'pending' && (own || hasRole(permissions, 'admin'));
  const run = async () => {
    if (!action) return;
    setBusy(true);
    try {
      if (action === 'approve') await overridesApi.approve(override.id, comment || undefined);
      else if (action === 'reject') await overridesApi.reject(override.id, comment);
      else await overridesApi.end(override.id, comment || undefined);
      notify('tw.events.overrides.done', { type: 'success' });
      setAction(null);
      setComment('');
      onDone();
    } catch (e) {
      notify(apiErrorMessage((e as { body?: unknown }).body, (e as Error).message), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  const endLabel = override.status === 'pending' ? 'tw.events.overrides.withdraw' : 'tw.events.overrides.end';
  return (
    <>
      <Stack direction="row" spacing={1}>
        {override.status === 'pending' && approver && own && (
          <Typography variant="caption" color="text.secondary" data-testid="override-four-eyes">
            {translate('tw.events.overrides.ownRequest')}
          </Typography>
        )}
        {override.status === 'pending' && approver && !own && (
          <>
            <Button size="small" variant="contained" onClick={() => setAction('approve')} data-testid="override-approve">
              {translate('tw.events.overrides.approve')}
            </Button>
            <Button size="small" onClick={() => setAction('reject')} data-testid="override-reject">
              {translate('tw.events.overrides.reject')}
            </Button>
          </>
        )}
        {canEnd && (
          <Button size="small" color="warning" onClick={() => setAction('end')} data-testid="override-end">
            {translate(endLabel)}
          </Button>
        )}
      </Stack>
      <Dialog open={action !== null} onClose={() => setAction(null)} fullWidth maxWidth="sm">
        <DialogTitle>{action ? translate(action === 'end' ? endLabel : `tw.events.overrides.${action}`) : ''}</DialogTitle>
        <DialogContent>
          <TextField
            autoFocus
            fullWidth
            multiline
            margin="dense"
            label={translate(action === 'reject' ? 'tw.events.overrides.rejectComment' : 'tw.events.overrides.comment')}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            required={action === 'reject'}
            slotProps={{ htmlInput: { 'data-testid': 'override-comment' } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setAction(null)}>{translate('ra.action.cancel')}</Button>
          <Button variant="contained" disabled={busy || (action === 'reject' && !comment.trim())} onClick={() => void run()} data-testid="override-confirm">
            {translate('ra.action.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};
