import DeleteIcon from '@mui/icons-material/DeleteOutlined';
import SwapIcon from '@mui/icons-material/SwapHoriz';
import { IconButton, Stack, Tooltip } from '@mui/material';
import type { LeafCondition } from '@tierwise/policy-engine';
import { useTranslate } from 'react-admin';
import { defaultValue, isFactValue } from '../model/conditions';
import { getOperator, operatorsForFactType, typeFamily } from '../model/operators';
import { issuesUnder } from '../model/issues';
import type { Path } from '../model/paths';
import { useBuilder } from './BuilderContext';
import { FactPicker } from './FactPicker';
import { IssueList } from './IssueList';
import { OperatorSelect } from './OperatorSelect';
import { PopulationParams } from './PopulationParams';
import { ValueInput } from './ValueInput';

/** One comparison: fact, operator and a value (or another fact) that fit the fact's type. */
export const LeafEditor = ({ path, node, onRemove }: { path: Path; node: LeafCondition; onRemove?(): void }) => {
  const { facts, readOnly, update, errors, warnings } = useBuilder();
  const translate = useTranslate();
  const fact = facts.get(node.fact);
  const operator = getOperator(node.operator);
  const comparesFact = isFactValue(node.value);
  const set = (next: Partial<LeafCondition>) => update(path, { ...node, ...next });
  const myErrors = issuesUnder(errors, path);

  const changeFact = (key: string) => {
    const nextFact = facts.get(key);
    const fits = nextFact && operatorsForFactType(nextFact.type).some((o) => o.name === node.operator);
    const nextOperator = fits || !nextFact ? node.operator : (operatorsForFactType(nextFact.type)[0]?.name ?? node.operator);
    const sameFamily = fact && nextFact && typeFamily(fact.type) === typeFamily(nextFact.type) && fits;
    set({ fact: key, operator: nextOperator, value: sameFamily ? node.value : defaultValue(nextFact, nextOperator) });
  };
  const changeOperator = (name: string) => {
    const keepsShape = getOperator(name)?.valueType === operator?.valueType;
    const next: LeafCondition = { ...node, operator: name, value: keepsShape ? node.value : defaultValue(fact, name) };
    // a population condition's parameters belong to it alone (quintiles by default for quantiles)
    delete next.params;
    if (name === 'quantileAtLeast') next.params = { quantiles: 5 };
    update(path, next);
  };
  const sameFamilyFacts = (f: { type: string }) => !!fact && typeFamily(f.type as never) === typeFamily(fact.type);

  return (
    <Stack data-testid="condition-leaf" data-fact={node.fact} sx={{ py: 0.5 }}>
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <FactPicker value={node.fact} onChange={changeFact} />
        <OperatorSelect fact={fact} value={node.operator} onChange={changeOperator} disabled={readOnly} />
        {comparesFact ? (
          <FactPicker
            label={translate('tw.builder.otherFact')}
            value={(node.value as { fact: string }).fact}
            onChange={(key) => set({ value: { fact: key } })}
            filter={sameFamilyFacts}
          />
        ) : (
          <ValueInput
            fact={fact}
            operator={node.operator}
            value={node.value}
            onChange={(value) => set({ value })}
            disabled={readOnly}
            error={myErrors.length > 0}
          />
        )}
        {operator?.allowFactValue && !readOnly && (
          <Tooltip title={translate('tw.builder.compareFact')}>
            <IconButton
              size="small"
              color={comparesFact ? 'primary' : 'default'}
              aria-label={translate('tw.builder.compareFact')}
              onClick={() => set({ value: comparesFact ? defaultValue(fact, node.operator) : { fact: node.fact } })}
            >
              <SwapIcon fontSize="small" />
            </IconButton>
          </Tooltip>
        )}
        {onRemove && !readOnly && (
          <Tooltip title={translate('ra.action.remove')}>
            <IconButton size="small" onClick={onRemove} aria-label={translate('ra.action.remove')}>
              <DeleteIcon fontSize="small" />
            </IconButton>
          </Tooltip>
        )}
      </Stack>
      {operator?.population && (
        <PopulationParams
          node={node}
          disabled={readOnly}
          onChange={(params) => {
            const next: LeafCondition = { ...node };
            if (params) next.params = params;
            else delete next.params;
            update(path, next);
          }}
        />
      )}
      <IssueList errors={myErrors} warnings={issuesUnder(warnings, path)} />
    </Stack>
  );
};
