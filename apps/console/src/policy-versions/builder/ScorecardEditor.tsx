import AddIcon from '@mui/icons-material/Add';
import { Button, Card, CardContent, Stack, TextField, Typography } from '@mui/material';
import type { Scorecard, ScoreComponent } from '@tierwise/policy-engine';
import { useTranslate } from 'react-admin';
import { FormattedNumberInput } from '../../common/FormattedNumberInput';
import { issuesAt } from '../model/issues';
import { removeItem } from '../model/paths';
import { useBuilder } from './BuilderContext';
import { ConditionEditor } from './ConditionEditor';
import { FactPicker } from './FactPicker';
import { IssueList } from './IssueList';
import { NodeActions } from './NodeActions';

const numericFact = (f: { type: string }) => f.type === 'number' || f.type === 'integer';

/** One scorecard: weighted facts and conditional points, then multipliers, then rounding. */
const ScorecardCard = ({ index, card, onRemove }: { index: number; card: Scorecard; onRemove(): void }) => {
  const { readOnly, update, errors, warnings } = useBuilder();
  const translate = useTranslate();
  const path = ['scores', index];
  const components = card.components;
  const multipliers = card.multipliers ?? [];
  const setComponent = (i: number, next: ScoreComponent) => update([...path, 'components', i], next);
  return (
    <Card variant="outlined" data-testid="scorecard">
      <CardContent>
        <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
          <TextField
            size="small"
            label={translate('tw.builder.scoreKey')}
            value={card.key}
            disabled={readOnly}
            onChange={(e) => update([...path, 'key'], e.target.value)}
          />
          <TextField
            size="small"
            label={translate('tw.builder.scoreLabel')}
            value={card.label}
            disabled={readOnly}
            onChange={(e) => update([...path, 'label'], e.target.value)}
          />
          <FormattedNumberInput
            size="small"
            label={translate('tw.builder.round')}
            value={card.round ?? null}
            integer
            disabled={readOnly}
            onChange={(v) => update([...path, 'round'], v ?? undefined)}
            sx={{ width: 120 }}
          />
          <NodeActions onRemove={onRemove} />
        </Stack>
        <Typography variant="subtitle2">{translate('tw.builder.components')}</Typography>
        {components.map((c, i) => (
          <Stack key={i} sx={{ pl: 1, borderLeft: 2, borderColor: 'divider', my: 1 }}>
            <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
              <TextField
                size="small"
                label={translate('tw.builder.componentLabel')}
                value={c.label}
                disabled={readOnly}
                onChange={(e) => setComponent(i, { ...c, label: e.target.value })}
              />
              {'fact' in c ? (
                <>
                  <FactPicker value={c.fact} filter={numericFact} onChange={(fact) => setComponent(i, { ...c, fact })} />
                  <FormattedNumberInput
                    size="small"
                    label={translate('tw.builder.weight')}
                    value={c.weight}
                    disabled={readOnly}
                    onChange={(v) => setComponent(i, { ...c, weight: v ?? 0 })}
                    sx={{ width: 120 }}
                  />
                </>
              ) : (
                <FormattedNumberInput
                  size="small"
                  label={translate('tw.builder.points')}
                  value={c.points}
                  disabled={readOnly}
                  onChange={(v) => setComponent(i, { ...c, points: v ?? 0 })}
                  sx={{ width: 120 }}
                />
              )}
              <NodeActions onRemove={() => update([...path, 'components'], removeItem(components, i))} />
            </Stack>
            <IssueList errors={issuesAt(errors, [...path, 'components', i], ['label', 'fact', 'weight', 'points'])} />
            {'when' in c && <ConditionEditor path={[...path, 'components', i, 'when']} node={c.when} />}
          </Stack>
        ))}
        {!readOnly && (
          <Stack direction="row" spacing={1}>
            <Button size="small" startIcon={<AddIcon />} onClick={() => update([...path, 'components'], [...components, { label: '', fact: '', weight: 1 }])}>
              {translate('tw.builder.addWeighted')}
            </Button>
            <Button
              size="small"
              startIcon={<AddIcon />}
              onClick={() => update([...path, 'components'], [...components, { label: '', points: 1, when: { all: [] } }])}
            >
              {translate('tw.builder.addPoints')}
            </Button>
          </Stack>
        )}
        <Typography variant="subtitle2" sx={{ mt: 1 }}>
          {translate('tw.builder.multipliers')}
        </Typography>
        {multipliers.map((m, i) => (
          <Stack key={i} sx={{ pl: 1, borderLeft: 2, borderColor: 'divider', my: 1 }}>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <TextField
                size="small"
                label={translate('tw.builder.componentLabel')}
                value={m.label}
                disabled={readOnly}
                onChange={(e) => update([...path, 'multipliers', i, 'label'], e.target.value)}
              />
              <FormattedNumberInput
                size="small"
                label={translate('tw.builder.factor')}
                value={m.factor}
                disabled={readOnly}
                onChange={(v) => update([...path, 'multipliers', i, 'factor'], v ?? 1)}
                sx={{ width: 120 }}
              />
              <NodeActions onRemove={() => update([...path, 'multipliers'], removeItem(multipliers, i))} />
            </Stack>
            <ConditionEditor path={[...path, 'multipliers', i, 'when']} node={m.when} />
          </Stack>
        ))}
        {!readOnly && (
          <Button
            size="small"
            startIcon={<AddIcon />}
            onClick={() => update([...path, 'multipliers'], [...multipliers, { label: '', factor: 1, when: { all: [] } }])}
          >
            {translate('tw.builder.addMultiplier')}
          </Button>
        )}
        <IssueList
          errors={issuesAt(errors, path, ['key', 'label', 'round', 'components', 'multipliers'])}
          warnings={issuesAt(warnings, path, ['key', 'label', 'round'])}
        />
      </CardContent>
    </Card>
  );
};

/** The definition's scorecards, in evaluation order; each score becomes a fact named by its key. */
export const ScorecardEditor = () => {
  const { definition, readOnly, update } = useBuilder();
  const translate = useTranslate();
  const scores = definition.scores ?? [];
  const setScores = (next: Scorecard[]) => update(['scores'], next.length ? next : undefined);
  return (
    <Stack spacing={1.5}>
      <Typography variant="body2" color="text.secondary">
        {translate('tw.builder.scoresHelp')}
      </Typography>
      {scores.map((card, index) => (
        <ScorecardCard key={index} index={index} card={card} onRemove={() => setScores(removeItem(scores, index))} />
      ))}
      {!readOnly && (
        <Button
          startIcon={<AddIcon />}
          sx={{ alignSelf: 'flex-start' }}
          onClick={() => setScores([...scores, { key: `score${scores.length + 1}`, label: '', components: [] }])}
        >
          {translate('tw.builder.addScorecard')}
        </Button>
      )}
    </Stack>
  );
};
