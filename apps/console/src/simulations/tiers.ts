import type { SimulationResult } from '../dataProvider/types';

export interface TierAxis {
  key: string;
  /** 0 = best; not rated is last. */
  rank: number;
  name: string;
}

/** What the axis is read from: a simulation's result, a rating run's, or a period report's movement. */
export interface TierAxisSource {
  /** The key the API gives "not rated" in its counts and matrix (every result says it). */
  notRatedKey: string;
  tiers?: { key: string; name: string }[];
  matrix?: SimulationResult['matrix'];
  baseline?: Record<string, number>;
  candidate?: Record<string, number>;
}

/**
 * The tiers of a result in ladder order (best first), then any tier only seen in the data,
 * then "not rated". `names` come from the candidate's definition when the result has none.
 */
export function tierAxis(result: TierAxisSource, names: Map<string, string>, unratedLabel: string): TierAxis[] {
  const isUnrated = (k: string) => k === result.notRatedKey;
  const keys: string[] = [];
  const add = (k: string) => {
    if (!keys.includes(k)) keys.push(k);
  };
  (result.tiers ?? []).forEach((t) => add(t.key));
  names.forEach((_n, k) => add(k));
  const seen = [
    ...Object.keys(result.baseline ?? {}),
    ...Object.keys(result.candidate ?? {}),
    ...Object.keys(result.matrix ?? {}),
    ...Object.values(result.matrix ?? {}).flatMap((row) => Object.keys(row)),
  ];
  seen.filter((k) => !isUnrated(k)).forEach(add);
  const fromResult = new Map((result.tiers ?? []).map((t) => [t.key, t.name]));
  const axis = keys.filter((k) => !isUnrated(k)).map((key, rank) => ({ key, rank, name: names.get(key) ?? fromResult.get(key) ?? key }));
  axis.push({ key: result.notRatedKey, rank: axis.length, name: unratedLabel });
  return axis;
}

export type Movement = 'up' | 'down' | 'same';
export const movement = (from: TierAxis, to: TierAxis): Movement => (to.rank < from.rank ? 'up' : to.rank > from.rank ? 'down' : 'same');

export const count = (map: Record<string, number> | undefined, key: string): number => map?.[key] ?? 0;
export const cell = (result: Pick<SimulationResult, 'matrix'>, from: string, to: string): number => result.matrix?.[from]?.[to] ?? 0;
