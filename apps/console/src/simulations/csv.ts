import type { SimulationResult } from '../dataProvider/types';
import { cell, count, type TierAxis } from './tiers';

const quote = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const line = (cells: unknown[]) => cells.map(quote).join(',');

/** The whole report as CSV: distribution, migration matrix, then per-group counts (UTF-8 with BOM for Excel). */
export function simulationCsv(
  result: SimulationResult,
  axis: TierAxis[],
  labels: { tier: string; baseline: string; candidate: string; group: string },
): string {
  const rows: string[] = [line([labels.tier, labels.baseline, labels.candidate])];
  for (const t of axis) rows.push(line([t.name, count(result.baseline, t.key), count(result.candidate, t.key)]));
  rows.push('', line([`${labels.baseline} \\ ${labels.candidate}`, ...axis.map((t) => t.name)]));
  for (const from of axis) rows.push(line([from.name, ...axis.map((to) => cell(result, from.key, to.key))]));
  if (result.groups?.length) {
    rows.push('', line([labels.group, ...axis.flatMap((t) => [`${t.name} (${labels.baseline})`, `${t.name} (${labels.candidate})`])]));
    for (const g of result.groups) {
      const name = typeof g.group === 'string' ? g.group : Object.values(g.group).join(' / ');
      rows.push(line([name, ...axis.flatMap((t) => [count(g.baseline, t.key), count(g.candidate, t.key)])]));
    }
  }
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}
