import type { Issue } from './types';

export type EvaluationErrorCode = 'missing-fact' | 'invalid-input' | 'engine-error' | 'population-cutoffs-missing' | 'population-group-missing';

/**
 * Raised (as a rejection) by `evaluate`: a missing fact under `missingFacts: 'error'`, bad input, an engine failure, or a
 * population condition without the cut-offs of a run (`population-cutoffs-missing`, `population-group-missing`).
 */
export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
  constructor(
    readonly code: EvaluationErrorCode,
    message: string,
    /** The facts concerned (for `missing-fact`). */
    readonly facts: string[] = [],
  ) {
    super(message);
  }
}

/** Thrown by `createEvaluator` / `compileFast` for a definition that does not validate. */
export class InvalidPolicyError extends Error {
  override readonly name = 'InvalidPolicyError';
  constructor(readonly issues: Issue[]) {
    super(
      `Invalid policy definition: ${issues
        .slice(0, 5)
        .map((i) => `${i.path || '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
  }
}
