import { Box, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { SimulationGroup } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';
import { count, type TierAxis } from './tiers';

const groupName = (g: SimulationGroup) => (typeof g.group === 'string' ? g.group : Object.values(g.group).map(String).join(' / '));

/** Per group (e.g. region × age band): each tier's count before → after. */
export const GroupTable = ({ groups, axis }: { groups: SimulationGroup[]; axis: TierAxis[] }) => {
  const translate = useTranslate();
  const format = useFormatters();
  return (
    <Box sx={{ overflowX: 'auto', contain: 'inline-size' }}>
      <Table size="small" data-testid="group-table">
        <TableHead>
          <TableRow>
            <TableCell>{translate('tw.simulation.group')}</TableCell>
            {axis.map((t) => (
              <TableCell key={t.key} align="right">
                {t.name}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {groups.map((g) => (
            <TableRow key={groupName(g)}>
              <TableCell>{groupName(g)}</TableCell>
              {axis.map((t) => {
                const before = count(g.baseline, t.key);
                const after = count(g.candidate, t.key);
                return (
                  <TableCell key={t.key} align="right" sx={{ color: after > before ? 'success.main' : after < before ? 'error.main' : undefined }}>
                    {format.number(before, 0)} → {format.number(after, 0)}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
};
