/**
 * Worker: random definitions × random customers through createEvaluator (json-rules-engine, the
 * reference) and compileTraced; reports every result (outcome, scores, trace) or explanation that
 * differs. Deep strict equality: a key present with `undefined` differs from an absent key.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { compileTraced, createEvaluator, explain, validatePolicy } from '../../src';
import { AS_OF, catalogArb, customerArb, definitionArb } from '../arbitraries';
import type { DifferentialReport } from './differential.worker';

async function main(): Promise<DifferentialReport & { compiled: number }> {
  const { seed, numRuns, perDefinition } = (workerData as { data: { seed: number; numRuns: number; perDefinition: number } }).data;
  const report = { comparisons: 0, mismatches: 0, invalid: 0, compiled: 0, examples: [] as string[], failure: undefined as string | undefined };
  const scenario = catalogArb.chain((catalog) =>
    fc.tuple(fc.constant(catalog), definitionArb(catalog), fc.array(customerArb(catalog), { minLength: perDefinition, maxLength: perDefinition })),
  );
  const result = await fc.check(
    fc.asyncProperty(scenario, async ([catalog, def, customers]) => {
      if (!validatePolicy(def, catalog).valid) {
        report.invalid++;
        return false;
      }
      const reference = createEvaluator(def, catalog, { asOf: AS_OF });
      const traced = compileTraced(def, catalog, { asOf: AS_OF });
      if (traced === null) return true; // population conditions: not compiled, createEvaluator serves them
      report.compiled++;
      const expected = await Promise.all(customers.map((c) => reference.evaluate(c)));
      let ok = true;
      expected.forEach((want, i) => {
        const got = traced(customers[i]);
        report.comparisons++;
        const same =
          isDeepStrictEqual(got, want) &&
          (i % 10 !== 0 || (['zh-CN', 'en'] as const).every((l) => isDeepStrictEqual(explain(got, def, catalog, l), explain(want, def, catalog, l))));
        if (!same) {
          ok = false;
          report.mismatches++;
          if (report.examples.length < 3) report.examples.push(JSON.stringify({ def, customer: customers[i], expected: want, got }));
        }
      });
      return ok;
    }),
    { seed, numRuns, endOnFailure: true },
  );
  if (result.failed) report.failure = `seed ${seed}: ${result.errorInstance ? String(result.errorInstance) : 'property failed'}`;
  return report;
}

main().then(
  (r) => parentPort?.postMessage(r),
  (e: unknown) => parentPort?.postMessage({ comparisons: 0, mismatches: 0, invalid: 0, compiled: 0, examples: [], failure: String(e) }),
);
