/**
 * The cut-offs of a run or simulation as people read them (issue 16): a compact summary for the audit
 * chain (what the approver approved), and how a simulation's cut-offs would move against the last
 * applied run's.
 */
import type { PopulationCutoffs } from '@tierwise/policy-engine';

type GroupValue = string | number | boolean | null | undefined;

/** One line per condition and group: the value at the cut, over how many customers. */
export function cutoffSummary(c: PopulationCutoffs) {
  return {
    asOf: c.asOf,
    population: c.population,
    cuts: c.cuts.flatMap((cut) =>
      cut.groups.map((g) => ({
        key: cut.key,
        ...(g.group !== undefined ? { group: g.group } : {}),
        cutoff: g.cutoff,
        population: g.population,
        qualifying: g.qualifying,
      })),
    ),
  };
}

export interface CutoffMove {
  key: string;
  group?: GroupValue;
  /** The last applied run's value (null: it had no cut-off for this condition or group). */
  before: number | null;
  after: number | null;
  populationBefore: number | null;
  populationAfter: number;
}

/** Each condition and group of `after`, with the value `before` had for it. */
export function cutoffMoves(before: PopulationCutoffs | null, after: PopulationCutoffs): CutoffMove[] {
  const id = (key: string, g: GroupValue) => `${key}\u0000${g === undefined ? '' : JSON.stringify(g)}`;
  const old = new Map<string, { cutoff: number | null; population: number }>();
  for (const cut of before?.cuts ?? []) for (const g of cut.groups) old.set(id(cut.key, g.group), { cutoff: g.cutoff, population: g.population });
  return after.cuts.flatMap((cut) =>
    cut.groups.map((g) => {
      const o = old.get(id(cut.key, g.group));
      const m: CutoffMove = {
        key: cut.key,
        before: o?.cutoff ?? null,
        after: g.cutoff,
        populationBefore: o?.population ?? null,
        populationAfter: g.population,
      };
      if (g.group !== undefined) m.group = g.group;
      return m;
    }),
  );
}
