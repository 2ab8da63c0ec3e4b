import path from 'node:path';
import { compileFast, createEvaluator, InvalidPolicyError } from '../src';
import type { DifferentialReport } from './support/differential.worker';
import { expectAgreement } from './support/agreement';
import { propertySeed } from './support/seed';
import { runTsWorker } from './support/ts-worker';
import { cardFacts, cardLadder, govFacts, govPolicy } from './fixtures';

describe('compileFast', () => {
  it('rates the card ladder like the engine at every boundary', async () => {
    const fast = compileFast(cardLadder, cardFacts);
    const ev = createEvaluator(cardLadder, cardFacts);
    for (const facts of [{ avgDailyAssets: 1_000_000 }, { avgDailyAssets: 999_999.99 }, { familyAvgDailyAssets: 800_000 }, { avgDailyAssets: 100_000 }, {}]) {
      const r = await ev.evaluate(facts);
      expect(fast(facts)).toEqual({ eligible: true, tierIndex: (r.tier?.rank ?? 0) - 1, scores: {} });
    }
  });

  it('computes the government score 84 and not-rated customers', () => {
    const fast = compileFast(govPolicy, govFacts);
    expect(fast({ hasNeed: true, hasBudget: true, historyScore: 90, forecastScore: 70, twoYearShareReached: true })).toEqual({
      eligible: true,
      tierIndex: 0,
      scores: { govScore: 84 },
    });
    expect(fast({ hasNeed: false, hasBudget: true, historyScore: 90 })).toEqual({ eligible: false, tierIndex: -1, scores: { govScore: 45 } });
  });

  it('refuses an invalid definition', () => {
    expect(() =>
      compileFast({ schemaVersion: 1, tiers: [{ key: 'A', name: 'A', when: { all: [{ fact: 'nope', operator: 'equal', value: 1 }] } }] }, cardFacts),
    ).toThrow(InvalidPolicyError);
  });

  it('evaluates a 4-tier ladder at millions per second', () => {
    const fast = compileFast(cardLadder, cardFacts);
    const customers = Array.from({ length: 1000 }, (_, i) => ({ avgDailyAssets: i * 1300, familyAvgDailyAssets: i * 900 }));
    let sink = 0;
    for (let k = 0; k < 200; k++) for (const c of customers) sink += fast(c).tierIndex; // warm up
    const n = 1_000_000;
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < n / 1000; k++) for (const c of customers) sink += fast(c).tierIndex;
    const perSec = n / (Number(process.hrtime.bigint() - t0) / 1e9);
    expect(sink).toBeGreaterThan(0);
    // ~11M/s in plain Node; jest's sandbox makes everything ~10× slower, so this is a floor
    expect(perSec).toBeGreaterThan(300_000);
  });

  it("gives exactly json-rules-engine's outcome on random definitions × random customers (≥ 100,000 comparisons)", async () => {
    // two workers (outside jest's slow sandbox), 350 random definitions × 150 customers each
    const seed = propertySeed();
    const entry = path.join(__dirname, 'support', 'differential.worker.ts');
    const reports = await Promise.all([0, 1].map((k) => runTsWorker<DifferentialReport>(entry, { seed: seed + k, numRuns: 350, perDefinition: 150 })));
    expectAgreement(reports, seed, 'test/compile.test.ts', 100_000);
    // expressions (computed facts) and step tables are among the definitions compared, not only plain conditions (issue 13 acceptance 2)
    const covered = reports.reduce((c, r) => ({ computed: c.computed + (r.covered?.computed ?? 0), steps: c.steps + (r.covered?.steps ?? 0) }), {
      computed: 0,
      steps: 0,
    });
    expect(covered.computed).toBeGreaterThanOrEqual(50);
    expect(covered.steps).toBeGreaterThanOrEqual(50);
  }, 120_000);
});
