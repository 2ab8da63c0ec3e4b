/**
 * The lifecycle rules of contract §8 (the policy engine's decideLifecycle) on a run's ladder as
 * rating/lifecycle.ts maps it (ranks, steps over the version's tiers), run after run: grace 1, at
 * most one step down, keepWhen. The engine's own tests: packages/policy-engine/test/lifecycle-rules.test.ts.
 */
import { decideLifecycle as decide } from '@tierwise/policy-engine';
import { stepper } from '../../src/rating/lifecycle';
import type { LifecycleRules, RunTier } from '../../src/rating/rating-spec';

const ladder: RunTier[] = ['BLACK', 'PLATINUM', 'GOLD', 'SILVER'].map((key, i) => ({ key, name: key, rank: i + 1, index: i }));
const rank = (k: string | null) => (k === null ? 5 : ladder.findIndex((t) => t.key === k) + 1);
const key = (r: number) => (r === 5 ? null : ladder[r - 1].key);
const rules: LifecycleRules = { downgradeGraceRuns: 1, maxDowngradeSteps: 1 };
const down = stepper(ladder);

/** Runs `rated` tiers in order from `start` (null = never rated); returns the official tier after each run and the outcome kinds. */
function walk(start: string | null, rated: (string | null)[], keep: boolean[] = [], r: LifecycleRules | null = rules) {
  let current = start === null ? null : rank(start);
  let below = 0;
  const seen: { tier: string | null; kind: string; below: number }[] = [];
  rated.forEach((t, i) => {
    const d = decide(current, true, rank(t), below, keep[i] ?? false, r, down);
    current = d.outcome.to;
    below = d.belowRuns;
    seen.push({ tier: key(current), kind: d.outcome.kind, below });
  });
  return seen;
}

describe('lifecycle rules', () => {
  it('rated two tiers lower moves down one step, and only after the grace run; a move down restarts the count', () => {
    expect(walk(null, ['BLACK', 'GOLD', 'GOLD', 'GOLD'])).toEqual([
      { tier: 'BLACK', kind: 'enter', below: 0 },
      { tier: 'BLACK', kind: 'held', below: 1 }, // grace 1 of 1
      { tier: 'PLATINUM', kind: 'downgrade', below: 0 }, // one step, not two
      { tier: 'PLATINUM', kind: 'held', below: 1 }, // the count restarted after the move down
    ]);
  });

  it('qualifying again restarts the count; upgrades take effect at once', () => {
    expect(walk('PLATINUM', ['GOLD', 'PLATINUM', 'GOLD', 'BLACK'])).toEqual([
      { tier: 'PLATINUM', kind: 'held', below: 1 },
      { tier: 'PLATINUM', kind: 'unchanged', below: 0 },
      { tier: 'PLATINUM', kind: 'held', below: 1 },
      { tier: 'BLACK', kind: 'upgrade', below: 0 },
    ]);
  });

  it('keepWhen keeps a customer in place and is not "rated below" (no grace used)', () => {
    expect(walk('PLATINUM', ['GOLD', 'GOLD', 'GOLD'], [true, true, false])).toEqual([
      { tier: 'PLATINUM', kind: 'held', below: 0 },
      { tier: 'PLATINUM', kind: 'held', below: 0 },
      { tier: 'PLATINUM', kind: 'held', below: 1 },
    ]);
  });

  it('without rules the rated tier is the official tier; not rated is the step below the last tier', () => {
    expect(walk('BLACK', ['SILVER'], [], null)).toEqual([{ tier: 'SILVER', kind: 'downgrade', below: 0 }]);
    expect(walk('SILVER', [null, null])).toEqual([
      { tier: 'SILVER', kind: 'held', below: 1 },
      { tier: null, kind: 'downgrade', below: 0 },
    ]);
    expect(decide(rank('BLACK'), true, rank('SILVER'), 1, false, { downgradeGraceRuns: 1, maxDowngradeSteps: null }, down).outcome).toEqual({
      kind: 'downgrade',
      to: rank('SILVER'),
      reason: 'grace-ended',
    });
  });

  it('a current tier the version no longer has is not kept', () => {
    expect(decide(2.5, false, rank('GOLD'), 0, false, rules, down).outcome).toEqual({ kind: 'downgrade', to: 3, reason: 'rated' });
  });
});
