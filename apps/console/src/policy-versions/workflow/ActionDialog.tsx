import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField, Typography } from '@mui/material';
import { useCallback, useState } from 'react';
import { useLocaleState, useTranslate } from 'react-admin';
import { detailText, showsPath, type ApiErrorDetail } from '../../dataProvider/apiErrors';
import { commentLabel, effectiveInstant, isRetirement, needsComment, toLocalInput, tomorrowMidnight, type VersionAction } from './actions';
import { RetirementNotice } from './RetirementNotice';

export interface ActionInput {
  comment?: string;
  effectiveFrom?: string;
  acknowledgeGap?: boolean;
}

interface Props {
  action: VersionAction;
  versionId: string;
  pending: boolean;
  error?: string | null;
  details?: ApiErrorDetail[];
  /** Tier key → name, to name tiers in the API's details. */
  tierNames?: Map<string, string>;
  onCancel(): void;
  onConfirm(input: ActionInput): void;
}

/** Confirms a workflow step: a comment (required to reject) and, to publish, the effective date and time. */
export const ActionDialog = ({ action, versionId, pending, error, details, tierNames, onCancel, onConfirm }: Props) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [comment, setComment] = useState('');
  const [effective, setEffective] = useState(() => toLocalInput(new Date()));
  const missingComment = needsComment(action) && comment.trim() === '';
  const [gap, setGap] = useState(false);
  const [acknowledged, setAcknowledged] = useState(false);
  const onGap = useCallback((value: boolean) => setGap(value), []);
  return (
    <Dialog open onClose={onCancel} fullWidth maxWidth="sm" data-testid={`dialog-${action}`}>
      <DialogTitle>{translate(`tw.workflow.${action}`)}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          {action === 'publish' && (
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', '& .MuiButton-root': { whiteSpace: 'nowrap', flexShrink: 0 } }}>
              <TextField
                type="datetime-local"
                label={translate('tw.workflow.effectiveFrom')}
                value={effective}
                onChange={(e) => setEffective(e.target.value)}
                slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'effective-from' } }}
              />
              <Button size="small" onClick={() => setEffective(toLocalInput(new Date()))}>
                {translate('tw.workflow.now')}
              </Button>
              <Button size="small" data-testid="effective-tomorrow" onClick={() => setEffective(toLocalInput(tomorrowMidnight()))}>
                {translate('tw.workflow.tomorrow')}
              </Button>
            </Stack>
          )}
          {isRetirement(action) && <RetirementNotice versionId={versionId} acknowledged={acknowledged} onAcknowledge={setAcknowledged} onGap={onGap} />}
          <TextField
            label={translate(commentLabel(action))}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            multiline
            minRows={2}
            required={needsComment(action)}
            slotProps={{ htmlInput: { 'data-testid': 'workflow-comment' } }}
          />
          {error && (
            <Alert severity="error" data-testid="workflow-error">
              {error}
              {details?.map((d) => (
                <div key={`${d.path}:${d.message}`} data-testid="workflow-error-detail">
                  {detailText(d, translate, locale, { tier: (key) => tierNames?.get(key) })}
                  {showsPath(d) && (
                    <Typography component="span" variant="caption" sx={{ ml: 1, fontFamily: 'monospace', color: 'text.secondary' }}>
                      {d.path}
                    </Typography>
                  )}
                </div>
              ))}
            </Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>{translate('ra.action.cancel')}</Button>
        <Button
          variant="contained"
          disabled={pending || missingComment || (isRetirement(action) && gap && !acknowledged)}
          data-testid="workflow-confirm"
          onClick={() =>
            onConfirm({
              comment: comment.trim() || undefined,
              effectiveFrom: action === 'publish' ? effectiveInstant(effective) : undefined,
              acknowledgeGap: isRetirement(action) && gap ? acknowledged : undefined,
            })
          }
        >
          {translate(`tw.workflow.${action}`)}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
