/** Population-relative conditions (issue 16, contract §10): hand-computed cut-offs over small populations. */
import {
  compileFast,
  computeCutoffs,
  createEvaluator,
  createProjector,
  diffPolicies,
  EvaluationError,
  explain,
  lintLadder,
  operatorsForFactType,
  populationScope,
  validatePolicy,
  type FactDefinition,
  type Facts,
  type PolicyDefinition,
  type PopulationCutoffs,
} from '../src';

const facts: FactDefinition[] = [
  { key: 'profit', label: '利润', labelEn: 'Profit', type: 'number', unit: 'CNY' },
  { key: 'sales', label: '销售额', labelEn: 'Sales', type: 'number', unit: 'CNY' },
  { key: 'frequency', label: '购买频次', labelEn: 'Frequency', type: 'integer' },
  { key: 'daysSinceLastOrder', label: '距上次购买天数', labelEn: 'Days since last order', type: 'integer' },
  { key: 'region', label: '地区', labelEn: 'Region', type: 'enum', enumValues: ['east', 'west'] },
  { key: 'name', label: '姓名', type: 'string' },
  { key: 'active', label: '活跃', type: 'boolean' },
];

const top = (value: number, params?: Record<string, unknown>) => ({ all: [{ fact: 'profit', operator: 'topPercent', value, ...(params ? { params } : {}) }] });
const pyramid: PolicyDefinition = {
  schemaVersion: 1,
  tiers: [
    { key: 'KEY', name: '关键客户', nameEn: 'Key', when: top(20) },
    { key: 'MAJOR', name: '主要客户', nameEn: 'Major', when: top(50) },
    { key: 'NORMAL', name: '普通客户', nameEn: 'Normal' },
  ],
};

/** Both paths on every row; they must agree, and the compiled tiers are returned. */
async function rate(def: PolicyDefinition, rows: Facts[], cutoffs: PopulationCutoffs): Promise<(string | null)[]> {
  const fast = compileFast(def, facts, { cutoffs });
  const ev = createEvaluator(def, facts, { cutoffs });
  const out: (string | null)[] = [];
  for (const r of rows) {
    const f = fast(r);
    const j = await ev.evaluate(r);
    const fastTier = f.eligible && f.tierIndex >= 0 ? def.tiers[f.tierIndex].key : null;
    expect(j.tier?.key ?? null).toBe(fastTier);
    out.push(fastTier);
  }
  return out;
}

const profits = (...xs: number[]): Facts[] => xs.map((profit) => ({ profit }));

describe('population conditions: cut-offs over small populations', () => {
  it('the top 20% of 10 customers is 2', async () => {
    const rows = profits(10, 20, 30, 40, 50, 60, 70, 80, 90, 100);
    const cutoffs = computeCutoffs(pyramid, rows, { asOf: '2026-03-31' });
    expect(cutoffs.population).toBe(10);
    const key20 = cutoffs.cuts.find((c) => c.value === 20)!;
    expect(key20.groups).toEqual([{ population: 10, cutoff: 90, qualifying: 2 }]);
    expect(cutoffs.cuts.find((c) => c.value === 50)!.groups[0]).toEqual({ population: 10, cutoff: 60, qualifying: 5 });
    expect(await rate(pyramid, rows, cutoffs)).toEqual(['NORMAL', 'NORMAL', 'NORMAL', 'NORMAL', 'NORMAL', 'MAJOR', 'MAJOR', 'MAJOR', 'KEY', 'KEY']);
  });

  it('rounds the count up: the top 20% of 7 customers is 2 (⌈1.4⌉), of 3 customers 1', () => {
    expect(computeCutoffs(pyramid, profits(1, 2, 3, 4, 5, 6, 7)).cuts[0].groups[0]).toMatchObject({ cutoff: 6, qualifying: 2 });
    expect(computeCutoffs(pyramid, profits(1, 2, 3)).cuts[0].groups[0]).toMatchObject({ cutoff: 3, qualifying: 1 });
  });

  it('the same profit is 关键 in one population and not in another', async () => {
    const small = profits(10, 20, 30, 40, 50);
    const big = profits(50, 60, 70, 80, 90);
    const cutSmall = computeCutoffs(pyramid, small);
    const cutBig = computeCutoffs(pyramid, big);
    expect(cutSmall.cuts[0].groups[0].cutoff).toBe(50);
    expect(cutBig.cuts[0].groups[0].cutoff).toBe(90);
    expect((await rate(pyramid, [{ profit: 50 }], cutSmall))[0]).toBe('KEY');
    expect((await rate(pyramid, [{ profit: 50 }], cutBig))[0]).toBe('NORMAL');
  });

  it('includes every tie at the cut: 4 customers share the top 20% of 10 when three tie at the 2nd place', async () => {
    const rows = profits(100, 90, 90, 90, 50, 40, 30, 20, 10, 5);
    const cutoffs = computeCutoffs(pyramid, rows);
    expect(cutoffs.cuts[0].groups[0]).toEqual({ population: 10, cutoff: 90, qualifying: 4 });
    expect((await rate(pyramid, rows, cutoffs)).filter((t) => t === 'KEY')).toHaveLength(4);
  });

  it('ranks only customers with a number: a missing profit is not ranked and not 关键', async () => {
    const rows: Facts[] = [{ profit: 100 }, { profit: 90 }, { profit: null }, {}, { profit: 'lots' }];
    const cutoffs = computeCutoffs(pyramid, rows);
    expect(cutoffs.cuts[0].groups[0]).toEqual({ population: 2, cutoff: 100, qualifying: 1 });
    // the top 50% of 2 is 1: 90 is neither
    expect(await rate(pyramid, rows, cutoffs)).toEqual(['KEY', 'NORMAL', 'NORMAL', 'NORMAL', 'NORMAL']);
  });

  const abc: PolicyDefinition = {
    schemaVersion: 1,
    tiers: [
      { key: 'A', name: 'A 类', when: { all: [{ fact: 'sales', operator: 'shareOfTotalAtLeast', value: 70 }] } },
      { key: 'B', name: 'B 类', when: { all: [{ fact: 'sales', operator: 'shareOfTotalAtLeast', value: 30 }] } },
      { key: 'C', name: 'C 类' },
    ],
  };

  it('share of total: exactly 70% is A, exactly 30% is B (at least = inclusive)', async () => {
    const rows: Facts[] = [{ sales: 700_000 }, { sales: 300_000 }];
    const cutoffs = computeCutoffs(abc, rows);
    expect(cutoffs.cuts.map((c) => c.groups[0])).toEqual([
      { population: 2, cutoff: 700_000, qualifying: 1, total: 1_000_000 },
      { population: 2, cutoff: 300_000, qualifying: 2, total: 1_000_000 },
    ]);
    expect(await rate(abc, rows, cutoffs)).toEqual(['A', 'B']);
    // a hair below the share falls to the next class; decimals that sum to the total exactly
    const near: Facts[] = [{ sales: 69.99 }, { sales: 29.99 }, { sales: 0.02 }];
    expect(await rate(abc, near, computeCutoffs(abc, near))).toEqual(['B', 'C', 'C']);
    const decimals: Facts[] = [{ sales: 0.7 }, { sales: 0.3 }];
    expect(await rate(abc, decimals, computeCutoffs(abc, decimals))).toEqual(['A', 'B']);
  });

  it('cumulative share: the best customers who together bring 70% of the total (the one reaching exactly 70% included)', async () => {
    const def: PolicyDefinition = {
      schemaVersion: 1,
      tiers: [
        { key: 'A', name: 'A', when: { all: [{ fact: 'sales', operator: 'shareOfTotalAtLeast', value: 70, params: { cumulative: true } }] } },
        { key: 'B', name: 'B', when: { all: [{ fact: 'sales', operator: 'shareOfTotalAtLeast', value: 90, params: { cumulative: true } }] } },
        { key: 'C', name: 'C' },
      ],
    };
    const rows: Facts[] = [{ sales: 50 }, { sales: 20 }, { sales: 15 }, { sales: 10 }, { sales: 5 }];
    const cutoffs = computeCutoffs(def, rows);
    // 50 + 20 = 70 = exactly 70% of 100; 50 + 20 + 15 = 85 < 90, + 10 = 95
    expect(cutoffs.cuts.map((c) => [c.groups[0].cutoff, c.groups[0].qualifying])).toEqual([
      [20, 2],
      [10, 4],
    ]);
    expect(await rate(def, rows, cutoffs)).toEqual(['A', 'A', 'B', 'B', 'C']);
  });

  it('a total of 0 or less has no share: nobody is A', async () => {
    const rows: Facts[] = [{ sales: 0 }, { sales: 0 }];
    const cutoffs = computeCutoffs(abc, rows);
    expect(cutoffs.cuts[0].groups[0]).toEqual({ population: 2, cutoff: null, qualifying: 0, total: 0 });
    expect(await rate(abc, rows, cutoffs)).toEqual(['C', 'C']);
  });

  const rfm = (q: number): PolicyDefinition => ({
    schemaVersion: 1,
    tiers: [
      { key: `Q${q}`, name: `Q${q}`, when: { all: [{ fact: 'frequency', operator: 'quantileAtLeast', value: q, params: { quantiles: 5 } }] } },
      { key: 'REST', name: 'rest' },
    ],
  });

  it('quintile edges of 1…10, and the edge moving when a customer is added', async () => {
    const rows: Facts[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((frequency) => ({ frequency }));
    const edges = (rs: Facts[]) => [5, 4, 3, 2, 1].map((q) => computeCutoffs(rfm(q), rs).cuts[0].groups[0].cutoff);
    expect(edges(rows)).toEqual([9, 7, 5, 3, 1]);
    expect((await rate(rfm(5), [{ frequency: 8 }], computeCutoffs(rfm(5), rows)))[0]).toBe('REST');
    // one more customer (frequency 0): 11 customers, the best ⌈11/5⌉ = 3 are in quintile 5, so 8 moves up without changing
    const more = [...rows, { frequency: 0 }];
    expect(edges(more)).toEqual([8, 6, 4, 2, 0]);
    expect((await rate(rfm(5), [{ frequency: 8 }], computeCutoffs(rfm(5), more)))[0]).toBe('Q5');
  });

  it('best: lowest ranks the fewest days since the last order first', async () => {
    const def: PolicyDefinition = {
      schemaVersion: 1,
      tiers: [
        {
          key: 'R5',
          name: 'R5',
          when: { all: [{ fact: 'daysSinceLastOrder', operator: 'quantileAtLeast', value: 5, params: { quantiles: 5, best: 'lowest' } }] },
        },
        { key: 'REST', name: 'rest' },
      ],
    };
    const rows: Facts[] = [3, 10, 30, 60, 90, 120, 180, 270, 365, 400].map((d) => ({ daysSinceLastOrder: d }));
    const cutoffs = computeCutoffs(def, rows);
    expect(cutoffs.cuts[0].groups[0]).toEqual({ population: 10, cutoff: 10, qualifying: 2 });
    expect(await rate(def, rows, cutoffs)).toEqual(['R5', 'R5', 'REST', 'REST', 'REST', 'REST', 'REST', 'REST', 'REST', 'REST']);
  });

  it('ranks within each region when grouped: 80 is the top of the west but not of the east', async () => {
    const def: PolicyDefinition = {
      schemaVersion: 1,
      tiers: [
        { key: 'KEY', name: '关键', when: top(20, { groupBy: 'region' }) },
        { key: 'N', name: '普通' },
      ],
    };
    const rows: Facts[] = [
      ...[100, 90, 80, 70, 60].map((profit) => ({ profit, region: 'east' })),
      ...[80, 50, 40, 30, 20].map((profit) => ({ profit, region: 'west' })),
    ];
    const cutoffs = computeCutoffs(def, rows);
    expect(cutoffs.cuts[0].groups).toEqual([
      { group: 'east', population: 5, cutoff: 100, qualifying: 1 },
      { group: 'west', population: 5, cutoff: 80, qualifying: 1 },
    ]);
    expect(
      await rate(
        def,
        [
          { profit: 80, region: 'east' },
          { profit: 80, region: 'west' },
        ],
        cutoffs,
      ),
    ).toEqual(['N', 'KEY']);
    // a region the run never ranked: refused, not guessed
    const fast = compileFast(def, facts, { cutoffs });
    expect(() => fast({ profit: 80 })).toThrow(expect.objectContaining({ code: 'population-group-missing' }));
  });

  it('ranks only the eligible customers when eligibility does not rank', async () => {
    const def: PolicyDefinition = { ...pyramid, eligibility: { all: [{ fact: 'active', operator: 'equal', value: true }] } };
    expect(populationScope(def)).toBe('eligible');
    const rows: Facts[] = [{ profit: 1000, active: false }, ...[10, 20, 30, 40, 50].map((profit) => ({ profit, active: true }))];
    const fast = compileFast({ ...def, tiers: [{ key: 'x', name: 'x' }] }, facts);
    const cutoffs = computeCutoffs(def, rows, { eligible: (r) => fast(r).eligible });
    expect(cutoffs).toMatchObject({ population: 5, scope: 'eligible' });
    expect(cutoffs.cuts[0].groups[0].cutoff).toBe(50);
    // top 50% of the 5 eligible = ⌈2.5⌉ = 3 (30, 40, 50); the ineligible 1,000 neither ranks nor moves the cut
    expect(await rate(def, rows, cutoffs)).toEqual([null, 'NORMAL', 'NORMAL', 'MAJOR', 'MAJOR', 'KEY']);
  });
});

describe('population conditions: evaluation needs frozen cut-offs', () => {
  it('refuses to evaluate without cut-offs (never a silent default), in both paths', async () => {
    await expect(createEvaluator(pyramid, facts).evaluate({ profit: 1 })).rejects.toMatchObject({ code: 'population-cutoffs-missing' });
    expect(() => compileFast(pyramid, facts)({ profit: 1 })).toThrow(EvaluationError);
    // cut-offs of other conditions (another version's) do not count either
    const other = computeCutoffs(
      {
        ...pyramid,
        tiers: [
          { key: 'K', name: 'K', when: top(25) },
          { key: 'N', name: 'N' },
        ],
      },
      profits(1, 2),
    );
    expect(() => createEvaluator(pyramid, facts, { cutoffs: other })).toThrow(expect.objectContaining({ code: 'population-cutoffs-missing' }));
  });

  const frozen: PopulationCutoffs = {
    asOf: '2026-03-31',
    population: 84_210,
    scope: 'all',
    cuts: [
      {
        key: 'topPercent(profit, 20)',
        fact: 'profit',
        operator: 'topPercent',
        value: 20,
        params: {},
        groups: [{ population: 84_210, cutoff: 1_250_000, qualifying: 16_842 }],
      },
      {
        key: 'topPercent(profit, 50)',
        fact: 'profit',
        operator: 'topPercent',
        value: 50,
        params: {},
        groups: [{ population: 84_210, cutoff: 400_000, qualifying: 42_105 }],
      },
    ],
  };

  it('shows the cut-off in the trace and explains it in zh-CN and en', async () => {
    const r = await createEvaluator(pyramid, facts).evaluate({ profit: 1_300_000 }, { cutoffs: frozen });
    expect(r.tier?.key).toBe('KEY');
    const tier = r.trace.find((t) => t.kind === 'tier');
    expect(tier).toMatchObject({
      condition: {
        type: 'all',
        children: [
          {
            type: 'leaf',
            fact: 'profit',
            operator: 'topPercent',
            value: 20,
            factValue: 1_300_000,
            result: true,
            cutoff: { value: 1_250_000, population: 84_210, qualifying: 16_842, asOf: '2026-03-31' },
          },
        ],
      },
    });
    expect(explain(r, pyramid, facts, 'zh-CN')[0]).toBe('利润 1,300,000 ≥ 1,250,000：前 20% 的利润门槛为 1,250,000（2026-03-31，共 84,210 名客户） → 关键客户');
    expect(explain(r, pyramid, facts, 'en')[0]).toBe(
      'Profit 1,300,000 ≥ 1,250,000: the top 20% threshold for Profit is 1,250,000 (2026-03-31, 84,210 customers) → Key',
    );
    const below = await createEvaluator(pyramid, facts, { cutoffs: frozen }).evaluate({ profit: 500_000 });
    expect(explain(below, pyramid, facts, 'zh-CN')[0]).toBe(
      '未达到关键客户：利润 500,000 < 1,250,000：前 20% 的利润门槛为 1,250,000（2026-03-31，共 84,210 名客户）',
    );
  });

  it('projects the next tier to the frozen cut-off', () => {
    const p = createProjector(pyramid, facts, { cutoffs: frozen })({ profit: 500_000 });
    expect(p).toEqual({
      tier: { key: 'KEY', name: '关键客户', nameEn: 'Key', rank: 1 },
      options: [{ fact: 'profit', kind: 'fact', current: 500_000, needed: 1_250_000 }],
    });
  });
});

describe('population conditions: validation, lint, diff, text', () => {
  const leafAt = (leaf: Record<string, unknown>): PolicyDefinition => ({
    schemaVersion: 1,
    tiers: [
      { key: 'K', name: 'K', when: { all: [leaf as never] } },
      { key: 'N', name: 'N' },
    ],
  });
  const errors = (leaf: Record<string, unknown>) => validatePolicy(leafAt(leaf), facts).errors.map((e) => [e.path, e.code]);

  it('accepts the three operators on number facts', () => {
    expect(errors({ fact: 'profit', operator: 'topPercent', value: 100 })).toEqual([]);
    expect(errors({ fact: 'profit', operator: 'topPercent', value: 12.5, params: { best: 'lowest', groupBy: 'region' } })).toEqual([]);
    expect(errors({ fact: 'sales', operator: 'shareOfTotalAtLeast', value: 70, params: { cumulative: true } })).toEqual([]);
    expect(errors({ fact: 'frequency', operator: 'quantileAtLeast', value: 5, params: { quantiles: 5 } })).toEqual([]);
    expect(operatorsForFactType('number').map((o) => o.name)).toEqual(expect.arrayContaining(['topPercent', 'shareOfTotalAtLeast', 'quantileAtLeast']));
    expect(operatorsForFactType('string').map((o) => o.name)).not.toContain('topPercent');
  });

  it.each([0, -5, 100.5, 120, '20'])('refuses topPercent %p outside (0, 100] at the value', (value) => {
    expect(errors({ fact: 'profit', operator: 'topPercent', value })).toEqual([['tiers[0].when.all[0].value', 'invalid-value']]);
  });

  it('refuses wrong facts, buckets and parameters with their paths', () => {
    expect(errors({ fact: 'name', operator: 'topPercent', value: 20 })).toEqual([['tiers[0].when.all[0].operator', 'operator-type-mismatch']]);
    expect(errors({ fact: 'sales', operator: 'shareOfTotalAtLeast', value: 0 })).toEqual([['tiers[0].when.all[0].value', 'invalid-value']]);
    expect(errors({ fact: 'frequency', operator: 'quantileAtLeast', value: 3 })).toEqual([['tiers[0].when.all[0].params.quantiles', 'required']]);
    expect(errors({ fact: 'frequency', operator: 'quantileAtLeast', value: 6, params: { quantiles: 5 } })).toEqual([
      ['tiers[0].when.all[0].value', 'invalid-value'],
    ]);
    expect(errors({ fact: 'frequency', operator: 'quantileAtLeast', value: 2, params: { quantiles: 1 } })).toEqual([
      ['tiers[0].when.all[0].params.quantiles', 'invalid-value'],
    ]);
    expect(errors({ fact: 'profit', operator: 'topPercent', value: 20, params: { cumulative: true } })).toEqual([
      ['tiers[0].when.all[0].params.cumulative', 'unknown-param'],
    ]);
    expect(errors({ fact: 'profit', operator: 'topPercent', value: 20, params: { groupBy: 'nope' } })).toEqual([
      ['tiers[0].when.all[0].params.groupBy', 'unknown-fact'],
    ]);
    expect(errors({ fact: 'profit', operator: 'topPercent', value: 20, params: { groupBy: 'sales' } })).toEqual([
      ['tiers[0].when.all[0].params.groupBy', 'invalid-group-fact'],
    ]);
    expect(errors({ fact: 'profit', operator: 'topPercent', value: { fact: 'sales' } })).toEqual([
      ['tiers[0].when.all[0].value', 'fact-reference-not-allowed'],
    ]);
    const scored: PolicyDefinition = {
      ...leafAt({ fact: 's', operator: 'topPercent', value: 20 }),
      scores: [{ key: 's', label: 's', components: [{ label: 'p', fact: 'profit', weight: 1 }] }],
    };
    expect(validatePolicy(scored, facts).errors.map((e) => [e.path, e.code])).toEqual([['tiers[0].when.all[0].fact', 'population-score-fact']]);
  });

  it('lints a ladder with population conditions without inventing thresholds', () => {
    expect(lintLadder(pyramid, facts)).toEqual([]);
  });

  it('diffs a moved cut as a percentage, in both languages', () => {
    const after: PolicyDefinition = { ...pyramid, tiers: [{ ...pyramid.tiers[0], when: top(25) }, ...pyramid.tiers.slice(1)] };
    const d = diffPolicies(pyramid, after, { facts });
    const text = JSON.stringify(d);
    expect(text).toContain('利润 排名前 20% → 25%');
    expect(text).toContain('Profit in the top 20% → 25%');
  });
});
