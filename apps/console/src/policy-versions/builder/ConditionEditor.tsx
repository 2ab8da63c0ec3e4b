import { Box, MenuItem, Stack, TextField, Typography } from '@mui/material';
import type { Condition } from '@tierwise/policy-engine';
import { useTranslate } from 'react-admin';
import { isGroup, isLeaf, isNot, isReference } from '../model/conditions';
import { issuesAt } from '../model/issues';
import type { Path } from '../model/paths';
import { useBuilder } from './BuilderContext';
import { GroupEditor } from './GroupEditor';
import { IssueList } from './IssueList';
import { LeafEditor } from './LeafEditor';
import { NodeActions } from './NodeActions';

interface Props {
  path: Path;
  node: Condition;
  onRemove?(): void;
}

/** Any condition node: a group (all / any), a NOT, a named-condition reference or a comparison. */
export const ConditionEditor = ({ path, node, onRemove }: Props) => {
  const { definition, readOnly, update, errors, warnings } = useBuilder();
  const translate = useTranslate();
  if (isLeaf(node)) return <LeafEditor path={path} node={node} onRemove={onRemove} />;
  if (isGroup(node)) return <GroupEditor path={path} node={node} onRemove={onRemove} />;
  if (isNot(node)) {
    return (
      <Box data-testid="condition-not" sx={{ borderLeft: 3, borderColor: 'error.light', pl: 1.5, my: 0.5 }}>
        <Stack direction="row" sx={{ alignItems: 'center' }}>
          <Typography variant="overline" color="error">
            {translate('tw.builder.not')}
          </Typography>
          <NodeActions onRemove={onRemove} />
        </Stack>
        <ConditionEditor path={[...path, 'not']} node={node.not} />
        <IssueList errors={issuesAt(errors, path)} warnings={issuesAt(warnings, path)} />
      </Box>
    );
  }
  if (isReference(node)) {
    const names = Object.keys(definition.conditions ?? {});
    return (
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', py: 0.5 }} data-testid="condition-reference">
        <TextField
          select
          size="small"
          label={translate('tw.builder.namedCondition')}
          value={node.condition}
          disabled={readOnly}
          sx={{ minWidth: 220 }}
          onChange={(e) => update(path, { ...node, condition: e.target.value })}
        >
          {(names.includes(node.condition) ? names : [node.condition, ...names]).map((n) => (
            <MenuItem key={n} value={n}>
              {n}
            </MenuItem>
          ))}
        </TextField>
        <NodeActions onRemove={onRemove} />
        <IssueList errors={issuesAt(errors, path, ['condition'])} warnings={issuesAt(warnings, path)} />
      </Stack>
    );
  }
  return <Typography color="error">{translate('tw.builder.unknownNode')}</Typography>;
};
