import AddIcon from '@mui/icons-material/Add';
import { Button, Card, CardContent, Stack, TextField, Typography } from '@mui/material';
import type { TopLevelCondition } from '@tierwise/policy-engine';
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import { issuesAt } from '../model/issues';
import { useBuilder } from './BuilderContext';
import { ConditionEditor } from './ConditionEditor';
import { IssueList } from './IssueList';
import { NodeActions } from './NodeActions';

/** Who is rated at all: customers failing it get no tier ("not rated"). */
export const EligibilityEditor = () => {
  const { definition, readOnly, update, errors, warnings } = useBuilder();
  const translate = useTranslate();
  const eligibility = definition.eligibility;
  return (
    <Stack spacing={1}>
      <Typography variant="body2" color="text.secondary">
        {translate('tw.builder.eligibilityHelp')}
      </Typography>
      {eligibility ? (
        <Card variant="outlined">
          <CardContent>
            <ConditionEditor path={['eligibility']} node={eligibility} onRemove={() => update(['eligibility'], undefined)} />
          </CardContent>
        </Card>
      ) : (
        <Typography>{translate('tw.builder.everyoneRated')}</Typography>
      )}
      {!eligibility && !readOnly && (
        <Button startIcon={<AddIcon />} sx={{ alignSelf: 'flex-start' }} onClick={() => update(['eligibility'], { all: [] })}>
          {translate('tw.builder.addEligibility')}
        </Button>
      )}
      <IssueList errors={issuesAt(errors, ['eligibility'])} warnings={issuesAt(warnings, ['eligibility'])} />
    </Stack>
  );
};

/** Named conditions that tiers (and scores) reuse as { "condition": name }. */
export const NamedConditionsEditor = () => {
  const { definition, readOnly, update } = useBuilder();
  const translate = useTranslate();
  const [name, setName] = useState('');
  const conditions = definition.conditions ?? {};
  const setConditions = (next: Record<string, TopLevelCondition>) => update(['conditions'], Object.keys(next).length ? next : undefined);
  return (
    <Stack spacing={1.5}>
      <Typography variant="body2" color="text.secondary">
        {translate('tw.builder.namedHelp')}
      </Typography>
      {Object.entries(conditions).map(([key, condition]) => (
        <Card key={key} variant="outlined" data-testid="named-condition" data-name={key}>
          <CardContent>
            <Stack direction="row" sx={{ alignItems: 'center' }}>
              <Typography variant="subtitle1" sx={{ fontFamily: 'monospace' }}>
                {key}
              </Typography>
              <NodeActions onRemove={() => setConditions(Object.fromEntries(Object.entries(conditions).filter(([k]) => k !== key)))} />
            </Stack>
            <ConditionEditor path={['conditions', key]} node={condition} />
          </CardContent>
        </Card>
      ))}
      {!readOnly && (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <TextField
            size="small"
            label={translate('tw.builder.conditionName')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            sx={{ width: 260 }}
            slotProps={{ htmlInput: { 'data-testid': 'named-condition-name' } }}
          />
          <Button
            startIcon={<AddIcon />}
            sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}
            data-testid="add-named-condition"
            disabled={!name || name in conditions}
            onClick={() => {
              setConditions({ ...conditions, [name]: { all: [] } });
              setName('');
            }}
          >
            {translate('tw.builder.addNamed')}
          </Button>
        </Stack>
      )}
    </Stack>
  );
};
