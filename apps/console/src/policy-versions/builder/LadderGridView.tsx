import { Alert, Box, Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useMemo } from 'react';
import { useLocaleState, useTranslate } from 'react-admin';
import { factLabel } from '../../common/labels';
import { localName } from '../../common/tierNames';
import { useFormatters } from '../../i18n/format';
import { ladderGrid, ladderTable } from '../model/ladder';
import { useBuilder } from './BuilderContext';

const COLORS = ['primary', 'secondary', 'success', 'info', 'warning'] as const;

/** A two-dimension scheme (loyalty × capacity) as a grid: which tier each pair of bands gets. Edited in the table. */
export const LadderGridView = () => {
  const { definition, facts } = useBuilder();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const format = useFormatters();
  const grid = useMemo(() => ladderGrid(ladderTable(definition), (n) => format.number(n)), [definition, format]);
  if (!grid) return <Alert severity="info">{translate('tw.ladder.noGrid')}</Alert>;
  return (
    <Box sx={{ overflowX: 'auto', contain: 'inline-size' }}>
      <Table size="small" data-testid="ladder-grid" sx={{ width: 'auto' }}>
        <TableHead>
          <TableRow>
            <TableCell>
              <Typography variant="caption">
                {factLabel(facts.get(grid.rowFact), grid.rowFact, locale)} ↓ · {factLabel(facts.get(grid.columnFact), grid.columnFact, locale)} →
              </Typography>
            </TableCell>
            {grid.columns.map((c) => (
              <TableCell key={c.label} align="center" sx={{ whiteSpace: 'nowrap' }}>
                {c.label}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {grid.rows.map((r, ri) => (
            <TableRow key={r.label}>
              <TableCell component="th" sx={{ whiteSpace: 'nowrap' }}>
                {r.label}
              </TableCell>
              {grid.columns.map((c, ci) => {
                const index = grid.cells[ri][ci];
                const tier = definition.tiers[index];
                return (
                  <TableCell key={c.label} align="center" data-testid="grid-cell" data-tier={tier?.key ?? ''}>
                    {tier ? (
                      <Chip size="small" color={COLORS[index % COLORS.length]} label={localName(tier, locale)} />
                    ) : (
                      <Typography variant="body2" color="text.secondary">
                        {translate('tw.tryIt.notRated')}
                      </Typography>
                    )}
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
