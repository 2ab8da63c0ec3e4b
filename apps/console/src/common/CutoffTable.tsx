import { Card, CardContent, CardHeader, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { LeafCondition } from '@tierwise/policy-engine';
import { useLocaleState, useTranslate } from 'react-admin';
import { useFormatters } from '../i18n/format';
import { populationText } from '../policy-versions/model/ladder';

/** The frozen cut-offs of a run's (or simulation's) population conditions, as the API answers them (contract §10). */
export interface CutoffsView {
  asOf: string | null;
  population: number;
  cuts: {
    key: string;
    fact: string;
    operator: string;
    value: number;
    params: Record<string, unknown>;
    groups: { group?: string | number | boolean | null; population: number; cutoff: number | null; qualifying: number; total?: number }[];
  }[];
}

/** How a simulation's cut-offs would move against the last applied run's. */
export interface CutoffMoveView {
  key: string;
  group?: string | number | boolean | null;
  before: number | null;
  after: number | null;
}

/**
 * One row per condition and group: the condition (前 20% of 利润), the value at the cut, the customers ranked and at
 * or beyond it (ties included) and, for a simulation, the value of the last applied run beside it.
 */
export const CutoffTable = ({ cutoffs, moves, factLabel }: { cutoffs: CutoffsView; moves?: CutoffMoveView[]; factLabel(key: string): string }) => {
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  const n = (v: number | null | undefined) => (v === null || v === undefined ? '—' : format.number(v));
  const before = (key: string, group: unknown) => moves?.find((m) => m.key === key && (m.group ?? null) === (group ?? null))?.before;
  return (
    <Card variant="outlined" data-testid="cutoffs">
      <CardHeader
        title={translate('tw.population.cutoffs')}
        subheader={translate('tw.population.cutoffsHelp', { asOf: cutoffs.asOf ?? '—', population: format.number(cutoffs.population) })}
      />
      <CardContent>
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('tw.population.condition')}</TableCell>
              <TableCell>{translate('tw.population.group')}</TableCell>
              <TableCell align="right">{translate('tw.population.cutoff')}</TableCell>
              {moves && <TableCell align="right">{translate('tw.population.lastApplied')}</TableCell>}
              <TableCell align="right">{translate('tw.population.ranked')}</TableCell>
              <TableCell align="right">{translate('tw.population.qualifying')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {cutoffs.cuts.flatMap((c) =>
              c.groups.map((g, i) => (
                <TableRow key={`${c.key}-${i}`} data-testid="cutoff-row" data-key={c.key}>
                  <TableCell>
                    {factLabel(c.fact)}{' '}
                    {populationText({ fact: c.fact, operator: c.operator, value: c.value, params: c.params } as LeafCondition, (x) => format.number(x), locale)}
                  </TableCell>
                  <TableCell>{g.group === undefined ? '—' : String(g.group ?? translate('tw.population.noGroup'))}</TableCell>
                  <TableCell align="right">
                    <Typography variant="body2" sx={{ fontWeight: 600 }}>
                      {n(g.cutoff)}
                    </Typography>
                  </TableCell>
                  {moves && <TableCell align="right">{n(before(c.key, g.group))}</TableCell>}
                  <TableCell align="right">{format.number(g.population)}</TableCell>
                  <TableCell align="right">{format.number(g.qualifying)}</TableCell>
                </TableRow>
              )),
            )}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
};
