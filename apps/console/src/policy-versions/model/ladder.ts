/**
 * The ladder table: a definition seen as one row per tier (in order) and one column per fact the
 * ladder compares, each cell the comparison(s) that tier makes on that fact. Named conditions are
 * resolved into the cells they feed (a cell remembers the path of the leaf it shows, so editing
 * it edits the named condition). Only what a table can show is taken: a tier's own group (all /
 * any, possibly behind a reference) and its direct comparisons or references to groups of the same
 * kind; anything deeper (nested groups, NOT, mixed kinds) is counted as `hidden` and stays for the
 * tree editor. The table never reshapes a definition: every edit is a value or operator at a leaf's path.
 *
 * The tree is read with the engine's walker (`walkCondition`, following references into the
 * definition's named conditions); the table stops it wherever a node is more than it can show.
 */
import type { Condition, LeafCondition, PolicyDefinition, TierDefinition } from '@tierwise/policy-engine';
import { getOperator } from './operators';
import { groupKind, type GroupKind } from './conditions';
import { conditionChildren, isGroup, isLeaf, Site, walkCondition } from './engine';
import type { Path } from './paths';

export interface LadderCell {
  /** Path of the leaf in the definition (inside the named condition when reached through one). */
  path: Path;
  leaf: LeafCondition;
  /** The named condition the cell lives in, if any (editing it changes every tier that uses it). */
  via?: string;
}

export type RowKind = 'catch-all' | GroupKind | 'single' | 'other';

export interface LadderRow {
  index: number;
  tier: TierDefinition;
  kind: RowKind;
  /** fact key → the tier's comparisons on it, in document order. */
  cells: Record<string, LadderCell[]>;
  /** Conditions of this tier the table does not show (edited in the tree). */
  hidden: number;
  /** Named conditions resolved into this row. */
  via: string[];
}

export interface LadderTable {
  /** Facts compared, in order of first use down the ladder. */
  columns: string[];
  rows: LadderRow[];
}

/** Operators a cell edits in place: comparisons with a number. */
export const INLINE_OPERATORS = ['greaterThanInclusive', 'greaterThan', 'lessThanInclusive', 'lessThan'] as const;
export const isInlineNumeric = (leaf: LeafCondition): boolean =>
  typeof leaf.value === 'number' && (INLINE_OPERATORS as readonly string[]).includes(leaf.operator);

function rowOf(definition: PolicyDefinition, tier: TierDefinition, index: number): LadderRow {
  const row: LadderRow = { index, tier, kind: 'catch-all', cells: {}, hidden: 0, via: [] };
  if (!tier.when) return row;
  const addLeaf = (leaf: LeafCondition, site: Site) => {
    const via = site.via[site.via.length - 1];
    (row.cells[leaf.fact] ??= []).push({ path: site.segments, leaf, ...(via ? { via } : {}) });
  };
  const hide = () => {
    row.hidden += 1;
    return false;
  };
  /** Depth of the tier's own group: 0, or 1 behind a reference at the root; -1 until seen. */
  let groupDepth = -1;
  let kind: GroupKind | null = null;
  walkCondition(
    tier.when,
    {
      reference(node, site, target) {
        if (site.depth === 0) {
          if (target === undefined) {
            row.kind = 'other';
            return hide();
          }
          return true; // the tier is a named condition: read that one
        }
        // a reference among the tier's comparisons reads as its own when it names a group of leaves of the same kind
        const k = target !== undefined && isGroup(target as Condition) ? groupKind(target as Condition) : null;
        const children = k ? conditionChildren(target as Condition) : [];
        if (site.depth === groupDepth + 1 && k && (k === kind || children.length === 1) && children.every(isLeaf)) {
          row.via.push(node.condition);
          return true;
        }
        return hide();
      },
      group(_node, k, site) {
        if (groupDepth < 0 && (site.depth === 0 || (site.depth === 1 && site.via.length === 1))) {
          groupDepth = site.depth;
          kind = k;
          row.kind = k;
          row.via.push(...site.via);
          return true;
        }
        if (site.depth === groupDepth + 2 && site.via.length > 0) return true; // the group behind an accepted reference
        return hide();
      },
      leaf(node, site) {
        if (groupDepth < 0) {
          row.kind = 'single';
          addLeaf(node, site);
        } else if (site.depth === groupDepth + 1 || site.depth === groupDepth + 3) addLeaf(node, site);
        else hide();
      },
      not(_node, site) {
        if (site.depth === 0) row.kind = 'other';
        return hide();
      },
      invalid: () => {
        hide();
      },
    },
    { at: Site.at(['tiers', index, 'when']), named: definition.conditions },
  );
  return row;
}

export function ladderTable(definition: PolicyDefinition): LadderTable {
  const rows = definition.tiers.map((tier, i) => rowOf(definition, tier, i));
  const columns: string[] = [];
  for (const row of rows) for (const fact of Object.keys(row.cells)) if (!columns.includes(fact)) columns.push(fact);
  return { columns, rows };
}

/** How a cell reads: "≥ 1,000,000"; `format` writes the number in the user's locale. */
export function cellText(leaf: LeafCondition, format: (n: number) => string, locale: string, yesNo: (b: boolean) => string): string {
  const population = populationText(leaf, format, locale);
  if (population !== null) return population;
  const op = getOperator(leaf.operator);
  const value = leaf.value;
  const shown = (v: unknown): string =>
    typeof v === 'number'
      ? format(v)
      : typeof v === 'boolean'
        ? yesNo(v)
        : Array.isArray(v)
          ? v.map(shown).join(', ')
          : typeof v === 'string'
            ? v
            : JSON.stringify(v);
  const symbol = op ? (['=', '≠', '<', '≤', '>', '≥'].includes(op.symbol) ? op.symbol : locale === 'en' ? op.label : op.labelZh) : leaf.operator;
  return `${symbol} ${shown(value)}`;
}

/**
 * A population condition as the ladder shows it (contract §10): 前 20% / top 20%, ≥ 总额的 70% / ≥ 70% of total
 * (累计前 70% / first 70% of total when cumulative), 第 4 档及以上（共 5 档）/ quantile ≥ 4 of 5; per group and
 * lowest-first noted. Null for other operators.
 */
export function populationText(leaf: LeafCondition, format: (n: number) => string, locale: string): string | null {
  const en = locale === 'en';
  const p = (leaf.params ?? {}) as { quantiles?: number; best?: string; cumulative?: boolean; groupBy?: string };
  const v = typeof leaf.value === 'number' ? format(leaf.value) : String(leaf.value);
  let text: string;
  switch (leaf.operator) {
    case 'topPercent':
      text = en ? `top ${v}%` : `前 ${v}%`;
      break;
    case 'shareOfTotalAtLeast':
      text = p.cumulative ? (en ? `first ${v}% of total` : `累计前 ${v}%`) : en ? `≥ ${v}% of total` : `≥ 总额的 ${v}%`;
      break;
    case 'quantileAtLeast':
      text = en ? `quantile ≥ ${v} of ${p.quantiles ?? '?'}` : `第 ${v} 档及以上（共 ${p.quantiles ?? '?'} 档）`;
      break;
    default:
      return null;
  }
  const notes: string[] = [];
  if (p.best === 'lowest') notes.push(en ? 'lowest first' : '越低越好');
  if (p.groupBy) notes.push(en ? `per ${p.groupBy}` : `按 ${p.groupBy}`);
  return notes.length === 0 ? text : en ? `${text} (${notes.join(', ')})` : `${text}（${notes.join('，')}）`;
}

/**
 * The Chinese reading of an amount: 1,000,000 → "100万", 250,000,000 → "2.5亿"; `null` below 1万.
 * (Intl's compact notation gives 万/亿 only in zh locales; bank users read thresholds this way in every language.)
 */
export function wanYi(value: number): string | null {
  const abs = Math.abs(value);
  if (abs < 10_000) return null;
  const [unit, size] = abs >= 100_000_000 ? ['亿', 100_000_000] : ['万', 10_000];
  const n = value / size;
  return `${Number.isInteger(n) ? n : Number(n.toFixed(4)).toString()}${unit}`;
}

// ---- the 2-D grid (two-dimension schemes: loyalty × capacity) ------------------------------------

export interface GridBand {
  /** How the band reads ("≥ 8", "5 – 8", "< 5", or an enum value). */
  label: string;
  /** A value inside the band, for placing it on the ladder. */
  sample: unknown;
}

export interface LadderGrid {
  rowFact: string;
  columnFact: string;
  rows: GridBand[];
  columns: GridBand[];
  /** cells[r][c]: index of the tier a customer in that row and column band gets (-1: none, not rated). */
  cells: number[][];
}

function bandsOf(leaves: LeafCondition[], format: (n: number) => string): GridBand[] | null {
  if (leaves.every(isInlineNumeric)) {
    const cuts = [...new Set(leaves.map((l) => l.value as number))].sort((a, b) => b - a);
    const bands: GridBand[] = [];
    cuts.forEach((cut, i) => {
      const upper = cuts[i - 1];
      bands.push({
        label: upper === undefined ? `≥ ${format(cut)}` : `${format(cut)} – ${format(upper)}`,
        sample: upper === undefined ? cut + Math.max(1, Math.abs(cut)) : (cut + upper) / 2,
      });
    });
    const lowest = cuts[cuts.length - 1];
    bands.push({ label: `< ${format(lowest)}`, sample: lowest - Math.max(1, Math.abs(lowest)) });
    return bands;
  }
  if (leaves.every((l) => l.operator === 'equal' && (typeof l.value === 'string' || typeof l.value === 'boolean'))) {
    return [...new Set(leaves.map((l) => l.value as string | boolean))].map((v) => ({ label: String(v), sample: v }));
  }
  return null;
}

const holds = (leaf: LeafCondition, value: unknown): boolean => getOperator(leaf.operator)?.evaluate(value, leaf.value) ?? false;

/**
 * The ladder as a grid when it is a two-dimension scheme: exactly two columns, and every tier
 * (but a catch-all) all-of one comparison on each, numbers or enum values. Each cell is the
 * first tier (ladder order) whose two comparisons hold for that pair of bands, using the engine's
 * operators. `null` when the ladder is not of that shape.
 */
export function ladderGrid(table: LadderTable, format: (n: number) => string): LadderGrid | null {
  if (table.columns.length !== 2) return null;
  const [rowFact, columnFact] = table.columns;
  const rated = table.rows.filter((r) => r.kind !== 'catch-all');
  const shaped = rated.every((r) => r.kind === 'all' && r.hidden === 0 && r.cells[rowFact]?.length === 1 && r.cells[columnFact]?.length === 1);
  if (!rated.length || !shaped) return null;
  const rows = bandsOf(
    rated.map((r) => r.cells[rowFact][0].leaf),
    format,
  );
  const columns = bandsOf(
    rated.map((r) => r.cells[columnFact][0].leaf),
    format,
  );
  if (!rows || !columns) return null;
  const catchAll = table.rows.find((r) => r.kind === 'catch-all');
  const cells = rows.map((rb) =>
    columns.map((cb) => {
      const hit = rated.find((r) => holds(r.cells[rowFact][0].leaf, rb.sample) && holds(r.cells[columnFact][0].leaf, cb.sample));
      return hit ? hit.index : (catchAll?.index ?? -1);
    }),
  );
  return { rowFact, columnFact, rows, columns, cells };
}
