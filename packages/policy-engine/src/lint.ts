import type { FactDefinition, Issue, PolicyDefinition } from './types';

/** Ladder lint (warnings). Placeholder until the interval analysis lands. */
export function lintLadder(_definition: PolicyDefinition, _facts: FactDefinition[]): Issue[] {
  return [];
}
