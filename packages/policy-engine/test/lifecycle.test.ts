/** Lifecycle rules in a definition (contract §8): validated, linted, diffed, compiled like the rest. */
import { compileFast, diffPolicies, validatePolicy, type PolicyDefinition } from '../src';
import { cardFacts } from './fixtures';

const base = (): PolicyDefinition => ({
  schemaVersion: 1,
  lifecycle: { downgradeGraceRuns: 1, maxDowngradeSteps: 1 },
  tiers: [
    {
      key: 'PLATINUM',
      name: '白金',
      when: { all: [{ fact: 'avgDailyAssets', operator: 'greaterThanInclusive', value: 300_000 }] },
      keepWhen: { all: [{ fact: 'avgDailyAssets', operator: 'greaterThanInclusive', value: 250_000 }] },
    },
    { key: 'GOLD', name: '金', when: { all: [{ fact: 'avgDailyAssets', operator: 'greaterThanInclusive', value: 100_000 }] } },
    { key: 'SILVER', name: '银' },
  ],
});

describe('lifecycle in the definition', () => {
  it('accepts lifecycle and a weaker keepWhen with no warning of its own; the compiled evaluator ignores them', () => {
    const r = validatePolicy(base(), cardFacts);
    expect(r.errors).toEqual([]);
    expect(r.warnings.filter((w) => w.code.startsWith('keep-when'))).toEqual([]);
    const fast = compileFast(base(), cardFacts);
    expect(fast({ avgDailyAssets: 260_000 }).tierIndex).toBe(1);
  });

  it('refuses bad lifecycle values and unknown facts in keepWhen, with paths', () => {
    const d = base() as unknown as { lifecycle: Record<string, unknown>; tiers: { keepWhen?: unknown }[] };
    d.lifecycle = { downgradeGraceRuns: -1, maxDowngradeSteps: 1.5, graceDays: 3 };
    d.tiers[0].keepWhen = { all: [{ fact: 'noSuchFact', operator: 'equal', value: 1 }] };
    const r = validatePolicy(d, cardFacts);
    expect(r.valid).toBe(false);
    const paths = r.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['lifecycle.downgradeGraceRuns', 'lifecycle.maxDowngradeSteps', 'lifecycle.graceDays']));
    expect(paths.some((p) => p.startsWith('tiers[0].keepWhen'))).toBe(true);
  });

  it('warns when keepWhen is not weaker than when (the same, or a higher threshold), and on the default tier', () => {
    const same = base();
    same.tiers[0].keepWhen = structuredClone(same.tiers[0].when);
    const rs = validatePolicy(same, cardFacts);
    expect(rs.errors).toEqual([]);
    expect(rs.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'keep-when-not-weaker', path: 'tiers[0].keepWhen' })]));
    const stricter = base();
    stricter.tiers[0].keepWhen = { all: [{ fact: 'avgDailyAssets', operator: 'greaterThanInclusive', value: 350_000 }] };
    const w = validatePolicy(stricter, cardFacts).warnings.find((x) => x.code === 'keep-when-not-weaker');
    expect(w?.message).toContain('350000');
    const onDefault = base();
    onDefault.tiers[2].keepWhen = { all: [{ fact: 'avgDailyAssets', operator: 'greaterThan', value: 0 }] };
    expect(validatePolicy(onDefault, cardFacts).warnings.map((x) => x.code)).toContain('keep-when-on-default');
  });

  it('diffs a keepWhen change as a change of its tier, and a lifecycle change as a change of every tier', () => {
    const after = base();
    (after.tiers[0].keepWhen as { all: { value: number }[] }).all[0].value = 200_000;
    after.lifecycle = { downgradeGraceRuns: 2, maxDowngradeSteps: 1 };
    const d = diffPolicies(base(), after, { facts: cardFacts });
    const keep = d.changes.find((c) => c.path.startsWith('tiers[0].keepWhen'));
    expect(keep).toMatchObject({ section: 'tier', owner: 'PLATINUM', tiers: ['PLATINUM'] });
    const grace = d.changes.find((c) => c.path === 'lifecycle.downgradeGraceRuns');
    expect(grace).toMatchObject({ section: 'lifecycle', change: 'changed', before: 1, after: 2, tiers: ['PLATINUM', 'GOLD', 'SILVER'] });
    expect(d.tiers.find((t) => t.key === 'PLATINUM')?.change).toBe('changed');
  });
});
