import path from 'node:path';
import { compileTraceJson, compileTraced, jsonValue } from '../src';
import { cardFacts, cardLadder, govFacts, govPolicy } from './fixtures';
import { expectAgreement } from './support/agreement';
import { propertySeed } from './support/seed';
import { runTsWorker } from './support/ts-worker';
import type { DifferentialReport } from './support/differential';

describe('compileTraceJson', () => {
  it("writes the card ladder's trace as JSON.stringify writes compileTraced's, at every boundary and with odd values", () => {
    const traced = compileTraced(cardLadder, cardFacts)!;
    const json = compileTraceJson(cardLadder, cardFacts)!;
    for (const assets of [0, 99_999.99, 100_000, 299_999, 300_000, 1_000_000, null, 'x', '金卡', -0, 1e21, NaN, undefined]) {
      const facts = { avgDailyAssets: assets, familyAvgDailyAssets: 80_000 };
      const want = traced(facts);
      expect(json(facts)).toEqual({
        eligible: want.eligible,
        tierIndex: want.tier ? want.tier.rank - 1 : -1,
        scores: want.scores,
        traceJson: JSON.stringify(want.trace),
      });
    }
  });

  it("writes the government scorecard's score trace (components, points, multipliers) as JSON.stringify does", () => {
    const traced = compileTraced(govPolicy, govFacts)!;
    const json = compileTraceJson(govPolicy, govFacts)!;
    for (const facts of [{}, Object.fromEntries(govFacts.map((f, i) => [f.key, i % 2 ? 90 : true]))]) {
      expect(json(facts).traceJson).toBe(JSON.stringify(traced(facts).trace));
      expect(json(facts).scores).toEqual(traced(facts).scores);
    }
  });

  it('writes single values as JSON.stringify does', () => {
    for (const x of ['a', '白金', '"', '\\', '\n', '\u0000', '\ud83d', '😀', -0, 0, 1e21, 1e-7, NaN, -Infinity, true, false, null, undefined, [1], { a: 1 }])
      expect(jsonValue(x)).toBe(JSON.stringify(x));
  });

  it("writes exactly JSON.stringify of compileTraced's trace, and its outcome, on random definitions × random customers (≥ 40,000 comparisons)", async () => {
    const seed = propertySeed();
    const entry = path.join(__dirname, 'support', 'trace-json.worker.ts');
    const reports = await Promise.all(
      [0, 1].map((k) => runTsWorker<DifferentialReport & { compiled: number }>(entry, { seed: seed + k, numRuns: 250, perDefinition: 50 })),
    );
    expectAgreement(reports, seed, 'test/compile-trace-json.test.ts', 40_000);
  }, 180_000);
});
