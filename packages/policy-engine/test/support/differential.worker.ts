/** Worker: random definitions × random customers through createEvaluator and compileFast; reports mismatches. */
import fc from 'fast-check';
import { parentPort, workerData } from 'node:worker_threads';
import { compileFast, createEvaluator, validatePolicy, type FastResult } from '../../src';
import { AS_OF, catalogArb, customerArb, definitionArb } from '../arbitraries';

export interface DifferentialReport {
  comparisons: number;
  mismatches: number;
  invalid: number;
  examples: string[];
  /** Definitions compared that had computed facts (expressions) / step-table components: the property covers them. */
  covered?: { computed: number; steps: number };
  failure?: string;
}

async function main(): Promise<DifferentialReport> {
  const { seed, numRuns, perDefinition } = (workerData as { data: { seed: number; numRuns: number; perDefinition: number } }).data;
  const covered = { computed: 0, steps: 0 };
  const report: DifferentialReport = { comparisons: 0, mismatches: 0, invalid: 0, examples: [], covered };
  const scenario = catalogArb.chain((catalog) =>
    fc.tuple(fc.constant(catalog), definitionArb(catalog), fc.array(customerArb(catalog), { minLength: perDefinition, maxLength: perDefinition })),
  );
  const result = await fc.check(
    fc.asyncProperty(scenario, async ([catalog, def, customers]) => {
      if (!validatePolicy(def, catalog).valid) {
        report.invalid++;
        return false;
      }
      if (Object.keys(def.computed ?? {}).length > 0) covered.computed++;
      if ((def.scores ?? []).some((sc) => sc.components.some((c) => 'steps' in c))) covered.steps++;
      const ev = createEvaluator(def, catalog, { asOf: AS_OF });
      const fast = compileFast(def, catalog, { asOf: AS_OF });
      const results = await Promise.all(customers.map((c) => ev.evaluate(c)));
      let ok = true;
      results.forEach((r, i) => {
        const expected: FastResult = { eligible: r.eligible, tierIndex: r.tier ? r.tier.rank - 1 : -1, scores: r.scores };
        const got = fast(customers[i]);
        report.comparisons++;
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          ok = false;
          report.mismatches++;
          if (report.examples.length < 3) report.examples.push(JSON.stringify({ def, customer: customers[i], expected, got }));
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
  (e: unknown) => parentPort?.postMessage({ comparisons: 0, mismatches: 0, invalid: 0, examples: [], covered: { computed: 0, steps: 0 }, failure: String(e) }),
);
