/**
 * The lifecycle rules of contract §8 (src/lifecycle-rules.ts), on a four-tier ladder, run after run:
 * grace 1, at most one step down, keepWhen — and how the engine words each outcome (zh-CN + en).
 * The walk through the API's rating runs is apps/api/test/integration/rating-lifecycle.test.ts.
 */
import { decideLifecycle as decide, lifecycleRules, lifecycleStepper, lifecycleText, lifecycleTexts, type LifecycleRules } from '../src';

const ladder = ['BLACK', 'PLATINUM', 'GOLD', 'SILVER'];
const rank = (k: string | null) => (k === null ? 5 : ladder.indexOf(k) + 1);
const key = (r: number) => (r === 5 ? null : ladder[r - 1]);
const rules: LifecycleRules = { downgradeGraceRuns: 1, maxDowngradeSteps: 1 };
const down = lifecycleStepper([1, 2, 3, 4], 5);

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

  it('a tier only an earlier version had is not a step down', () => {
    // ranks 1, 3, 4 are the version's tiers; 2 is an old tier placed among them
    const skip = lifecycleStepper([4, 1, 3], 5);
    expect([skip(1, 1), skip(1, 2), skip(3, 2), skip(4, 1)]).toEqual([3, 4, 5, 5]);
  });

  it("normalises the definition's rules: defaults filled in, none without lifecycle", () => {
    expect(lifecycleRules({ lifecycle: { maxDowngradeSteps: 2 } })).toEqual({ downgradeGraceRuns: 0, maxDowngradeSteps: 2 });
    expect(lifecycleRules({ lifecycle: { downgradeGraceRuns: 1 } })).toEqual({ downgradeGraceRuns: 1, maxDowngradeSteps: null });
    expect(lifecycleRules({})).toBeNull();
  });
});

describe('lifecycle explanations', () => {
  const black = { key: 'BLACK', name: '黑金', nameEn: 'Black' };
  const platinum = { key: 'PLATINUM', name: '白金', nameEn: 'Platinum' };
  const gold = { key: 'GOLD', name: '金' };

  it('says which rule held a customer, with the grace count, in both locales', () => {
    expect(lifecycleTexts({ reason: 'grace', from: black, to: black, rated: gold, belowRuns: 1 }, rules)).toEqual({
      'zh-CN': '保留黑金：宽限期第 1 次，共 1 次（本次评为金）',
      en: 'kept Black: grace 1 of 1 (rated 金)',
    });
    expect(lifecycleTexts({ reason: 'keep-when', from: platinum, to: platinum, rated: gold, belowRuns: 0 }, rules)).toEqual({
      'zh-CN': '保留白金：满足保级条件（本次评为金）',
      en: 'kept Platinum: its keepWhen holds (rated 金)',
    });
  });

  it('says how far a customer moved down and why', () => {
    expect(lifecycleText({ reason: 'max-steps', from: black, to: platinum, rated: gold, belowRuns: 0 }, rules, 'en')).toBe(
      'rated 金; at most 1 step down per run: moved to Platinum',
    );
    expect(
      lifecycleText({ reason: 'max-steps', from: black, to: gold, rated: null, belowRuns: 0 }, { downgradeGraceRuns: 0, maxDowngradeSteps: 2 }, 'en'),
    ).toBe('not rated; at most 2 steps down per run: moved to 金');
    expect(lifecycleText({ reason: 'max-steps', from: black, to: platinum, rated: gold, belowRuns: 0 }, rules, 'zh-CN')).toBe(
      '评为金，每次最多降 1 级：降至白金',
    );
    expect(
      lifecycleTexts({ reason: 'grace-ended', from: platinum, to: gold, rated: gold, belowRuns: 0 }, { downgradeGraceRuns: 2, maxDowngradeSteps: null }),
    ).toEqual({
      'zh-CN': '连续 3 次评级低于白金：降至金',
      en: 'rated below Platinum in 3 consecutive runs: moved to 金',
    });
  });

  it('words first ratings, plain ratings and "not rated"', () => {
    expect(lifecycleTexts({ reason: 'first', from: null, to: platinum, rated: platinum, belowRuns: 0 }, null)).toEqual({
      'zh-CN': '首次评级：白金',
      en: 'first rating: Platinum',
    });
    expect(lifecycleTexts({ reason: 'rated', from: gold, to: null, rated: null, belowRuns: 0 }, null)).toEqual({ 'zh-CN': '未获评级', en: 'not rated' });
  });
});
