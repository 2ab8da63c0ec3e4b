import type { FactDefinition, Issue, PolicyDefinition } from '@tierwise/policy-engine';
import { validatePolicy } from './engine';
import { pathToString, type Path } from './paths';

export interface DefinitionIssues {
  errors: Issue[];
  warnings: Issue[];
}

/** The engine's errors and ladder warnings for a definition against the fact catalog. */
export function checkDefinition(definition: PolicyDefinition, facts: FactDefinition[], packages?: string[]): DefinitionIssues {
  const result = validatePolicy(definition, facts, packages ? { packages } : {});
  return { errors: result.errors, warnings: result.warnings };
}

/** Issues about the node at `path` itself or exactly one of its own fields (not nested conditions). */
export function issuesAt(issues: readonly Issue[], path: Path, ownFields: readonly string[] = []): Issue[] {
  const here = pathToString(path);
  const exact = new Set([here, ...ownFields.map((f) => `${here}.${f}`)]);
  return issues.filter((issue) => exact.has(issue.path));
}

/** Issues anywhere under `path` (the node and everything nested in it). */
export function issuesUnder(issues: readonly Issue[], path: Path): Issue[] {
  const here = pathToString(path);
  return issues.filter((i) => i.path === here || i.path.startsWith(`${here}.`) || i.path.startsWith(`${here}[`));
}
