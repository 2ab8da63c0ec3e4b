import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslate } from 'react-admin';
import type { SimulationResult } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';
import { count, type TierAxis } from './tiers';

/** Customers per tier, baseline next to candidate. */
export const TierDistributionChart = ({ result, axis }: { result: SimulationResult; axis: TierAxis[] }) => {
  const translate = useTranslate();
  const format = useFormatters();
  const data = axis.map((t) => ({ tier: t.name, baseline: count(result.baseline, t.key), candidate: count(result.candidate, t.key) }));
  const animate = !navigator.webdriver;
  return (
    <div data-testid="tier-chart" style={{ width: '100%', height: 320 }}>
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 10, right: 20, bottom: 10, left: 10 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="tier" />
          <YAxis tickFormatter={(v: number) => format.number(v, 0)} />
          <Tooltip formatter={(v) => format.number(Number(v), 0)} />
          <Legend />
          <Bar dataKey="baseline" name={translate('tw.simulation.baseline')} fill="#90a4ae" isAnimationActive={animate} />
          <Bar dataKey="candidate" name={translate('tw.simulation.candidate')} fill="#1976d2" isAnimationActive={animate} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
};
