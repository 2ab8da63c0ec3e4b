import AddIcon from '@mui/icons-material/Add';
import { Button, Stack } from '@mui/material';
import type { TierDefinition } from '@tierwise/policy-engine';
import { useTranslate } from 'react-admin';
import { issuesAt } from '../model/issues';
import { useBuilder } from './BuilderContext';
import { IssueList } from './IssueList';
import { TierCard } from './TierCard';

/** The ladder, best tier first: the first tier whose condition holds is the customer's tier. */
export const TierList = () => {
  const { definition, readOnly, update, errors, warnings } = useBuilder();
  const translate = useTranslate();
  const tiers = definition.tiers;
  const addTier = () => {
    const taken = new Set(tiers.map((t) => t.key));
    let n = tiers.length + 1;
    while (taken.has(`TIER${n}`)) n += 1;
    const tier: TierDefinition = { key: `TIER${n}`, name: `${translate('tw.builder.newTier')} ${n}`, when: { all: [] } };
    const last = tiers[tiers.length - 1];
    const at = last && !last.when ? tiers.length - 1 : tiers.length;
    update(['tiers'], [...tiers.slice(0, at), tier, ...tiers.slice(at)]);
  };
  return (
    <Stack spacing={1.5}>
      <IssueList errors={issuesAt(errors, ['tiers'])} warnings={issuesAt(warnings, ['tiers'])} />
      {tiers.map((tier, index) => (
        <TierCard key={index} index={index} tier={tier} />
      ))}
      {!readOnly && (
        <Button startIcon={<AddIcon />} onClick={addTier} sx={{ alignSelf: 'flex-start' }}>
          {translate('tw.builder.addTier')}
        </Button>
      )}
    </Stack>
  );
};
