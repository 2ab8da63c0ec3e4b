/** Worker: random definitions × random customers through createEvaluator and compileFast; reports mismatches. */
import { compileFast, createEvaluator, type FastResult } from '../../src';
import { AS_OF } from '../arbitraries';
import { runDifferential, type DifferentialReport } from './differential';

export type { DifferentialReport } from './differential';

const covered = { computed: 0, steps: 0 };
runDifferential<DifferentialReport>({ comparisons: 0, mismatches: 0, invalid: 0, examples: [], covered }, async (catalog, def, customers) => {
  if (Object.keys(def.computed ?? {}).length > 0) covered.computed++;
  if ((def.scores ?? []).some((sc) => sc.components.some((c) => 'steps' in c))) covered.steps++;
  const ev = createEvaluator(def, catalog, { asOf: AS_OF });
  const fast = compileFast(def, catalog, { asOf: AS_OF });
  const results = await Promise.all(customers.map((c) => ev.evaluate(c)));
  return results.map((r, i) => {
    const expected: FastResult = { eligible: r.eligible, tierIndex: r.tier ? r.tier.rank - 1 : -1, scores: r.scores };
    const got = fast(customers[i]);
    return { expected, got, same: JSON.stringify(got) === JSON.stringify(expected) };
  });
});
