import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField } from '@mui/material';
import type { FactDefinition, PolicyDefinition } from '@tierwise/policy-engine';
import { useState } from 'react';
import { useLocaleState, useTranslate } from 'react-admin';
import { localName } from '../common/tierNames';
import type { TestCase } from '../dataProvider/types';
import { FactInputs } from './builder/FactInputs';
import { factsInDefinition } from './model/engine';

const NOT_RATED = '__not_rated__';

interface Props {
  testCase: TestCase;
  definition: PolicyDefinition;
  facts: Map<string, FactDefinition>;
  pending: boolean;
  error?: string;
  onCancel(): void;
  onSave(next: Pick<TestCase, 'name' | 'facts' | 'expectedTier'>): void;
}

/** Edit a test case: its name, the customer's facts (those the rules use, and any it already has) and the expected tier by name. */
export const TestCaseDialog = ({ testCase, definition, facts, pending, error, onCancel, onSave }: Props) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [name, setName] = useState(testCase.name);
  const [values, setValues] = useState<Record<string, unknown>>(testCase.facts);
  const [expected, setExpected] = useState<string>(testCase.expectedTier ?? NOT_RATED);
  const scoreKeys = new Set((definition.scores ?? []).map((s) => s.key));
  const keys = [...new Set([...factsInDefinition(definition), ...Object.keys(testCase.facts)])].filter((k) => facts.has(k) && !scoreKeys.has(k));
  const tiers =
    definition.tiers.some((t) => t.key === testCase.expectedTier) || testCase.expectedTier === null
      ? definition.tiers
      : [...definition.tiers, { key: testCase.expectedTier, name: testCase.expectedTier }];
  return (
    <Dialog open onClose={onCancel} fullWidth maxWidth="sm" data-testid="test-case-dialog">
      <DialogTitle>{translate('tw.tests.edit')}</DialogTitle>
      <DialogContent>
        <Stack spacing={1.5} sx={{ pt: 1 }}>
          <TextField
            size="small"
            label={translate('tw.tryIt.caseName')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': 'test-case-name' } }}
          />
          <TextField
            select
            size="small"
            label={translate('tw.tests.expectedTier')}
            value={expected}
            onChange={(e) => setExpected(e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': 'test-case-expected' } }}
          >
            {tiers.map((t) => (
              <MenuItem key={t.key} value={t.key}>
                {localName(t, locale)}
              </MenuItem>
            ))}
            <MenuItem value={NOT_RATED}>{translate('tw.tryIt.notRated')}</MenuItem>
          </TextField>
          <FactInputs keys={keys} facts={facts} values={values} onChange={setValues} />
          {error && <Alert severity="error">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>{translate('ra.action.cancel')}</Button>
        <Button
          variant="contained"
          disabled={pending || !name.trim()}
          data-testid="test-case-save"
          onClick={() => onSave({ name: name.trim(), facts: values, expectedTier: expected === NOT_RATED ? null : expected })}
        >
          {translate('ra.action.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
