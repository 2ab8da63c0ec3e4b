import AddIcon from '@mui/icons-material/Add';
import { Box, Button, ButtonGroup, MenuItem, Stack, TextField } from '@mui/material';
import type { Condition } from '@tierwise/policy-engine';
import { useTranslate } from 'react-admin';
import { groupChildren, groupKind, newLeaf, switchGroupKind, type GroupKind } from '../model/conditions';
import { operatorsForFactType } from '../model/operators';
import { issuesAt } from '../model/issues';
import { removeItem, type Path } from '../model/paths';
import { useBuilder } from './BuilderContext';
import { ConditionEditor } from './ConditionEditor';
import { IssueList } from './IssueList';
import { NodeActions } from './NodeActions';

/** all / any with its children, and buttons to add a comparison, a sub-group, a NOT or a named condition. */
export const GroupEditor = ({ path, node, onRemove }: { path: Path; node: Condition; onRemove?(): void }) => {
  const { definition, facts, readOnly, update, errors, warnings } = useBuilder();
  const translate = useTranslate();
  const kind = groupKind(node) as GroupKind;
  const children = groupChildren(node);
  const childrenPath = [...path, kind];
  const setChildren = (next: Condition[]) => update(childrenPath, next);
  const firstFact = [...facts.values()][0];
  const add = (child: Condition) => setChildren([...children, child]);
  const names = Object.keys(definition.conditions ?? {});

  return (
    <Box
      data-testid="condition-group"
      data-kind={kind}
      sx={{ borderLeft: 3, borderColor: kind === 'all' ? 'primary.light' : 'secondary.light', pl: 1.5, my: 0.5 }}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5 }}>
        <TextField
          select
          size="small"
          value={kind}
          disabled={readOnly}
          sx={{ minWidth: 180 }}
          onChange={(e) => update(path, switchGroupKind(node, e.target.value as GroupKind))}
          slotProps={{ htmlInput: { 'data-testid': 'group-kind' } }}
        >
          <MenuItem value="all">{translate('tw.builder.all')}</MenuItem>
          <MenuItem value="any">{translate('tw.builder.any')}</MenuItem>
        </TextField>
        <NodeActions onRemove={onRemove} />
      </Stack>
      {children.map((child, index) => (
        <ConditionEditor key={index} path={[...childrenPath, index]} node={child} onRemove={() => setChildren(removeItem(children, index))} />
      ))}
      {!readOnly && (
        <ButtonGroup size="small" variant="text" sx={{ mt: 0.5 }}>
          <Button
            startIcon={<AddIcon />}
            data-testid="add-condition"
            onClick={() => add(newLeaf(firstFact, firstFact ? (operatorsForFactType(firstFact.type)[0]?.name ?? 'equal') : 'equal'))}
          >
            {translate('tw.builder.addCondition')}
          </Button>
          <Button onClick={() => add((kind === 'all' ? { any: [] } : { all: [] }) as Condition)}>{translate('tw.builder.addGroup')}</Button>
          <Button onClick={() => add({ not: { all: [] } })}>{translate('tw.builder.addNot')}</Button>
          {names.length > 0 && <Button onClick={() => add({ condition: names[0] })}>{translate('tw.builder.addReference')}</Button>}
        </ButtonGroup>
      )}
      <IssueList errors={issuesAt(errors, path, [kind])} warnings={issuesAt(warnings, path, [kind])} />
    </Box>
  );
};
