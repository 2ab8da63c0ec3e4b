/** The assertion of a differential property test (compile.test, compile-traced.test), in the test's jest context. */
import type { DifferentialReport } from './differential';
import { replay } from './seed';

/**
 * The workers found no failure and no mismatch, compared only valid definitions, and made at least
 * `min` comparisons; on a failure the message shows the seed and the command replaying it.
 */
export function expectAgreement(reports: DifferentialReport[], seed: number, testFile: string, min: number): void {
  const again = replay(seed, testFile);
  expect({ seed, replay: again, failures: reports.map((r) => r.failure).filter(Boolean), examples: reports.flatMap((r) => r.examples) }).toEqual({
    seed,
    replay: again,
    failures: [],
    examples: [],
  });
  expect(reports.reduce((n, r) => n + r.mismatches + r.invalid, 0)).toBe(0);
  expect(reports.reduce((n, r) => n + r.comparisons, 0)).toBeGreaterThanOrEqual(min);
}
