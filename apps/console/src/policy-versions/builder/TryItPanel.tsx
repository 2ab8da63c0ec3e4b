import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, Collapse, Stack, TextField, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useLocaleState, useNotify, usePermissions, useTranslate } from 'react-admin';
import { canRolesAccess } from '../../auth/permissions';
import { explanationLines } from '../../common/explanation';
import { useTierwiseData } from '../../dataProvider';
import { useFormatters } from '../../i18n/format';
import type { EvaluationOutcome } from '../../dataProvider/types';
import { factsInDefinition } from '../model/engine';
import { factLabel } from '../../common/labels';
import { localName, useTierNames } from '../../common/tierNames';
import { useBuilder } from './BuilderContext';
import { FactInputs } from './FactInputs';
import { TraceView } from './TraceView';

interface Props {
  versionId: string;
  policyId: string;
  /** Unsaved edits: the API evaluates the definition on screen in the version's place. */
  unsaved: boolean;
  onTestCaseAdded?(): void;
}

/** Enter a customer's facts → the tier, scores and the plain-language explanation; keep it as a test case. */
export const TryItPanel = ({ versionId, policyId, unsaved, onTestCaseAdded }: Props) => {
  const { definition, facts } = useBuilder();
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const api = useTierwiseData();
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [caseName, setCaseName] = useState('');
  const [details, setDetails] = useState(false);
  const format = useFormatters();
  const { permissions } = usePermissions<string[]>();
  const canAddCase = canRolesAccess(permissions ?? [], 'test-cases', 'create');
  const scoreKeys = new Set((definition.scores ?? []).map((s) => s.key));
  const used = useMemo(() => [...factsInDefinition(definition)].filter((k) => facts.has(k)), [definition, facts]);
  const inputs = used.filter((k) => !scoreKeys.has(k));
  const tierNames = useTierNames(definition);
  const evaluate = useMutation<EvaluationOutcome, Error>({ mutationFn: () => api.evaluateVersion(versionId, values, unsaved ? definition : undefined) });
  const addCase = useMutation({
    mutationFn: () => api.createTestCase(policyId, { name: caseName, facts: values, expectedTier: evaluate.data?.tier?.key ?? null }),
    onSuccess: () => {
      notify('tw.tryIt.caseAdded', { type: 'success' });
      setCaseName('');
      onTestCaseAdded?.();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  const result = evaluate.data;

  return (
    <Card variant="outlined" data-testid="try-it">
      <CardHeader title={translate('tw.tryIt.title')} slotProps={{ title: { variant: 'h6' } }} />
      <CardContent>
        {unsaved && (
          <Alert severity="info" sx={{ mb: 1 }} data-testid="try-it-unsaved">
            {translate('tw.tryIt.unsaved')}
          </Alert>
        )}
        <Stack spacing={1.5}>
          <FactInputs keys={inputs} facts={facts} values={values} onChange={setValues} />
          <Button variant="contained" onClick={() => evaluate.mutate()} disabled={evaluate.isPending} data-testid="try-it-run">
            {translate('tw.tryIt.run')}
          </Button>
        </Stack>
        {evaluate.error && (
          <Alert severity="error" sx={{ mt: 1 }}>
            {evaluate.error.message}
          </Alert>
        )}
        {result && (
          <Box sx={{ mt: 2 }}>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
              <Typography variant="subtitle1">{translate('tw.tryIt.tier')}</Typography>
              <Chip
                data-testid="try-it-tier"
                data-tier={result.tier?.key ?? ''}
                color={result.tier ? 'primary' : 'default'}
                label={result.tier ? (tierNames.get(result.tier.key) ?? localName(result.tier, locale)) : translate('tw.tryIt.notRated')}
              />
            </Stack>
            {result.benefitPackage && (
              <Typography variant="body2">
                {translate('tw.builder.benefitPackage')}: <span data-testid="try-it-package">{localName(result.benefitPackage, locale)}</span>
              </Typography>
            )}
            {Object.keys(result.scores ?? {}).length > 0 && (
              <Typography variant="body2" data-testid="try-it-scores">
                {Object.entries(result.scores)
                  .map(([k, v]) => `${factLabel(facts.get(k), k, locale)} = ${format.number(v)}`)
                  .join(' · ')}
              </Typography>
            )}
            {explanationLines(result.explanation, locale).map((line, i) => (
              <Typography key={i} variant="body2" data-testid="explanation-line">
                {line}
              </Typography>
            ))}
            <Button size="small" onClick={() => setDetails((d) => !d)} sx={{ mt: 1 }}>
              {translate('tw.tryIt.details')}
            </Button>
            <Collapse in={details || !result.explanation}>
              <TraceView trace={result.trace} facts={facts} tierNames={tierNames} />
            </Collapse>
            {canAddCase && (
              <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
                <TextField
                  size="small"
                  label={translate('tw.tryIt.caseName')}
                  value={caseName}
                  onChange={(e) => setCaseName(e.target.value)}
                  slotProps={{ htmlInput: { 'data-testid': 'case-name' } }}
                />
                <Button disabled={!caseName || addCase.isPending} onClick={() => addCase.mutate()} data-testid="add-case">
                  {translate('tw.tryIt.addCase')}
                </Button>
              </Stack>
            )}
          </Box>
        )}
      </CardContent>
    </Card>
  );
};
