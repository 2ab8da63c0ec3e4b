import type { datasets } from '@tierwise/contract';
import type { ProjectionOption, TierDefinition } from '@tierwise/policy-engine';
import type { z } from 'zod';
import type { PartSummary, SampleRow } from './chunk-evaluator';
import { NOT_RATED, SAMPLES_PER_CELL, SimulationSpec, VersionSnapshot } from './simulation-spec';

/**
 * Merging chunk summaries into the run's result, and the rules of the report:
 *
 * - Tier keys identify tiers across the two versions. Upgrades and downgrades compare positions on
 *   one merged ladder: the candidate's tiers in order, with each tier only the baseline has placed
 *   right after the baseline tier above it (or first). Not rated (`"null"`) is below every tier.
 *   So PLATINUM → GOLD is a downgrade, a customer keeping the same tier key is unchanged even if
 *   a new tier was added above it, and rated → not rated is a downgrade.
 * - Counts and the matrix list every tier of each version plus `"null"`, zeros included.
 * - Benefit cost: per version, Σ over its tiers of customers × the unit cost of the tier's package
 *   (the sum of its benefits' `unitCost`), from that version's own catalog (frozen when published,
 *   live for a draft at the moment the run was created). `null` when no benefit has a unit cost.
 */

/** A tier of the merged ladder: `rank` 1 = best, each side's rank and package (the contract's SimulationTier). */
export type LadderTier = z.infer<typeof datasets.SimulationTier>;

export function mergeLadder(baseline: TierDefinition[], candidate: TierDefinition[]): LadderTier[] {
  const ladder: Omit<LadderTier, 'rank'>[] = candidate.map((t, i) => ({
    key: t.key,
    name: t.name,
    nameEn: t.nameEn,
    baselineRank: null,
    candidateRank: i + 1,
    baselinePackage: null,
    candidatePackage: t.benefitPackage ?? null,
  }));
  let last = -1;
  baseline.forEach((t, i) => {
    let at = ladder.findIndex((x) => x.key === t.key);
    if (at === -1) {
      at = last + 1;
      ladder.splice(at, 0, {
        key: t.key,
        name: t.name,
        nameEn: t.nameEn,
        baselineRank: null,
        candidateRank: null,
        baselinePackage: null,
        candidatePackage: null,
      });
    }
    ladder[at].baselineRank = i + 1;
    ladder[at].baselinePackage = t.benefitPackage ?? null;
    last = at;
  });
  return ladder.map((t, i) => ({ ...t, rank: i + 1 }));
}

export interface MergedParts {
  rows: number;
  matrix: number[];
  ineligible: [number, number];
  groups: Map<string, { values: unknown[]; matrix: number[] }>;
  samples: Map<number, SampleRow[]>;
}

/** Sum chunk summaries (in any order: the result does not depend on which worker did what). */
export function mergeParts(spec: SimulationSpec, parts: PartSummary[]): MergedParts {
  const nB = spec.baseline.definition.tiers.length + 1;
  const nC = spec.candidate.definition.tiers.length + 1;
  const matrix = new Array<number>(nB * nC).fill(0);
  const ineligible: [number, number] = [0, 0];
  const groups = new Map<string, { values: unknown[]; matrix: number[] }>();
  const samples = new Map<number, SampleRow[]>();
  let rows = 0;
  for (const p of parts) {
    rows += p.rows;
    p.matrix.forEach((n, i) => (matrix[i] += n));
    ineligible[0] += p.ineligible[0];
    ineligible[1] += p.ineligible[1];
    for (const g of p.groups) {
      const key = JSON.stringify(g.values);
      const into = groups.get(key);
      if (into) g.matrix.forEach((n, i) => (into.matrix[i] += n));
      else groups.set(key, { values: g.values, matrix: [...g.matrix] });
    }
    for (const s of p.samples) {
      const cell = s.b * nC + s.c;
      const list = samples.get(cell) ?? [];
      list.push(...s.rows);
      samples.set(cell, list);
    }
  }
  for (const [cell, list] of samples) samples.set(cell, list.sort((a, b) => a.row - b.row).slice(0, SAMPLES_PER_CELL));
  return { rows, matrix, ineligible, groups, samples };
}

const keyOf = (v: VersionSnapshot, index: number) => (index < v.definition.tiers.length ? v.definition.tiers[index].key : NOT_RATED);

interface Movement {
  upgrades: number;
  downgrades: number;
  unchanged: number;
}

function movementOf(spec: SimulationSpec, ladder: LadderTier[], matrix: number[]): Movement {
  const nB = spec.baseline.definition.tiers.length + 1;
  const nC = spec.candidate.definition.tiers.length + 1;
  const rank = new Map(ladder.map((t) => [t.key, t.rank]));
  const rankOf = (key: string) => (key === NOT_RATED ? Infinity : (rank.get(key) as number));
  const out: Movement = { upgrades: 0, downgrades: 0, unchanged: 0 };
  for (let b = 0; b < nB; b++) {
    for (let c = 0; c < nC; c++) {
      const n = matrix[b * nC + c];
      if (!n) continue;
      const rb = rankOf(keyOf(spec.baseline, b));
      const rc = rankOf(keyOf(spec.candidate, c));
      if (rc < rb) out.upgrades += n;
      else if (rc > rb) out.downgrades += n;
      else out.unchanged += n;
    }
  }
  return out;
}

function counts(spec: SimulationSpec, matrix: number[]): { baseline: Record<string, number>; candidate: Record<string, number> } {
  const nB = spec.baseline.definition.tiers.length + 1;
  const nC = spec.candidate.definition.tiers.length + 1;
  const baseline: Record<string, number> = {};
  const candidate: Record<string, number> = {};
  for (let b = 0; b < nB; b++) baseline[keyOf(spec.baseline, b)] = 0;
  for (let c = 0; c < nC; c++) candidate[keyOf(spec.candidate, c)] = 0;
  for (let b = 0; b < nB; b++) {
    for (let c = 0; c < nC; c++) {
      const n = matrix[b * nC + c];
      baseline[keyOf(spec.baseline, b)] += n;
      candidate[keyOf(spec.candidate, c)] += n;
    }
  }
  return { baseline, candidate };
}

/** `{fromTier: {toTier: n}}`; `full` lists every cell (zeros too), otherwise only non-zero cells. */
function matrixView(spec: SimulationSpec, matrix: number[], full: boolean): Record<string, Record<string, number>> {
  const nB = spec.baseline.definition.tiers.length + 1;
  const nC = spec.candidate.definition.tiers.length + 1;
  const out: Record<string, Record<string, number>> = {};
  for (let b = 0; b < nB; b++) {
    const row: Record<string, number> = {};
    for (let c = 0; c < nC; c++) {
      const n = matrix[b * nC + c];
      if (full || n) row[keyOf(spec.candidate, c)] = n;
    }
    if (full || Object.keys(row).length) out[keyOf(spec.baseline, b)] = row;
  }
  return out;
}

/** A package's bill, per side; the shape the contract declares (one definition for the API and the console). */
type PackageCost = z.infer<typeof datasets.SimulationPackageCost>;

/** A tier's benefit bill: its customers × the unit cost of its package, per side (0 where the side has no such tier or package). */
export type TierCost = z.infer<typeof datasets.SimulationTierCost>;

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Per tier of the merged ladder, from the packages' unit costs and the tier counts: the one per-tier bill (API, report, console). */
export function tierCosts(
  ladder: Pick<LadderTier, 'key' | 'baselinePackage' | 'candidatePackage'>[],
  packages: Pick<PackageCost, 'key' | 'baselineUnitCost' | 'candidateUnitCost'>[],
  tierCounts: { baseline: Record<string, number>; candidate: Record<string, number> },
): TierCost[] {
  const byKey = new Map(packages.map((p) => [p.key, p]));
  return ladder.map((t) => {
    const b = t.baselinePackage ? byKey.get(t.baselinePackage) : undefined;
    const c = t.candidatePackage ? byKey.get(t.candidatePackage) : undefined;
    const baselineCost = round2((b?.baselineUnitCost ?? 0) * (tierCounts.baseline[t.key] ?? 0));
    const candidateCost = round2((c?.candidateUnitCost ?? 0) * (tierCounts.candidate[t.key] ?? 0));
    return {
      key: t.key,
      unitCost: c?.candidateUnitCost ?? b?.baselineUnitCost ?? null,
      baselineCost,
      candidateCost,
      change: round2(candidateCost - baselineCost),
    };
  });
}

function costOf(spec: SimulationSpec, ladder: LadderTier[], tierCounts: { baseline: Record<string, number>; candidate: Record<string, number> }) {
  const packages = new Map<string, PackageCost>();
  const withoutCost = new Set<string>();
  let anyCost = false;
  const side = (v: VersionSnapshot, which: 'baseline' | 'candidate') => {
    for (const tier of v.definition.tiers) {
      if (!tier.benefitPackage) continue;
      const pkg = v.packages[tier.benefitPackage];
      const customers = tierCounts[which][tier.key] ?? 0;
      let unit = 0;
      for (const b of pkg?.benefits ?? []) {
        if (typeof b.unitCost === 'number') {
          unit += b.unitCost;
          anyCost = true;
        } else {
          withoutCost.add(b.key);
        }
      }
      const entry =
        packages.get(tier.benefitPackage) ??
        ({
          key: tier.benefitPackage,
          name: pkg?.name ?? tier.benefitPackage,
          baselineUnitCost: null,
          candidateUnitCost: null,
          baselineCustomers: 0,
          candidateCustomers: 0,
          baselineCost: 0,
          candidateCost: 0,
          change: 0,
        } as PackageCost);
      if (which === 'baseline') {
        entry.baselineUnitCost = unit;
        entry.baselineCustomers += customers;
        entry.baselineCost = round2(entry.baselineCost + unit * customers);
      } else {
        entry.candidateUnitCost = unit;
        entry.candidateCustomers += customers;
        entry.candidateCost = round2(entry.candidateCost + unit * customers);
      }
      packages.set(tier.benefitPackage, entry);
    }
  };
  side(spec.baseline, 'baseline');
  side(spec.candidate, 'candidate');
  if (!anyCost) return null;
  const list = [...packages.values()].map((p) => ({ ...p, change: round2(p.candidateCost - p.baselineCost) }));
  const baseline = round2(list.reduce((s, p) => s + p.baselineCost, 0));
  const candidate = round2(list.reduce((s, p) => s + p.candidateCost, 0));
  return {
    currency: 'CNY',
    baseline,
    candidate,
    change: round2(candidate - baseline),
    changePct: baseline ? round2(((candidate - baseline) / baseline) * 100) : null,
    packages: list,
    tiers: tierCosts(ladder, list, tierCounts),
    benefitsWithoutUnitCost: [...withoutCost].sort(),
  };
}

/**
 * A result as the API answers it: results stored before the API gave the per-tier bill
 * (`cost.tiers`) get it from their own packages and counts, so every reader sees the same figures.
 */
export function withTierCosts<T extends StoredSimulationResult>(result: T): T & SimulationResult {
  const cost = result.cost;
  if (!cost) return { ...result, cost: null };
  return { ...result, cost: { ...cost, tiers: cost.tiers ?? tierCosts(result.tiers, cost.packages, result) } };
}

export interface ExplainedSample extends SampleRow {
  baselineTier: string | null;
  candidateTier: string | null;
  /** The candidate's decision in plain language (zh-CN and en), from json-rules-engine's trace. */
  explanation: Record<string, string[]>;
  baselineExplanation: Record<string, string[]>;
  /** Under the candidate: the next better tier and each single change that reaches it (contract §9), with its explanation. */
  next: { tier: { key: string; name: string; nameEn?: string; rank: number }; options: ProjectionOption[]; explanation: Record<string, string[]> } | null;
}

export const MAX_GROUPS_SHOWN = 1000;

function compareValues(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] === null) return 1;
    if (b[i] === null) return -1;
    return String(a[i]) < String(b[i]) ? -1 : 1;
  }
  return 0;
}

/** The `result` of a succeeded run (contract §5), from the merged parts and the explained samples. */
export function buildResult(spec: SimulationSpec, merged: MergedParts, samples: Map<number, ExplainedSample[]>) {
  const ladder = mergeLadder(spec.baseline.definition.tiers, spec.candidate.definition.tiers);
  const nC = spec.candidate.definition.tiers.length + 1;
  const tierCounts = counts(spec, merged.matrix);
  const move = movementOf(spec, ladder, merged.matrix);
  const notRated = (which: 'baseline' | 'candidate', i: 0 | 1) => ({
    ineligible: merged.ineligible[i],
    noTierMatched: tierCounts[which][NOT_RATED] - merged.ineligible[i],
  });

  let groups = [...merged.groups.values()].map((g) => {
    const c = counts(spec, g.matrix);
    return {
      group: Object.fromEntries(spec.groupBy.map((k, i) => [k, g.values[i]])),
      total: g.matrix.reduce((s, n) => s + n, 0),
      baseline: c.baseline,
      candidate: c.candidate,
      ...movementOf(spec, ladder, g.matrix),
      matrix: matrixView(spec, g.matrix, false),
      values: g.values,
    };
  });
  const groupsOmitted = Math.max(0, groups.length - MAX_GROUPS_SHOWN);
  if (groupsOmitted) groups = groups.sort((a, b) => b.total - a.total).slice(0, MAX_GROUPS_SHOWN);
  groups.sort((a, b) => compareValues(a.values, b.values));

  const sampleView: Record<string, Record<string, ExplainedSample[]>> = {};
  for (const [cell, list] of samples) {
    const from = keyOf(spec.baseline, Math.floor(cell / nC));
    const to = keyOf(spec.candidate, cell % nC);
    (sampleView[from] ??= {})[to] = list;
  }

  return {
    total: merged.rows,
    notRatedKey: NOT_RATED,
    tiers: ladder,
    baseline: tierCounts.baseline,
    candidate: tierCounts.candidate,
    matrix: matrixView(spec, merged.matrix, true),
    upgrades: move.upgrades,
    downgrades: move.downgrades,
    unchanged: move.unchanged,
    notRated: { baseline: notRated('baseline', 0), candidate: notRated('candidate', 1) },
    groupBy: spec.groupBy,
    groups: groups.map(({ values: _v, ...g }) => g),
    ...(groupsOmitted ? { groupsOmitted } : {}),
    cost: costOf(spec, ladder, tierCounts),
    samples: sampleView,
    versions: {
      baseline: { id: spec.baseline.id, number: spec.baseline.number, status: spec.baseline.status },
      candidate: { id: spec.candidate.id, number: spec.candidate.number, status: spec.candidate.status },
    },
  };
}

export type SimulationResult = ReturnType<typeof buildResult>;
type ResultCost = NonNullable<SimulationResult['cost']>;
/** A result as stored: those written before the per-tier bill have no `cost.tiers`. */
export type StoredSimulationResult = Omit<SimulationResult, 'cost'> & { cost: (Omit<ResultCost, 'tiers'> & { tiers?: TierCost[] }) | null };
