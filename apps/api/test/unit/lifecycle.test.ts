/**
 * What rating/lifecycle.ts adds to the engine's lifecycle rules: the run's ladder as ranks — the
 * version's tiers with the previous ledger version's placed among them (index null), "not rated"
 * below them all — and the names the engine's texts use. The rules themselves (grace, at most N
 * steps down, keepWhen, upgrades) are the engine's and tested there:
 * packages/policy-engine/test/lifecycle-rules.test.ts; the walk through real rating runs is
 * test/integration/rating-lifecycle.test.ts.
 */
import { decideLifecycle, lifecycleText } from '@tierwise/policy-engine';
import { NOT_RATED, rankOf, stepper, tierNameOf } from '../../src/rating/lifecycle';
import type { RunTier } from '../../src/rating/rating-spec';

// the run's version has BLACK, GOLD and SILVER; PLATINUM only the version the ledger holds customers in
const ladder: RunTier[] = [
  { key: 'BLACK', name: '黑金', nameEn: 'Black', rank: 1, index: 0 },
  { key: 'PLATINUM', name: '白金', nameEn: 'Platinum', rank: 2, index: null },
  { key: 'GOLD', name: '金', rank: 3, index: 1 },
  { key: 'SILVER', name: '银', nameEn: 'Silver', rank: 4, index: 2 },
];

describe('the run ladder for the lifecycle rules', () => {
  it('ranks not rated below every tier, and a tier the ladder lacks just above not rated', () => {
    expect([rankOf(ladder, 'BLACK'), rankOf(ladder, 'PLATINUM'), rankOf(ladder, 'SILVER'), rankOf(ladder, null), rankOf(ladder, 'GONE')]).toEqual([
      1, 2, 4, 5, 4.5,
    ]);
  });

  it("steps down over the run's version only: a tier only the previous version had is not a step, and below the last tier is not rated", () => {
    const down = stepper(ladder);
    expect([down(1, 1), down(1, 2), down(2, 1), down(3, 1), down(4, 1), down(1, 5)]).toEqual([3, 4, 3, 4, 5, 5]);
    // a BLACK customer rated SILVER, one step down per run: to GOLD, not to the old PLATINUM
    const rules = { downgradeGraceRuns: 0, maxDowngradeSteps: 1 };
    expect(decideLifecycle(rankOf(ladder, 'BLACK'), true, rankOf(ladder, 'SILVER'), 0, false, rules, down).outcome).toEqual({
      kind: 'downgrade',
      to: rankOf(ladder, 'GOLD'),
      reason: 'max-steps',
    });
  });

  it('names ladder tiers as the engine words them, unknown keys by their key, and "null" as not rated', () => {
    expect(tierNameOf(ladder, 'PLATINUM')).toEqual({ key: 'PLATINUM', name: '白金', nameEn: 'Platinum' });
    expect([tierNameOf(ladder, NOT_RATED), tierNameOf(ladder, null)]).toEqual([null, null]);
    const from = tierNameOf(ladder, 'BLACK');
    const rules = { downgradeGraceRuns: 0, maxDowngradeSteps: 1 };
    expect(lifecycleText({ reason: 'max-steps', from, to: tierNameOf(ladder, 'GOLD'), rated: tierNameOf(ladder, NOT_RATED), belowRuns: 0 }, rules, 'en')).toBe(
      'not rated; at most 1 step down per run: moved to 金',
    );
    expect(lifecycleText({ reason: 'rated', from, to: tierNameOf(ladder, 'OLD'), rated: tierNameOf(ladder, 'OLD'), belowRuns: 0 }, null, 'en')).toBe(
      'rated OLD',
    );
  });
});
