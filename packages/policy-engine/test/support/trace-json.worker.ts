/**
 * Worker: random definitions × random customers through compileTraced (whose trace test/compile-traced.test.ts holds
 * equal to json-rules-engine's) and compileTraceJson; reports every customer whose trace text is not byte for byte
 * JSON.stringify of compileTraced's trace, or whose outcome differs. Each random customer is also sent with one of its
 * facts set to an odd value in turn (CJK, escapes, a lone surrogate, -0, 1e21, 5e-324, NaN, an object …).
 */
import { isDeepStrictEqual } from 'node:util';
import { compileTraceJson, compileTraced, type Facts } from '../../src';
import { AS_OF } from '../arbitraries';
import { runDifferential, type DifferentialReport } from './differential';

const ODD: unknown[] = [
  '白金卡客户',
  '𠀋 emoji 😀',
  'quote " backslash \\ tab \t',
  '\u0001\u001f',
  '\ud800',
  '</script>\u2028',
  -0,
  1e21,
  -1e-7,
  5e-324,
  Number.MAX_VALUE,
  NaN,
  Infinity,
  0.1 + 0.2,
  { nested: ['x', 1, null] },
  [1, '二', true],
  false,
];

const report: DifferentialReport & { compiled: number } = { comparisons: 0, mismatches: 0, invalid: 0, compiled: 0, examples: [] };
runDifferential(report, (catalog, def, customers) => {
  const traced = compileTraced(def, catalog, { asOf: AS_OF });
  const json = compileTraceJson(def, catalog, { asOf: AS_OF });
  if (traced === null || json === null) return Promise.resolve(traced === json ? null : [{ expected: 'both compiled or neither', got: 'one', same: false }]);
  report.compiled++;
  const all: Facts[] = [];
  customers.forEach((c, i) => {
    all.push(c);
    const key = catalog[i % catalog.length].key;
    all.push({ ...c, [key]: ODD[i % ODD.length] });
  });
  return Promise.resolve(
    all.map((c) => {
      const want = traced(c);
      const expected = { eligible: want.eligible, tierIndex: want.tier ? want.tier.rank - 1 : -1, scores: want.scores, traceJson: JSON.stringify(want.trace) };
      const got = json(c);
      return { expected, got, same: isDeepStrictEqual(got, expected) };
    }),
  );
});
