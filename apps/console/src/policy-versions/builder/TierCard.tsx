import DeleteIcon from '@mui/icons-material/DeleteOutlined';
import { Button, Card, CardContent, Chip, IconButton, MenuItem, Stack, TextField, Tooltip, Typography } from '@mui/material';
import type { TierDefinition } from '@tierwise/policy-engine';
import { useLocaleState, useTranslate } from 'react-admin';
import { issuesAt, issuesUnder } from '../model/issues';
import { moveItem, removeItem } from '../model/paths';
import { MoveButtons } from '../../common/MoveButtons';
import { useBuilder } from './BuilderContext';
import { ConditionEditor } from './ConditionEditor';
import { IssueList } from './IssueList';

const OWN = ['key', 'name', 'nameEn', 'benefitPackage', 'description'];

/** One tier: its key and names, benefit package, and the condition that puts a customer in it. */
export const TierCard = ({ index, tier }: { index: number; tier: TierDefinition }) => {
  const { definition, packages, readOnly, update, errors, warnings } = useBuilder();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const tiers = definition.tiers;
  const path = ['tiers', index] as const;
  const set = (field: keyof TierDefinition, value: unknown) =>
    update([...path, field], value === '' && field !== 'key' && field !== 'name' ? undefined : value);
  const isLast = index === tiers.length - 1;
  const move = (to: number) => update(['tiers'], moveItem(tiers, index, to));
  const hasWarnings = issuesUnder(warnings, path).length > 0;

  return (
    <Card variant="outlined" data-testid="tier-card" data-tier={tier.key} sx={{ borderColor: hasWarnings ? 'warning.main' : undefined }}>
      <CardContent sx={{ pb: 1 }}>
        <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
          <Chip label={`#${index + 1}`} color="primary" size="small" />
          <TextField
            size="small"
            label={translate('tw.builder.tierKey')}
            value={tier.key}
            disabled={readOnly}
            onChange={(e) => set('key', e.target.value)}
            sx={{ width: 150 }}
          />
          <TextField
            size="small"
            label={translate('tw.builder.tierName')}
            value={tier.name}
            disabled={readOnly}
            onChange={(e) => set('name', e.target.value)}
            sx={{ flex: '1 1 200px', minWidth: 200 }}
          />
          <TextField
            size="small"
            label={translate('tw.builder.tierNameEn')}
            value={tier.nameEn ?? ''}
            disabled={readOnly}
            onChange={(e) => set('nameEn', e.target.value)}
            sx={{ flex: '1 1 240px', minWidth: 240 }}
          />
          <TextField
            select
            size="small"
            label={translate('tw.builder.benefitPackage')}
            value={tier.benefitPackage ?? ''}
            disabled={readOnly}
            onChange={(e) => set('benefitPackage', e.target.value)}
            sx={{ flex: '1 1 220px', minWidth: 220 }}
          >
            <MenuItem value="">
              <em>{translate('tw.builder.noPackage')}</em>
            </MenuItem>
            {tier.benefitPackage && !packages.some((p) => p.key === tier.benefitPackage) && (
              <MenuItem value={tier.benefitPackage}>{tier.benefitPackage}</MenuItem>
            )}
            {packages.map((p) => (
              <MenuItem key={p.key} value={p.key}>
                {(locale === 'en' && p.nameEn) || p.name}
              </MenuItem>
            ))}
          </TextField>
          <Stack direction="row" sx={{ ml: 'auto' }}>
            {!readOnly && (
              <>
                <MoveButtons index={index} count={tiers.length} onMove={move} />
                <Tooltip title={translate('ra.action.remove')}>
                  <span>
                    <IconButton
                      size="small"
                      disabled={tiers.length === 1}
                      onClick={() => update(['tiers'], removeItem(tiers, index))}
                      aria-label={translate('ra.action.remove')}
                    >
                      <DeleteIcon fontSize="small" />
                    </IconButton>
                  </span>
                </Tooltip>
              </>
            )}
          </Stack>
        </Stack>
        {tier.when ? (
          <>
            <ConditionEditor path={[...path, 'when']} node={tier.when} />
            {isLast && !readOnly && (
              <Button size="small" onClick={() => set('when', undefined)}>
                {translate('tw.builder.makeCatchAll')}
              </Button>
            )}
          </>
        ) : (
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <Typography variant="body2" color="text.secondary">
              {translate('tw.builder.catchAll')}
            </Typography>
            {!readOnly && (
              <Button size="small" onClick={() => set('when', { all: [] })}>
                {translate('tw.builder.addConditions')}
              </Button>
            )}
          </Stack>
        )}
        <IssueList errors={issuesAt(errors, path, OWN)} warnings={issuesAt(warnings, path, OWN)} />
      </CardContent>
    </Card>
  );
};
