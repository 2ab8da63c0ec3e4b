import { Alert, Checkbox, FormControlLabel, Stack } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslate } from 'react-admin';
import { useTierwiseData } from '../../dataProvider';
import { useFormatters } from '../../i18n/format';

interface Props {
  versionId: string;
  acknowledged: boolean;
  onAcknowledge(value: boolean): void;
  /** Told whether the retirement would leave the policy with nothing in effect (then the step needs the acknowledgement). */
  onGap(gap: boolean): void;
}

/**
 * Retiring a version in effect or scheduled: who asked (four-eyes: another approver approves), and
 * — when nothing would be in effect afterwards — the span without a version, to acknowledge.
 */
export const RetirementNotice = ({ versionId, acknowledged, onAcknowledge, onGap }: Props) => {
  const translate = useTranslate();
  const format = useFormatters();
  const api = useTierwiseData();
  const { data } = useQuery({ queryKey: ['policy-version', versionId, 'retirement'], queryFn: () => api.getVersion(versionId) });
  const gap = data?.retirementGap ?? null;
  useEffect(() => onGap(gap !== null), [gap, onGap]);
  if (!data) return null;
  return (
    <Stack spacing={1}>
      {data.retireRequest ? (
        <Alert severity="info" data-testid="retire-request">
          {translate('tw.workflow.retireRequested', { user: data.retireRequest.requestedBy, at: format.dateTime(data.retireRequest.requestedAt) })}
          {data.retireRequest.comment ? ` — ${data.retireRequest.comment}` : ''}
        </Alert>
      ) : (
        (data.status === 'published' || data.status === 'scheduled') && <Alert severity="info">{translate('tw.workflow.retireFourEyes')}</Alert>
      )}
      {gap && (
        <Alert severity="warning" data-testid="retire-gap">
          {gap.until
            ? translate('tw.workflow.retireGap', { from: format.dateTime(gap.from), until: format.dateTime(gap.until) })
            : translate('tw.workflow.retireGapOpen', { from: format.dateTime(gap.from) })}
          <FormControlLabel
            sx={{ display: 'flex', mt: 1 }}
            control={<Checkbox checked={acknowledged} onChange={(e) => onAcknowledge(e.target.checked)} data-testid="retire-acknowledge" />}
            label={translate('tw.workflow.acknowledgeGap')}
          />
        </Alert>
      )}
    </Stack>
  );
};
