import { compileFast, createEvaluator, diffPolicies, explain, validatePolicy, type FactDefinition, type Issue, type PolicyDefinition } from '../src';

const facts: FactDefinition[] = [
  { key: 'historySales', label: '历史销售额', labelEn: 'History sales', type: 'number', unit: 'CNY' },
  { key: 'forecastSales', label: '预计销售额', labelEn: 'Forecast sales', type: 'number', unit: 'CNY' },
  { key: 'twoYearShareReached', label: '两年累计销售达标', labelEn: 'Two-year sales share reached', type: 'boolean' },
  { key: 'region', label: '地区', type: 'enum', enumValues: ['north', 'south'] },
];

/** The government scheme: amounts → scores by tables (ours: the source gives none), (history × 50% + forecast × 50%) × 1.05. */
const gov: PolicyDefinition = {
  schemaVersion: 1,
  scores: [
    {
      key: 'govScore',
      label: '客户评分',
      labelEn: 'Customer score',
      components: [
        {
          label: '历史销售',
          fact: 'historySales',
          weight: 0.5,
          steps: [
            { max: 1_000_000, points: 60 },
            { min: 1_000_000, max: 2_000_000, points: 90 },
            { min: 2_000_000, max: 3_000_000, points: 95 },
            { min: 3_000_000, points: 100 },
          ],
        },
        {
          label: '预计销售',
          fact: 'forecastSales',
          weight: 0.5,
          steps: [
            { max: 1_000_000, points: 50 },
            { min: 1_000_000, max: 5_000_000, points: 70 },
            { min: 5_000_000, points: 90 },
          ],
        },
      ],
      multipliers: [{ label: '两年累计销售加成', factor: 1.05, when: { all: [{ fact: 'twoYearShareReached', operator: 'equal', value: true }] } }],
    },
  ],
  tiers: [
    { key: 'A', name: 'A 级', when: { all: [{ fact: 'govScore', operator: 'greaterThanInclusive', value: 84 }] } },
    { key: 'B', name: 'B 级' },
  ],
};

const errorsOf = (def: unknown): Pick<Issue, 'path' | 'code'>[] => validatePolicy(def, facts).errors.map(({ path, code }) => ({ path, code }));
const withSteps = (component: Record<string, unknown>): PolicyDefinition =>
  ({
    schemaVersion: 1,
    scores: [{ key: 's', label: 's', components: [{ label: '分段', fact: 'historySales', ...component }] }],
    tiers: [{ key: 'A', name: 'A' }],
  }) as unknown as PolicyDefinition;

describe('step-table score components', () => {
  it("scores the source's worked example 84 (1.5M history → 90, 4M forecast → 70, × 1.05) in both evaluators, at every band edge", async () => {
    expect(validatePolicy(gov, facts)).toEqual({ valid: true, errors: [], warnings: [] });
    const ev = createEvaluator(gov, facts);
    const fast = compileFast(gov, facts);
    const example = { historySales: 1_500_000, forecastSales: 4_000_000, twoYearShareReached: true };
    expect((await ev.evaluate(example)).scores).toEqual({ govScore: 84 });
    expect(fast(example)).toEqual({ eligible: true, tierIndex: 0, scores: { govScore: 84 } });
    const cases: [number, number][] = [
      [999_999.99, 60],
      [1_000_000, 90], // a band holds its min: exactly 1,000,000 is in 1,000,000–2,000,000
      [1_999_999, 90],
      [2_000_000, 95],
      [3_000_000, 100],
      [-5, 60], // open below
      [1e12, 100], // open above
    ];
    for (const [history, points] of cases) {
      const input = { historySales: history, forecastSales: 0 };
      const r = await ev.evaluate(input);
      expect([history, r.scores.govScore]).toEqual([history, points * 0.5 + 25]);
      expect(fast(input).scores).toEqual(r.scores);
    }
    // a missing or non-number amount contributes 0
    for (const input of [{ forecastSales: 0 }, { historySales: '1500000', forecastSales: 0 }, { historySales: null, forecastSales: 0 }]) {
      expect((await ev.evaluate(input)).scores).toEqual({ govScore: 25 });
      expect(fast(input).scores).toEqual({ govScore: 25 });
    }
  });

  it('with inclusive "max" a band holds its max instead', async () => {
    const def = withSteps({
      inclusive: 'max',
      steps: [
        { max: 1_000_000, points: 1 },
        { min: 1_000_000, points: 2 },
      ],
    });
    expect(errorsOf(def)).toEqual([]);
    const ev = createEvaluator(def, facts);
    const fast = compileFast(def, facts);
    for (const [x, pts] of [
      [1_000_000, 1],
      [1_000_000.01, 2],
    ]) {
      expect((await ev.evaluate({ historySales: x })).scores).toEqual({ s: pts });
      expect(fast({ historySales: x }).scores).toEqual({ s: pts });
    }
  });

  it('explains which band the amount fell in, in zh-CN and en', async () => {
    const ev = createEvaluator(gov, facts);
    const r = await ev.evaluate({ historySales: 1_500_000, forecastSales: 4_000_000, twoYearShareReached: true });
    expect(r.trace.find((t) => t.kind === 'score')).toMatchObject({
      components: [
        { band: 1, points: 90, contribution: 45 },
        { band: 1, points: 70, contribution: 35 },
      ],
    });
    expect(explain(r, gov, facts, 'zh-CN')[0]).toBe(
      '客户评分 = (历史销售 1,500,000（≥ 1,000,000 且 < 2,000,000） → 90 × 0.5 + 预计销售 4,000,000（≥ 1,000,000 且 < 5,000,000） → 70 × 0.5) × 1.05（两年累计销售加成） = 84',
    );
    expect(explain(r, gov, facts, 'en')[0]).toBe(
      'Customer score = (History sales 1,500,000 (≥ 1,000,000 and < 2,000,000) → 90 × 0.5 + Forecast sales 4,000,000 (≥ 1,000,000 and < 5,000,000) → 70 × 0.5) × 1.05 (两年累计销售加成) = 84',
    );
  });

  it('warns of a gap between bands (a value there earns 0, and says so)', async () => {
    const def = withSteps({
      steps: [
        { max: 100, points: 1 },
        { min: 200, points: 2 },
      ],
    });
    expect(validatePolicy(def, facts).warnings).toEqual([
      {
        path: 'scores[0].components[0].steps[1].min',
        code: 'step-gap',
        message: 'Values from 100 to 200 fall in no band of "分段" and earn 0 points.',
        messageZh: '100 到 200 之间的值不在"分段"的任何分段内，计 0 分。',
      },
    ]);
    const r = await createEvaluator(def, facts).evaluate({ historySales: 150 });
    expect(r.scores).toEqual({ s: 0 });
    expect(compileFast(def, facts)({ historySales: 150 }).scores).toEqual({ s: 0 });
    expect(explain(r, def, facts, 'zh-CN')[0]).toBe('s = History sales 150 不在任何分段（计 0） = 0'.replace('History sales', '分段'));
  });

  it.each<[string, Record<string, unknown>, { path: string; code: string }[]]>([
    [
      'overlapping bands',
      {
        steps: [
          { max: 200, points: 1 },
          { min: 100, points: 2 },
        ],
      },
      [{ path: 'scores[0].components[0].steps[1].min', code: 'steps-overlap' }],
    ],
    [
      'bands out of order',
      {
        steps: [
          { min: 100, max: 200, points: 1 },
          { min: 0, max: 50, points: 2 },
        ],
      },
      [{ path: 'scores[0].components[0].steps[1].min', code: 'steps-not-ordered' }],
    ],
    [
      'a band whose max is not above its min',
      { steps: [{ min: 100, max: 100, points: 1 }] },
      [{ path: 'scores[0].components[0].steps[0].max', code: 'invalid-value' }],
    ],
    [
      'a middle band open below',
      {
        steps: [
          { max: 100, points: 1 },
          { max: 200, points: 2 },
        ],
      },
      [{ path: 'scores[0].components[0].steps[1].min', code: 'required' }],
    ],
    [
      'a first band open above',
      {
        steps: [
          { min: 0, points: 1 },
          { min: 100, points: 2 },
        ],
      },
      [{ path: 'scores[0].components[0].steps[0].max', code: 'required' }],
    ],
    ['no bands', { steps: [] }, [{ path: 'scores[0].components[0].steps', code: 'invalid-type' }]],
    ['a band without points', { steps: [{ min: 0 }] }, [{ path: 'scores[0].components[0].steps[0].points', code: 'required' }]],
    ['an unknown band property', { steps: [{ min: 0, points: 1, from: 3 }] }, [{ path: 'scores[0].components[0].steps[0].from', code: 'unknown-property' }]],
    ['a string bound', { steps: [{ min: '0', points: 1 }] }, [{ path: 'scores[0].components[0].steps[0].min', code: 'invalid-type' }]],
    ['a bad inclusive', { inclusive: 'both', steps: [{ points: 1 }] }, [{ path: 'scores[0].components[0].inclusive', code: 'invalid-value' }]],
    ['a non-number fact', { fact: 'region', steps: [{ points: 1 }] }, [{ path: 'scores[0].components[0].fact', code: 'operator-type-mismatch' }]],
  ])('refuses %s, at its path', (_name, component, expected) => {
    expect(errorsOf(withSteps(component))).toEqual(expected);
  });

  it('says overlap and order problems in zh-CN and en', () => {
    const [overlap] = validatePolicy(
      withSteps({
        steps: [
          { max: 200, points: 1 },
          { min: 100, points: 2 },
        ],
      }),
      facts,
    ).errors;
    expect(overlap).toMatchObject({
      message: 'Bands overlap: this band starts at 100, before the band before it ends (200).',
      messageZh: '分段重叠：此分段从 100 开始，前一分段到 200 才结束。',
    });
  });

  it('reads a computed fact (a ratio mapped to points) and lists a changed table in the diff against the tiers it feeds', async () => {
    const def: PolicyDefinition = {
      schemaVersion: 1,
      computed: { growth: { label: '增长率', labelEn: 'Growth', expr: { div: [{ fact: 'forecastSales' }, { fact: 'historySales' }] } } },
      scores: [
        {
          key: 'g',
          label: '增长得分',
          components: [
            {
              label: '增长',
              fact: 'growth',
              steps: [
                { max: 1, points: 0 },
                { min: 1, max: 2, points: 5 },
                { min: 2, points: 10 },
              ],
            },
          ],
        },
      ],
      tiers: [
        { key: 'UP', name: '增长', when: { all: [{ fact: 'g', operator: 'greaterThanInclusive', value: 5 }] } },
        { key: 'FLAT', name: '持平' },
      ],
    };
    expect(validatePolicy(def, facts).errors).toEqual([]);
    const ev = createEvaluator(def, facts);
    expect((await ev.evaluate({ historySales: 100, forecastSales: 200 })).scores).toEqual({ g: 10 });
    expect(compileFast(def, facts)({ historySales: 100, forecastSales: 200 })).toEqual({ eligible: true, tierIndex: 0, scores: { g: 10 } });
    const after = structuredClone(def);
    (after.scores![0].components[0] as { steps: { points: number }[] }).steps[1].points = 6;
    const d = diffPolicies(def, after, { facts });
    expect(d.changes.map((c) => [c.path, c.tiers, c.text.en])).toEqual([
      [
        'scores[0].components[0]',
        ['UP'],
        'score 增长得分 · 增长 [−∞–1: 0; 1–2: 5; 2–∞: 10] → 增长 [−∞–1: 0; 1–2: 6; 2–∞: 10]'.replace('score 增长得分', '增长得分'),
      ],
    ]);
  });
});
