import { lintLadder, validatePolicy, type Condition, type PolicyDefinition, type TierDefinition } from '../src';
import { cardFacts, cardLadder } from './fixtures';

const leaf = (fact: string, operator: string, value: unknown): Condition => ({ fact, operator, value });
const gte = (v: number, fact = 'avgDailyAssets') => leaf(fact, 'greaterThanInclusive', v);
const gt = (v: number, fact = 'avgDailyAssets') => leaf(fact, 'greaterThan', v);
const lt = (v: number, fact = 'avgDailyAssets') => leaf(fact, 'lessThan', v);
const tier = (key: string, when?: TierDefinition['when']): TierDefinition => (when ? { key, name: key, when } : { key, name: key });
const policy = (tiers: TierDefinition[], extra: Partial<PolicyDefinition> = {}): PolicyDefinition => ({ schemaVersion: 1, ...extra, tiers });
const codes = (def: PolicyDefinition) => lintLadder(def, cardFacts).map((w) => w.code);

describe('lintLadder', () => {
  it('raises nothing on the realistic personal-OR-family card ladder', () => {
    expect(lintLadder(cardLadder, cardFacts)).toEqual([]);
    expect(validatePolicy(cardLadder, cardFacts)).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it('raises nothing on a clean one-fact ladder with a default', () => {
    expect(codes(policy([tier('A', { all: [gte(100)] }), tier('B', { all: [gte(50)] }), tier('C')]))).toEqual([]);
  });

  it('reports a shadowed tier, naming both tiers and the fact', () => {
    const def = policy([tier('GOLD', { all: [gte(100_000)] }), tier('PLATINUM', { all: [gte(300_000)] }), tier('SILVER')]);
    const w = lintLadder(def, cardFacts);
    const shadow = w.find((x) => x.code === 'shadowed-tier')!;
    expect(shadow.path).toBe('tiers[1].when');
    expect(shadow.message).toContain('PLATINUM');
    expect(shadow.message).toContain('GOLD');
    expect(shadow.message).toContain('avgDailyAssets');
    expect(shadow.message).toContain('≥ 300,000');
    expect(shadow.messageZh).toContain('日均综合金融资产');
  });

  it('reports an out-of-order ladder (and the tier it shadows)', () => {
    const def = policy([tier('GOLD', { all: [gte(100_000)] }), tier('PLATINUM', { all: [gte(300_000)] }), tier('SILVER')]);
    const ooo = lintLadder(def, cardFacts).find((x) => x.code === 'out-of-order')!;
    expect(ooo.path).toBe('tiers[1].when');
    expect(ooo.message).toMatch(/PLATINUM.*300,000.*after.*GOLD.*100,000/);
    expect(codes(def).sort()).toEqual(['out-of-order', 'shadowed-tier']);
  });

  it('reports out-of-order on personal-OR-family ladders per fact', () => {
    const def = policy([
      tier('BLACK', { any: [gte(1_000_000), gte(800_000, 'familyAvgDailyAssets')] }),
      tier('PLATINUM', { any: [gte(300_000), gte(900_000, 'familyAvgDailyAssets')] }),
      tier('SILVER'),
    ]);
    const w = lintLadder(def, cardFacts);
    expect(w.map((x) => x.code)).toEqual(['out-of-order']);
    expect(w[0].message).toContain('familyAvgDailyAssets');
  });

  it('reports a tier shadowed by the union of higher tiers on one fact', () => {
    const def = policy([tier('LOW', { all: [lt(100)] }), tier('HIGH', { all: [gte(100)] }), tier('NEVER', { all: [gte(50)] })]);
    const w = lintLadder(def, cardFacts).filter((x) => x.code === 'shadowed-tier');
    expect(w).toHaveLength(1);
    expect(w[0].message).toMatch(/NEVER.*LOW.*HIGH/);
  });

  it('reports a multi-fact tier shadowed by an "all" tier above it', () => {
    const def = policy([tier('A', { all: [gte(100)] }), tier('B', { all: [gte(200), gte(5, 'familyAvgDailyAssets')] }), tier('C')]);
    expect(codes(def)).toContain('shadowed-tier');
  });

  it('reports a tier whose conditions contradict each other', () => {
    expect(codes(policy([tier('A', { all: [gte(100), lt(50)] }), tier('B')]))).toEqual(['unsatisfiable-tier']);
  });

  it('reports the gap below the lowest threshold only when there is no default tier', () => {
    const noDefault = policy([tier('A', { all: [gte(1000)] }), tier('B', { all: [gte(100)] })]);
    const w = lintLadder(noDefault, cardFacts);
    expect(w.map((x) => x.code)).toEqual(['gap']);
    expect(w[0].message).toContain('(avgDailyAssets) < 100');
    expect(w[0].message).toContain('no tier');
    expect(codes(policy([tier('A', { all: [gte(1000)] }), tier('B', { all: [gte(100)] }), tier('C')]))).toEqual([]);
  });

  it('reports a gap between two tiers of a one-fact ladder, even with a default', () => {
    const def = policy([tier('A', { all: [gte(1000)] }), tier('B', { all: [gte(100), lt(500)] }), tier('C')]);
    const w = lintLadder(def, cardFacts);
    expect(w.map((x) => x.code)).toEqual(['gap']);
    expect(w[0].message).toMatch(/500 ≤ .*avgDailyAssets.* < 1,000/);
    expect(w[0].message).toContain('default tier C');
  });

  it('finds a single boundary value that falls between two bands', () => {
    const def = policy([tier('A', { all: [gt(100)] }), tier('B', { all: [leaf('avgDailyAssets', 'betweenExclusiveMax', [0, 100])] })], {
      eligibility: { all: [gte(0)] },
    });
    const w = lintLadder(def, cardFacts);
    expect(w.map((x) => x.code)).toEqual(['gap']);
    expect(w[0].message).toContain('(avgDailyAssets) = 100');
  });

  it('restricts gaps to eligible customers', () => {
    const def = policy([tier('A', { all: [gte(100, 'starPoints')] }), tier('B', { all: [gte(1, 'starPoints')] })], {
      eligibility: { all: [gt(0, 'starPoints')] },
    });
    expect(codes(def)).toEqual([]);
  });

  it('treats integer facts as integers (no gap between > 4 and ≤ 4, or between ≥ 5 and < 5)', () => {
    const def = policy([tier('A', { all: [gte(5, 'starPoints')] }), tier('B', { all: [leaf('starPoints', 'lessThanInclusive', 4)] })]);
    expect(codes(def)).toEqual([]);
    const real = policy([tier('A', { all: [gte(5)] }), tier('B', { all: [leaf('avgDailyAssets', 'lessThanInclusive', 4)] })]);
    expect(codes(real)).toEqual(['gap']);
  });

  it('reports a gap on a several-fact ladder without a default', () => {
    const def = policy(cardLadder.tiers.slice(0, 3));
    const w = lintLadder(def, cardFacts);
    expect(w.map((x) => x.code)).toEqual(['gap']);
    expect(w[0].message).toMatch(/avgDailyAssets.*familyAvgDailyAssets/);
  });

  it('reports an inconsistent boundary (≥ in one tier, > in the next)', () => {
    const def = policy([tier('A', { all: [gte(1000)] }), tier('B', { all: [gt(100)] }), tier('C')]);
    const w = lintLadder(def, cardFacts);
    expect(w.map((x) => x.code)).toEqual(['inconsistent-boundary']);
    expect(w[0].message).toMatch(/A.*B.*avgDailyAssets.*≥ 1,000.*> 100/);
    expect(w[0].path).toBe('tiers[1].when');
  });

  it('makes no claims about conditions it cannot reason about', () => {
    const def = policy([
      tier('A', { all: [leaf('region', 'in', ['north'])] }),
      tier('B', { all: [leaf('region', 'in', ['north', 'south'])] }),
      tier('C', { not: { all: [gte(100)] } }),
      tier('D', { all: [leaf('avgDailyAssets', 'greaterThan', { fact: 'familyAvgDailyAssets' })] }),
    ]);
    expect(codes(def)).toEqual([]);
    // an opaque higher tier does not shadow a lower one
    const def2 = policy([tier('A', { all: [gte(100), leaf('vip', 'equal', true)] }), tier('B', { all: [gte(200)] }), tier('C')]);
    expect(codes(def2)).toEqual([]);
  });

  it('follows named conditions', () => {
    const def = policy([tier('A', { condition: 'rich' }), tier('B', { all: [gte(2000)] }), tier('C')], {
      conditions: { rich: { all: [gte(1000)] } },
    });
    expect(codes(def).sort()).toEqual(['out-of-order', 'shadowed-tier']);
  });
});

describe('lintLadder on hostile input', () => {
  it('stays fast on the most complex ladders the size limits allow', () => {
    const facts = [0, 1, 2].map((i) => ({ key: `f${i}`, label: `f${i}`, type: 'number' as const }));
    const tiers: TierDefinition[] = Array.from({ length: 40 }, (_, t) => ({
      key: `T${t}`,
      name: `T${t}`,
      when: { all: Array.from({ length: 6 }, (_, g) => ({ any: [gte(t * 10 + g, `f${g % 3}`), gte(t * 7 + g, `f${(g + 1) % 3}`)] })) },
    }));
    const def = policy(tiers);
    const t0 = Date.now();
    const r = validatePolicy(def, facts);
    expect(r.valid).toBe(true);
    expect(Date.now() - t0).toBeLessThan(3000); // ~0.2 s in plain Node
    expect(r.warnings.every((w) => w.message.length < 2000)).toBe(true);
  });
});

it('lintLadder does not throw on a definition that was never validated', () => {
  expect(() =>
    lintLadder({ schemaVersion: 1, tiers: [{ key: 'A', name: 'A', when: { all: [null] } }] } as unknown as PolicyDefinition, cardFacts),
  ).not.toThrow();
});
