import { createContext, useContext } from 'react';
import type { BenefitPackage, FactDefinition, Issue, PolicyDefinition } from '@tierwise/policy-engine';
import type { Path } from '../model/paths';

export interface BuilderState {
  definition: PolicyDefinition;
  /** Catalog facts plus the definition's score keys (as numbers), by key. */
  facts: Map<string, FactDefinition>;
  packages: BenefitPackage[];
  errors: Issue[];
  warnings: Issue[];
  readOnly: boolean;
  update(path: Path, value: unknown): void;
}

export const BuilderContext = createContext<BuilderState | null>(null);

export function useBuilder(): BuilderState {
  const state = useContext(BuilderContext);
  if (!state) throw new Error('useBuilder outside the rule builder');
  return state;
}
