/**
 * Worker: random definitions × random customers through createEvaluator (json-rules-engine, the
 * reference) and compileTraced; reports every result (outcome, scores, trace) or explanation that
 * differs. Deep strict equality: a key present with `undefined` differs from an absent key.
 */
import { isDeepStrictEqual } from 'node:util';
import { compileTraced, createEvaluator, explain } from '../../src';
import { AS_OF } from '../arbitraries';
import { runDifferential, type DifferentialReport } from './differential';

const report: DifferentialReport & { compiled: number } = { comparisons: 0, mismatches: 0, invalid: 0, compiled: 0, examples: [] };
runDifferential(report, async (catalog, def, customers) => {
  const reference = createEvaluator(def, catalog, { asOf: AS_OF });
  const traced = compileTraced(def, catalog, { asOf: AS_OF });
  if (traced === null) return null; // population conditions: not compiled, createEvaluator serves them
  report.compiled++;
  const expected = await Promise.all(customers.map((c) => reference.evaluate(c)));
  return expected.map((want, i) => {
    const got = traced(customers[i]);
    const same =
      isDeepStrictEqual(got, want) &&
      (i % 10 !== 0 || (['zh-CN', 'en'] as const).every((l) => isDeepStrictEqual(explain(got, def, catalog, l), explain(want, def, catalog, l))));
    return { expected: want, got, same };
  });
});
