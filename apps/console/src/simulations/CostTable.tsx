import { Alert, Box, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useGetList, useLocaleState, useTranslate } from 'react-admin';
import { localName } from '../common/tierNames';
import type { SimulationResult } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';
import type { TierAxis } from './tiers';

const signed = (n: number, money: (v: number) => string) => `${n > 0 ? '+' : ''}${money(n)}`;
const changeColor = (n: number) => ({ color: n > 0 ? 'error.main' : n < 0 ? 'success.main' : undefined });

/** One of the two bills: a title, a first column, a second right-aligned one, then baseline, candidate and change. */
const CostSection = ({ title, testId, first, second, children }: { title: string; testId: string; first: string; second: string; children: ReactNode }) => {
  const translate = useTranslate();
  return (
    <Box sx={{ overflowX: 'auto', contain: 'inline-size' }}>
      <Typography variant="subtitle2">{translate(title)}</Typography>
      <Table size="small" data-testid={testId}>
        <TableHead>
          <TableRow>
            <TableCell>{translate(first)}</TableCell>
            <TableCell align="right">{translate(second)}</TableCell>
            <TableCell align="right">{translate('tw.simulation.baseline')}</TableCell>
            <TableCell align="right">{translate('tw.simulation.candidate')}</TableCell>
            <TableCell align="right">{translate('tw.simulation.change')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>{children}</TableBody>
      </Table>
    </Box>
  );
};

/** The benefit bill per tier and per package, baseline → candidate, as the API computed it. */
export const CostTable = ({ result, axis }: { result: SimulationResult; axis: TierAxis[] }) => {
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  const packages = useGetList<{ id: string; key: string; name: string; nameEn?: string }>('benefit-packages', {
    pagination: { page: 1, perPage: 1000 },
    sort: { field: 'key', order: 'ASC' },
  });
  const cost = result.cost;
  if (!cost) return null;
  const packageName = (key: string, fallback: string) => {
    const p = packages.data?.find((x) => x.key === key);
    return p ? localName(p, locale) : fallback;
  };
  const tierName = (key: string) => axis.find((a) => a.key === key)?.name ?? result.tiers.find((t) => t.key === key)?.name ?? key;
  return (
    <Stack spacing={2}>
      <CostSection title="tw.simulation.costPerTier" testId="cost-per-tier" first="tw.simulation.tier" second="tw.simulation.unitCost">
        {cost.tiers.map((t) => (
          <TableRow key={t.key} data-testid="cost-tier" data-tier={t.key} data-candidate={t.candidateCost}>
            <TableCell>{tierName(t.key)}</TableCell>
            <TableCell align="right">{t.unitCost === null ? '—' : format.money(t.unitCost)}</TableCell>
            <TableCell align="right">{format.money(t.baselineCost)}</TableCell>
            <TableCell align="right">{format.money(t.candidateCost)}</TableCell>
            <TableCell align="right" sx={changeColor(t.change)}>
              {signed(t.change, format.money)}
            </TableCell>
          </TableRow>
        ))}
      </CostSection>
      <CostSection title="tw.simulation.costPerPackage" testId="cost-per-package" first="tw.builder.benefitPackage" second="tw.simulation.customers">
        {cost.packages.map((p) => (
          <TableRow key={p.key} data-testid="cost-package" data-package={p.key} data-candidate={p.candidateCost}>
            <TableCell>{packageName(p.key, p.name)}</TableCell>
            <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
              {format.number(p.baselineCustomers, 0)} → {format.number(p.candidateCustomers, 0)}
            </TableCell>
            <TableCell align="right">{format.money(p.baselineCost)}</TableCell>
            <TableCell align="right">{format.money(p.candidateCost)}</TableCell>
            <TableCell align="right" sx={changeColor(p.change)}>
              {signed(p.change, format.money)}
            </TableCell>
          </TableRow>
        ))}
        <TableRow>
          <TableCell sx={{ fontWeight: 600 }}>{translate('tw.simulation.total')}</TableCell>
          <TableCell />
          <TableCell align="right" sx={{ fontWeight: 600 }}>
            {format.money(cost.baseline)}
          </TableCell>
          <TableCell align="right" sx={{ fontWeight: 600 }}>
            {format.money(cost.candidate)}
          </TableCell>
          <TableCell align="right" sx={{ fontWeight: 600, ...changeColor(cost.change) }}>
            {signed(cost.change, format.money)}
          </TableCell>
        </TableRow>
      </CostSection>
      {!!cost.benefitsWithoutUnitCost?.length && (
        <Alert severity="info">{translate('tw.simulation.noUnitCost', { benefits: cost.benefitsWithoutUnitCost.join(', ') })}</Alert>
      )}
    </Stack>
  );
};
