import { Box, Button, Card, CardContent, FormControlLabel, Stack, Switch, TextField, Typography } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { issuesUnder } from '../model/issues';
import { localName } from '../../common/tierNames';
import { useBuilder } from './BuilderContext';
import { ConditionEditor } from './ConditionEditor';
import { IssueList } from './IssueList';

/** A whole number from a field, or undefined when it is empty (the engine validates the range). */
const wholeOrUndefined = (text: string): number | undefined => (text.trim() === '' || !Number.isFinite(Number(text)) ? undefined : Math.trunc(Number(text)));

/**
 * Lifecycle rules of the definition (contract §8): downgrade grace, at most N steps down per run,
 * and each tier's keep condition (`keepWhen`) — versioned and reviewed like every other part.
 * Validation and lint (a keep condition not weaker than `when`) come from the engine via the builder's issues.
 */
export const LifecycleCard = () => {
  const { definition, readOnly, update, errors, warnings } = useBuilder();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const lifecycle = definition.lifecycle;
  const enabled = lifecycle !== undefined;
  return (
    <Card variant="outlined" data-testid="lifecycle-card">
      <CardContent>
        <Stack spacing={1.5}>
          <Stack direction="row" spacing={2} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
            <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
              {translate('tw.rating.lifecycle.title')}
            </Typography>
            <FormControlLabel
              control={
                <Switch
                  checked={enabled}
                  disabled={readOnly}
                  onChange={(e) => update(['lifecycle'], e.target.checked ? { downgradeGraceRuns: 0 } : undefined)}
                  slotProps={{ input: { 'data-testid': 'lifecycle-enable' } as React.InputHTMLAttributes<HTMLInputElement> }}
                />
              }
              label={translate('tw.rating.lifecycle.enable')}
            />
          </Stack>
          <Typography variant="body2" color="text.secondary">
            {enabled ? translate('tw.rating.lifecycle.help') : translate('tw.rating.lifecycle.off')}
          </Typography>
          {enabled && (
            <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap' }}>
              <TextField
                size="small"
                type="number"
                label={translate('tw.rating.lifecycle.grace')}
                helperText={translate('tw.rating.lifecycle.graceHelp')}
                value={lifecycle?.downgradeGraceRuns ?? ''}
                disabled={readOnly}
                onChange={(e) => update(['lifecycle', 'downgradeGraceRuns'], wholeOrUndefined(e.target.value))}
                slotProps={{ htmlInput: { min: 0, max: 24, 'data-testid': 'lifecycle-grace' } }}
                sx={{ flex: '1 1 280px' }}
              />
              <TextField
                size="small"
                type="number"
                label={translate('tw.rating.lifecycle.steps')}
                helperText={translate('tw.rating.lifecycle.stepsHelp')}
                value={lifecycle?.maxDowngradeSteps ?? ''}
                disabled={readOnly}
                onChange={(e) => update(['lifecycle', 'maxDowngradeSteps'], wholeOrUndefined(e.target.value))}
                slotProps={{ htmlInput: { min: 1, max: 20, 'data-testid': 'lifecycle-steps' } }}
                sx={{ flex: '1 1 280px' }}
              />
            </Stack>
          )}
          <IssueList errors={issuesUnder(errors, ['lifecycle'])} warnings={issuesUnder(warnings, ['lifecycle'])} />
          {(enabled || definition.tiers.some((t) => t.keepWhen)) && (
            <Stack spacing={1}>
              <Typography variant="body2" color="text.secondary">
                {translate('tw.rating.lifecycle.keepWhenHelp')}
              </Typography>
              {definition.tiers.map((tier, index) =>
                tier.when || tier.keepWhen ? (
                  <Box key={`${tier.key}-${index}`} data-testid="keep-when" data-tier={tier.key} sx={{ borderLeft: 3, borderColor: 'warning.light', pl: 1.5 }}>
                    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                      <Typography variant="body2" sx={{ fontWeight: 600 }}>
                        {localName(tier, locale)} · {translate('tw.rating.lifecycle.keepWhen')}
                      </Typography>
                      {!readOnly && (
                        <Button
                          size="small"
                          data-testid={tier.keepWhen ? 'remove-keep-when' : 'add-keep-when'}
                          onClick={() => update(['tiers', index, 'keepWhen'], tier.keepWhen ? undefined : { all: [] })}
                        >
                          {translate(tier.keepWhen ? 'tw.rating.lifecycle.removeKeepWhen' : 'tw.rating.lifecycle.addKeepWhen')}
                        </Button>
                      )}
                    </Stack>
                    {tier.keepWhen && <ConditionEditor path={['tiers', index, 'keepWhen']} node={tier.keepWhen} />}
                  </Box>
                ) : null,
              )}
            </Stack>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
};
