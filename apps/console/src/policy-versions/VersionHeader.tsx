import CompareIcon from '@mui/icons-material/CompareArrows';
import ReviewIcon from '@mui/icons-material/FactCheck';
import SaveIcon from '@mui/icons-material/Save';
import { Button, Card, CardContent, Stack, TextField, Typography } from '@mui/material';
import type { PolicyDefinition } from '@tierwise/policy-engine';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNotify, useTranslate } from 'react-admin';
import { useTierwiseData } from '../dataProvider';
import type { Policy, PolicyVersion } from '../dataProvider/types';
import { StatusChip } from '../common/StatusChip';
import { useFormatters } from '../i18n/format';
import { WorkflowActions } from './workflow/WorkflowActions';

interface Props {
  version: PolicyVersion;
  policy?: Policy;
  definition: PolicyDefinition;
  changeNote: string;
  onChangeNote(note: string): void;
  /** Unsaved edits of the definition or the change note. */
  dirty: boolean;
  readOnly: boolean;
  onSaved(): void;
}

/** Title, status, change note, save (with the revision guard) and the workflow steps. */
export const VersionHeader = ({ version, policy, definition, changeNote, onChangeNote, dirty, readOnly, onSaved }: Props) => {
  const translate = useTranslate();
  const notify = useNotify();
  const format = useFormatters();
  const api = useTierwiseData();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () => api.saveVersion(version.id, version.revision, { definition, changeNote }),
    onSuccess: async () => {
      notify('tw.builder.saved', { type: 'success' });
      onSaved();
      await queryClient.invalidateQueries({ queryKey: ['policy-versions'] });
    },
    onError: (error: Error & { status?: number }) => notify(error.status === 412 ? 'tw.builder.conflict' : error.message, { type: 'error' }),
  });
  const saveIfNeeded = async () => {
    if (!dirty) return true;
    try {
      await save.mutateAsync();
      return true;
    } catch {
      return false;
    }
  };
  return (
    <Card variant="outlined" sx={{ mt: 2 }}>
      <CardContent>
        <Stack direction="row" spacing={2} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
          <Typography variant="h5" data-testid="version-title">
            {policy ? <Link to={`/policies/${policy.id}/show`}>{policy.name}</Link> : null} · v{version.number}
          </Typography>
          <StatusChip version={version} />
          {version.effectiveFrom && (
            <Typography variant="body2" color="text.secondary">
              {translate('tw.workflow.effectiveFrom')}: {format.dateTime(version.effectiveFrom)}
            </Typography>
          )}
          <Stack direction="row" spacing={1} useFlexGap sx={{ ml: 'auto', flexWrap: 'wrap', '& .MuiButton-root': { whiteSpace: 'nowrap' } }}>
            {(version.status === 'in_review' || version.status === 'approved') && (
              <Button
                size="small"
                startIcon={<ReviewIcon />}
                component={Link}
                to={`/review/${version.id}`}
                data-testid="open-review"
                sx={{ whiteSpace: 'nowrap' }}
              >
                {translate('tw.review.open')}
              </Button>
            )}
            {version.basedOn && (
              <Button size="small" startIcon={<CompareIcon />} component={Link} to={`/diff?left=${version.basedOn}&right=${version.id}`}>
                {translate('tw.diff.compareBase')}
              </Button>
            )}
            {!readOnly && (
              <Button
                variant="contained"
                size="small"
                startIcon={<SaveIcon />}
                data-testid="save-version"
                disabled={!dirty || save.isPending}
                onClick={() => save.mutate()}
              >
                {translate('ra.action.save')}
              </Button>
            )}
            <WorkflowActions version={version} beforeSubmit={saveIfNeeded} />
          </Stack>
        </Stack>
        <TextField
          size="small"
          fullWidth
          sx={{ mt: 2 }}
          label={translate('tw.builder.changeNote')}
          value={changeNote}
          disabled={readOnly}
          onChange={(e) => onChangeNote(e.target.value)}
        />
      </CardContent>
    </Card>
  );
};
