import {
  compileFast,
  createEvaluator,
  diffPolicies,
  explain,
  EvaluationError,
  validatePolicy,
  type FactDefinition,
  type Issue,
  type PolicyDefinition,
} from '../src';

const facts: FactDefinition[] = [
  { key: 'customerSales', label: '客户销售额', labelEn: 'Customer sales', type: 'number', unit: 'CNY' },
  { key: 'totalSales', label: '总销售额', labelEn: 'Total sales', type: 'number', unit: 'CNY' },
  { key: 'deposits', label: '存款', labelEn: 'Deposits', type: 'number', unit: 'CNY' },
  { key: 'loans', label: '贷款', labelEn: 'Loans', type: 'number', unit: 'CNY' },
  { key: 'visits', label: '到店次数', labelEn: 'Visits', type: 'integer' },
  { key: 'region', label: '地区', labelEn: 'Region', type: 'enum', enumValues: ['north', 'south'] },
];

/** ABC by share of total sales (A above 70%, B 30–70%), and a score on the sum of deposits and loans. */
const abc: PolicyDefinition = {
  schemaVersion: 1,
  computed: {
    salesShare: { label: '销售占比', labelEn: 'Share of total sales', expr: { div: [{ fact: 'customerSales' }, { fact: 'totalSales' }] } },
    business: { label: '业务量', labelEn: 'Business volume', unit: 'CNY', expr: { add: [{ fact: 'deposits' }, { fact: 'loans' }] } },
    capped: { label: '封顶业务量', labelEn: 'Capped volume', unit: 'CNY', expr: { min: [{ fact: 'business' }, 1_000_000] } },
  },
  scores: [{ key: 'volumeScore', label: '业务得分', components: [{ label: '业务量（万）', fact: 'capped', weight: 0.0001 }] }],
  tiers: [
    { key: 'A', name: 'A 类', when: { all: [{ fact: 'salesShare', operator: 'greaterThan', value: 0.7 }] } },
    { key: 'B', name: 'B 类', when: { all: [{ fact: 'salesShare', operator: 'greaterThanInclusive', value: 0.3 }] } },
    { key: 'BIG', name: '大客户', when: { all: [{ fact: 'volumeScore', operator: 'greaterThanInclusive', value: 50 }] } },
    { key: 'C', name: 'C 类' },
  ],
};

const errorsOf = (def: unknown): Pick<Issue, 'path' | 'code'>[] => validatePolicy(def, facts).errors.map(({ path, code }) => ({ path, code }));
const withComputed = (computed: unknown, when: unknown = { all: [{ fact: 'x', operator: 'greaterThan', value: 0 }] }) => ({
  schemaVersion: 1,
  computed,
  tiers: [
    { key: 'A', name: 'A', when },
    { key: 'B', name: 'B' },
  ],
});

describe('computed facts (expressions)', () => {
  it('accepts ratios, sums and min/max, and rates at the boundaries through json-rules-engine and compileFast alike', async () => {
    expect(validatePolicy(abc, facts).errors).toEqual([]);
    const ev = createEvaluator(abc, facts);
    const fast = compileFast(abc, facts);
    const cases: [Record<string, unknown>, string][] = [
      [{ customerSales: 700_001, totalSales: 1_000_000 }, 'A'],
      [{ customerSales: 700_000, totalSales: 1_000_000 }, 'B'], // exactly 70% is not "above 70%"
      [{ customerSales: 300_000, totalSales: 1_000_000 }, 'B'],
      [{ customerSales: 299_999, totalSales: 1_000_000 }, 'C'],
      [{ customerSales: 5, totalSales: 0 }, 'C'], // division by zero: no share, every condition on it false
      [{ customerSales: '900000', totalSales: 1_000_000 }, 'C'], // a string is not a number for arithmetic
      [{ customerSales: 1, totalSales: 100, deposits: 300_000, loans: 200_000 }, 'BIG'], // 500,000 × 0.0001 = 50
      [{ deposits: 300_000, loans: 199_999 }, 'C'],
      [{ deposits: 9_000_000, loans: 1 }, 'BIG'], // capped at 1,000,000 → 100
      [{ deposits: 9_000_000 }, 'C'], // a missing operand: no sum
    ];
    for (const [input, tier] of cases) {
      const r = await ev.evaluate(input);
      expect([input, r.tier?.key]).toEqual([input, tier]);
      expect(fast(input)).toEqual({ eligible: true, tierIndex: abc.tiers.findIndex((t) => t.key === tier), scores: r.scores });
    }
    expect((await ev.evaluate({ deposits: 9_000_000, loans: 1 })).scores).toEqual({ volumeScore: 100 });
  });

  it('shows the computed value and how it was computed in the trace and the explanation (zh-CN and en)', async () => {
    const ev = createEvaluator(abc, facts);
    const r = await ev.evaluate({ customerSales: 750_000, totalSales: 1_000_000 });
    const leaf = r.trace.find((t) => t.kind === 'tier' && t.tier === 'A');
    expect(leaf).toMatchObject({
      matched: true,
      condition: { children: [{ fact: 'salesShare', factValue: 0.75, inputs: { customerSales: 750_000, totalSales: 1_000_000 }, result: true }] },
    });
    expect(explain(r, abc, facts, 'zh-CN')).toContain('销售占比 0.75（= 客户销售额 750,000 ÷ 总销售额 1,000,000） > 0.7 → A 类');
    expect(explain(r, abc, facts, 'en')).toContain('Share of total sales 0.75 (= Customer sales 750,000 ÷ Total sales 1,000,000) > 0.7 → A 类');
    const zero = await ev.evaluate({ customerSales: 5, totalSales: 0 });
    expect(explain(zero, abc, facts, 'zh-CN')).toContain('未达到A 类：销售占比 无法计算（客户销售额 5 ÷ 总销售额 0），条件不成立');
    const nested = await ev.evaluate({ deposits: 2_000_000, loans: 0, customerSales: 0, totalSales: 1 });
    expect(explain(nested, abc, facts, 'en')).toContain('业务得分 = 封顶业务量（万） 1,000,000 × 0.0001 = 100'.replace('封顶业务量（万）', 'Capped volume'));
  });

  it("with missingFacts 'error' names the computed fact's missing inputs", async () => {
    const ev = createEvaluator(abc, facts, { missingFacts: 'error' });
    await expect(ev.evaluate({ customerSales: 1 })).rejects.toMatchObject({
      code: 'missing-fact',
      facts: expect.arrayContaining(['totalSales', 'deposits', 'loans']),
    });
    await expect(ev.evaluate({ customerSales: 1 })).rejects.toBeInstanceOf(EvaluationError);
  });

  it.each<[string, unknown, unknown, { path: string; code: string }[]]>([
    [
      'a sum of unlike units',
      { x: { label: 'x', expr: { add: [{ fact: 'deposits' }, { fact: 'visits' }] } } },
      undefined,
      [{ path: 'computed.x.expr.add[1]', code: 'unit-mismatch' }],
    ],
    [
      'a min of unlike units',
      { x: { label: 'x', expr: { min: [{ fact: 'visits' }, { fact: 'loans' }, 3] } } },
      undefined,
      [{ path: 'computed.x.expr.min[1]', code: 'unit-mismatch' }],
    ],
    [
      'a declared unit the expression does not give',
      { x: { label: 'x', unit: 'CNY', expr: { div: [{ fact: 'deposits' }, { fact: 'loans' }] } } },
      undefined,
      [{ path: 'computed.x.unit', code: 'unit-mismatch' }],
    ],
    [
      'arithmetic on an enum',
      { x: { label: 'x', expr: { mul: [{ fact: 'region' }, 2] } } },
      undefined,
      [{ path: 'computed.x.expr.mul[0].fact', code: 'expression-type-mismatch' }],
    ],
    [
      'an unknown fact',
      { x: { label: 'x', expr: { sub: [{ fact: 'nope' }, 1] } } },
      undefined,
      [{ path: 'computed.x.expr.sub[0].fact', code: 'unknown-fact' }],
    ],
    [
      'a later computed fact',
      { x: { label: 'x', expr: { add: [{ fact: 'y' }, 1] } }, y: { label: 'y', expr: { add: [{ fact: 'visits' }, 1] } } },
      undefined,
      [{ path: 'computed.x.expr.add[0].fact', code: 'computed-forward-reference' }],
    ],
    [
      'itself',
      { x: { label: 'x', expr: { add: [{ fact: 'x' }, 1] } } },
      undefined,
      [{ path: 'computed.x.expr.add[0].fact', code: 'computed-forward-reference' }],
    ],
    ['a division of three', { x: { label: 'x', expr: { div: [1, 2, 3] } } }, undefined, [{ path: 'computed.x.expr.div', code: 'invalid-expression' }]],
    ['a sum of one', { x: { label: 'x', expr: { add: [{ fact: 'visits' }] } } }, undefined, [{ path: 'computed.x.expr.add', code: 'invalid-expression' }]],
    [
      'not an expression',
      { x: { label: 'x', expr: { add: [{ fact: 'visits' }, '2'] } } },
      undefined,
      [{ path: 'computed.x.expr.add[1]', code: 'invalid-expression' }],
    ],
    [
      'two operators in one node',
      { x: { label: 'x', expr: { add: [1, 2], mul: [1, 2] } } },
      undefined,
      [{ path: 'computed.x.expr', code: 'invalid-expression' }],
    ],
    [
      'a key of the catalog',
      { deposits: { label: 'x', expr: 1 } },
      { all: [{ fact: 'visits', operator: 'greaterThan', value: 0 }] },
      [{ path: 'computed.deposits', code: 'computed-shadows-fact' }],
    ],
    [
      'a missing label and expr',
      { x: { unit: 'CNY' } },
      undefined,
      [
        { path: 'computed.x.label', code: 'required' },
        { path: 'computed.x.expr', code: 'required' },
      ],
    ],
    [
      'a ratio compared with an amount',
      { x: { label: 'x', expr: { div: [{ fact: 'deposits' }, { fact: 'loans' }] } } },
      { all: [{ fact: 'x', operator: 'greaterThan', value: { fact: 'deposits' } }] },
      [{ path: 'tiers[0].when.all[0].value.fact', code: 'unit-mismatch' }],
    ],
    [
      'a string threshold on a computed fact',
      { x: { label: 'x', expr: 1 } },
      { all: [{ fact: 'x', operator: 'greaterThan', value: '1' }] },
      [{ path: 'tiers[0].when.all[0].value', code: 'invalid-value' }],
    ],
  ])('refuses %s, at its path', (_name, computed, when, expected) => {
    expect(errorsOf(withComputed(computed, when))).toEqual(expected);
  });

  it('says type and unit problems in zh-CN and en', () => {
    const { errors } = validatePolicy(withComputed({ x: { label: 'x', expr: { add: [{ fact: 'deposits' }, { fact: 'visits' }] } } }), facts);
    expect(errors[0]).toMatchObject({
      message: '"add" combines "CNY" with no unit; sums, differences, min and max need one unit.',
      messageZh: '"add" 混用了单位 "CNY" 和 无单位；加、减、最小、最大需要相同单位。',
    });
  });

  it('accepts an amount compared with a computed amount, products with constants and a score reading a computed fact', () => {
    const def = withComputed(
      { net: { label: '净存款', unit: 'CNY', expr: { sub: [{ fact: 'deposits' }, { mul: [{ fact: 'loans' }, 0.5] }] } } },
      { all: [{ fact: 'net', operator: 'greaterThan', value: { fact: 'customerSales' } }] },
    );
    expect(errorsOf(def)).toEqual([]);
  });

  it('counts a changed expression as a change of every tier that reads it (the diff)', () => {
    const after = structuredClone(abc);
    after.computed!.business.expr = { add: [{ fact: 'deposits' }, { mul: [{ fact: 'loans' }, 0.5] }] };
    const d = diffPolicies(abc, after, { facts });
    const change = d.changes.find((c) => c.section === 'computed');
    expect(change).toMatchObject({ owner: 'business', path: 'computed.business', tiers: ['BIG'] });
    expect(change?.text['zh-CN']).toBe('业务量 = 存款 + 贷款 → 存款 + 贷款 × 0.5');
    expect(d.tiers.filter((t) => t.change !== 'unchanged').map((t) => t.key)).toEqual(['BIG']);
  });
});
