import { Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import type { DefinitionChange } from '@tierwise/policy-engine';
import { useTranslate } from 'react-admin';
import type { LocaleCode } from '../i18n';

/** Where a change comes from: the tier itself, a named condition, a scorecard or eligibility. */
const Source = ({ change }: { change: DefinitionChange }) => {
  const translate = useTranslate();
  if (change.section === 'tier') return <>{translate('tw.diff.source.tier')}</>;
  if (change.section === 'eligibility') return <>{translate('tw.diff.source.eligibility')}</>;
  return <>{translate(`tw.diff.source.${change.section}`, { name: change.owner })}</>;
};

/** The changes (as the API words them) in the user's language, each with where it comes from. */
export const TierChanges = ({ changes, locale }: { changes: DefinitionChange[]; locale: LocaleCode }) => {
  const translate = useTranslate();
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          <TableCell>{translate('tw.diff.what')}</TableCell>
          <TableCell>{translate('tw.diff.from')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {changes.map((c, i) => (
          <TableRow
            key={`${c.path}:${i}`}
            data-testid="diff-change"
            data-path={c.path}
            data-section={c.section}
            sx={{ bgcolor: c.change === 'removed' ? 'rgba(211,47,47,0.06)' : c.change === 'added' ? 'rgba(46,125,50,0.08)' : 'rgba(237,108,2,0.08)' }}
          >
            <TableCell sx={{ fontWeight: 600 }}>{c.text[locale]}</TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>
              <Source change={c} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
