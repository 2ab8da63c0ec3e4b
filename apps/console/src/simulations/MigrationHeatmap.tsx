import { Box, Table, TableBody, TableCell, TableHead, TableRow, Tooltip, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { SimulationResult } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';
import { cell, movement, type TierAxis } from './tiers';

const TINT = { up: '46, 125, 50', down: '211, 47, 47', same: '25, 118, 210' } as const;

/** Baseline tier (rows) → candidate tier (columns); green = upgrade, red = downgrade; click a cell for its customers. */
export const MigrationHeatmap = ({
  result,
  axis,
  onSelect,
  corner,
}: {
  result: Pick<SimulationResult, 'matrix'>;
  axis: TierAxis[];
  onSelect(from: TierAxis, to: TierAxis): void;
  /** What rows and columns are (default: baseline ↓ · candidate →); rating runs show the official tier before → after. */
  corner?: string;
}) => {
  const translate = useTranslate();
  const format = useFormatters();
  const max = Math.max(1, ...axis.flatMap((f) => axis.map((t) => cell(result, f.key, t.key))));
  return (
    <Box sx={{ overflowX: 'auto', contain: 'inline-size' }}>
      <Table size="small" data-testid="migration-matrix">
        <TableHead>
          <TableRow>
            <TableCell>
              <Typography variant="caption">{corner ?? `${translate('tw.simulation.baseline')} ↓ · ${translate('tw.simulation.candidate')} →`}</Typography>
            </TableCell>
            {axis.map((to) => (
              <TableCell key={to.key} align="center">
                {to.name}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {axis.map((from) => (
            <TableRow key={from.key}>
              <TableCell component="th" scope="row">
                {from.name}
              </TableCell>
              {axis.map((to) => {
                const n = cell(result, from.key, to.key);
                const kind = movement(from, to);
                const alpha = n === 0 ? 0 : 0.12 + 0.78 * (n / max);
                return (
                  <Tooltip key={to.key} title={translate(`tw.simulation.move.${kind}`)}>
                    <TableCell
                      align="center"
                      data-testid="matrix-cell"
                      data-from={from.key}
                      data-to={to.key}
                      data-count={n}
                      onClick={n > 0 ? () => onSelect(from, to) : undefined}
                      sx={{
                        cursor: n > 0 ? 'pointer' : 'default',
                        backgroundColor: `rgba(${TINT[kind]}, ${alpha})`,
                        color: alpha > 0.55 ? 'common.white' : 'text.primary',
                        fontWeight: kind === 'same' ? 400 : 600,
                        minWidth: 72,
                      }}
                    >
                      {n ? format.number(n, 0) : '·'}
                    </TableCell>
                  </Tooltip>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
};
