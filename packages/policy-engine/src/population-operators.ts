/**
 * The names of the population operators (a customer's standing among the whole population, not a comparison
 * with a number): the one list every module asks, kept in a file that imports nothing, so the walker, the
 * phrases and the definition walk can use it without importing population.ts (which imports them).
 */
export const POPULATION_OPERATORS = ['topPercent', 'shareOfTotalAtLeast', 'quantileAtLeast'] as const;
export type PopulationOperator = (typeof POPULATION_OPERATORS)[number];

const NAMES: ReadonlySet<unknown> = new Set<unknown>(POPULATION_OPERATORS);

export function isPopulationOperator(op: unknown): op is PopulationOperator {
  return NAMES.has(op);
}
