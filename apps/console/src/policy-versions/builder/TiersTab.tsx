import { Stack, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { useMemo } from 'react';
import { useStore, useTranslate } from 'react-admin';
import { ladderGrid, ladderTable } from '../model/ladder';
import { issuesUnder } from '../model/issues';
import { useBuilder } from './BuilderContext';
import { IssueList } from './IssueList';
import { LadderGridView } from './LadderGridView';
import { LadderTable } from './LadderTable';
import { LifecycleCard } from './LifecycleCard';
import { TierList } from './TierList';

type View = 'table' | 'grid' | 'tree';

/** The tiers tab: the ladder table (default when the ladder has thresholds), a 2-D grid for two-dimension schemes, and the tree editor for everything else. */
export const TiersTab = () => {
  const { definition, errors, warnings } = useBuilder();
  const translate = useTranslate();
  const table = useMemo(() => ladderTable(definition), [definition]);
  const hasGrid = useMemo(() => ladderGrid(table, String) !== null, [table]);
  // the user's choice is kept (across saves, versions and visits); the default fits the ladder
  const [chosen, setView] = useStore<View | null>('tw.tiers.view', null);
  const view: View = chosen ?? (table.columns.length ? 'table' : 'tree');
  const shown = view === 'grid' && !hasGrid ? 'table' : view;
  return (
    <Stack spacing={1.5}>
      <Stack direction="row" spacing={2} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <ToggleButtonGroup size="small" exclusive value={shown} onChange={(_e, next: View | null) => next && setView(next)}>
          <ToggleButton value="table" data-testid="view-table" sx={{ whiteSpace: 'nowrap' }}>
            {translate('tw.ladder.views.table')}
          </ToggleButton>
          {hasGrid && (
            <ToggleButton value="grid" data-testid="view-grid" sx={{ whiteSpace: 'nowrap' }}>
              {translate('tw.ladder.views.grid')}
            </ToggleButton>
          )}
          <ToggleButton value="tree" data-testid="view-tree" sx={{ whiteSpace: 'nowrap' }}>
            {translate('tw.ladder.views.tree')}
          </ToggleButton>
        </ToggleButtonGroup>
        <Typography variant="body2" color="text.secondary" sx={{ flex: '1 1 320px' }}>
          {translate('tw.builder.firstMatchWins')}
        </Typography>
      </Stack>
      {shown === 'table' && (
        <>
          <LadderTable />
          <IssueList errors={issuesUnder(errors, ['tiers'])} warnings={issuesUnder(warnings, ['tiers'])} />
        </>
      )}
      {shown === 'grid' && <LadderGridView />}
      {shown === 'tree' && <TierList />}
      <LifecycleCard />
    </Stack>
  );
};
