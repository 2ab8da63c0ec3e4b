import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslate } from 'react-admin';
import type { SimulationResult } from '../dataProvider/types';
import { useFormatters } from '../i18n/format';
import { count, type TierAxis } from './tiers';

/** Splits a label into lines of at most `max` characters at spaces (CJK text, which has none, by characters). */
export function wrapLabel(text: string, max: number): string[] {
  const words = /\s/.test(text) ? text.split(/\s+/) : Array.from(text);
  const joiner = /\s/.test(text) ? ' ' : '';
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    const next = line ? `${line}${joiner}${w}` : w;
    if (next.length > max && line) {
      lines.push(line);
      line = w;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** An x-axis label wrapped onto several lines, so every tier's name shows in full. */
const TierTick = ({ x, y, payload, max }: { x?: number; y?: number; payload?: { value: string }; max: number }) => (
  <text x={x} y={y} textAnchor="middle" fontSize={12} fill="#666" data-testid="chart-tick">
    {wrapLabel(payload?.value ?? '', max).map((line, i) => (
      <tspan key={i} x={x} dy={14}>
        {line}
      </tspan>
    ))}
  </text>
);

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
          <XAxis dataKey="tier" interval={0} height={64} tick={<TierTick max={Math.max(6, Math.floor(90 / Math.max(1, data.length)) + 8)} />} />
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
