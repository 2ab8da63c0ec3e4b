/**
 * The differential property the compiled evaluators are proven by (compile.test, compile-traced.test),
 * run in a worker thread: random catalogs × random definitions (an invalid one fails the property) ×
 * random customers, each definition's customers compared by the worker's `compare` — json-rules-engine's
 * answer (createEvaluator, the reference) against the compiled one. Counts comparisons and mismatches
 * and keeps the first three mismatches as examples; the seed replays the run.
 */
import fc from 'fast-check';
import { parentPort, workerData } from 'node:worker_threads';
import type { FactDefinition, PolicyDefinition, Facts } from '../../src';
import { catalogArb, customerArb, definitionArb } from '../arbitraries';
import { validatePolicy } from '../../src';

export interface DifferentialReport {
  comparisons: number;
  mismatches: number;
  invalid: number;
  examples: string[];
  /** Definitions compared that had computed facts (expressions) / step-table components: the property covers them. */
  covered?: { computed: number; steps: number };
  failure?: string;
}

/** One customer's answers: the reference's and the compiled evaluator's, and whether they count as the same. */
export interface Comparison {
  expected: unknown;
  got: unknown;
  same: boolean;
}

/** Compare one definition on its customers; null: the definition is not compiled, nothing to compare. */
export type CompareDefinition = (catalog: FactDefinition[], def: PolicyDefinition, customers: Facts[]) => Promise<Comparison[] | null>;

/** Run the property with the worker's `{ seed, numRuns, perDefinition }` and post the report to the test. */
export function runDifferential<R extends DifferentialReport>(report: R, compare: CompareDefinition): void {
  const { seed, numRuns, perDefinition } = (workerData as { data: { seed: number; numRuns: number; perDefinition: number } }).data;
  const scenario = catalogArb.chain((catalog) =>
    fc.tuple(fc.constant(catalog), definitionArb(catalog), fc.array(customerArb(catalog), { minLength: perDefinition, maxLength: perDefinition })),
  );
  const run = async (): Promise<R> => {
    const result = await fc.check(
      fc.asyncProperty(scenario, async ([catalog, def, customers]) => {
        if (!validatePolicy(def, catalog).valid) {
          report.invalid++;
          return false;
        }
        const comparisons = await compare(catalog, def, customers);
        let ok = true;
        (comparisons ?? []).forEach(({ expected, got, same }, i) => {
          report.comparisons++;
          if (same) return;
          ok = false;
          report.mismatches++;
          if (report.examples.length < 3) report.examples.push(JSON.stringify({ def, customer: customers[i], expected, got }));
        });
        return ok;
      }),
      { seed, numRuns, endOnFailure: true },
    );
    if (result.failed) report.failure = `seed ${seed}: ${result.errorInstance ? String(result.errorInstance) : 'property failed'}`;
    return report;
  };
  run().then(
    (r) => parentPort?.postMessage(r),
    (e: unknown) => parentPort?.postMessage({ ...report, comparisons: 0, failure: String(e) }),
  );
}
