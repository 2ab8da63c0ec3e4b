import type { Cell, Table } from '../common/export';
import { withTierCosts, type StoredSimulationResult } from './simulation-result';
import { NOT_RATED } from './simulation-spec';

export type ReportLanguage = 'zh-CN' | 'en';

const WORDS: Record<ReportLanguage, Record<string, string>> = {
  en: {
    section: 'Section',
    row: 'Row',
    column: 'Column',
    baseline: 'Baseline',
    candidate: 'Candidate',
    change: 'Change',
    distribution: 'Customers per tier',
    matrix: 'Migration (baseline → candidate)',
    tierCost: 'Benefit cost per tier (CNY)',
    packageCost: 'Benefit cost per package (CNY)',
    group: 'By group',
    total: 'Total',
    notRated: 'Not rated',
  },
  'zh-CN': {
    section: '部分',
    row: '行',
    column: '列',
    baseline: '基准',
    candidate: '候选',
    change: '变化',
    distribution: '各等级客户数',
    matrix: '迁移（基准 → 候选）',
    tierCost: '各等级权益成本（元）',
    packageCost: '各权益包成本（元）',
    group: '分组',
    total: '合计',
    notRated: '不评级',
  },
};

/**
 * A simulation's report as one tidy table (section, row, column, baseline, candidate, change), for
 * CSV and XLSX through the one writer: per-tier counts, the migration matrix, the benefit cost per
 * tier and per package, and per-group counts. The same figures as the report on screen.
 */
export function reportTable(result: StoredSimulationResult, lang: ReportLanguage): Table {
  const w = WORDS[lang];
  const name = (key: string) => {
    if (key === NOT_RATED) return w.notRated;
    const t = result.tiers.find((x) => x.key === key);
    return t ? (lang === 'en' && t.nameEn) || t.name : key;
  };
  const keys = [...result.tiers.map((t) => t.key), NOT_RATED];
  const rows: Cell[][] = [];
  for (const k of keys) {
    const b = result.baseline[k] ?? 0;
    const c = result.candidate[k] ?? 0;
    rows.push([w.distribution, name(k), null, b, c, c - b]);
  }
  rows.push([w.distribution, w.total, null, result.total, result.total, 0]);
  for (const from of keys) for (const to of keys) rows.push([w.matrix, name(from), name(to), null, result.matrix[from]?.[to] ?? 0, null]);
  if (result.cost) {
    for (const t of withTierCosts(result).cost?.tiers ?? []) rows.push([w.tierCost, name(t.key), null, t.baselineCost, t.candidateCost, t.change]);
    for (const p of result.cost.packages) rows.push([w.packageCost, p.name, null, p.baselineCost, p.candidateCost, p.change]);
    rows.push([w.packageCost, w.total, null, result.cost.baseline, result.cost.candidate, result.cost.change]);
  }
  for (const g of result.groups) {
    const label = Object.values(g.group)
      .map((v) => (v === null ? '—' : String(v)))
      .join(' / ');
    for (const k of keys) {
      const b = g.baseline[k] ?? 0;
      const c = g.candidate[k] ?? 0;
      rows.push([w.group, label, name(k), b, c, c - b]);
    }
  }
  return { header: [w.section, w.row, w.column, w.baseline, w.candidate, w.change], rows, sheetName: lang === 'en' ? 'report' : '报告' };
}
