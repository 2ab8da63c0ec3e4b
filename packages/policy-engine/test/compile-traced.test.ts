import path from 'node:path';
import { compileTraced, createEvaluator } from '../src';
import { cardFacts, cardLadder, govFacts, govPolicy } from './fixtures';
import { expectAgreement } from './support/agreement';
import { propertySeed } from './support/seed';
import { runTsWorker } from './support/ts-worker';
import type { DifferentialReport } from './support/differential.worker';

describe('compileTraced', () => {
  it('gives the card ladder the same result and trace as json-rules-engine at every boundary', async () => {
    const reference = createEvaluator(cardLadder, cardFacts);
    const traced = compileTraced(cardLadder, cardFacts)!;
    for (const assets of [0, 99_999.99, 100_000, 299_999, 300_000, 1_000_000, null, 'x']) {
      const facts = { avgDailyAssets: assets, familyAvgDailyAssets: 80_000 };
      expect(traced(facts)).toStrictEqual(await reference.evaluate(facts));
    }
  });

  it('gives the government scorecard the same score trace', async () => {
    const reference = createEvaluator(govPolicy, govFacts);
    const traced = compileTraced(govPolicy, govFacts)!;
    expect(traced({})).toStrictEqual(await reference.evaluate({}));
  });

  it("gives exactly json-rules-engine's result — outcome, scores, trace, explanation — on random definitions × random customers (≥ 40,000 comparisons)", async () => {
    const seed = propertySeed();
    const entry = path.join(__dirname, 'support', 'traced.worker.ts');
    const reports = await Promise.all(
      [0, 1].map((k) => runTsWorker<DifferentialReport & { compiled: number }>(entry, { seed: seed + k, numRuns: 250, perDefinition: 100 })),
    );
    expectAgreement(reports, seed, 'test/compile-traced.test.ts', 40_000);
  }, 180_000);
});
