import { validatePolicy, type FactDefinition, type PolicyDefinition } from '../src';

const facts: FactDefinition[] = [
  { key: 'loyalty', label: '忠诚度', labelEn: 'Loyalty', type: 'integer' },
  { key: 'capacity', label: '经济能力', labelEn: 'Capacity', type: 'enum', enumValues: ['high', 'low'] },
  { key: 'valueToBank', label: '对银行价值', labelEn: 'Value to the bank', type: 'number' },
  { key: 'valueOfBank', label: '银行对客户价值', labelEn: 'Value of the bank', type: 'number' },
  { key: 'tags', label: '标签', type: 'string[]' },
];
const gte = (fact: string, value: number) => ({ fact, operator: 'greaterThanInclusive', value });
const lt = (fact: string, value: number) => ({ fact, operator: 'lessThan', value });
const is = (value: string) => ({ fact: 'capacity', operator: 'equal', value });

/** The dealer's loyalty × economic capacity grid (cells our choice). */
const dealer = (extra: PolicyDefinition['tiers'] = []): PolicyDefinition => ({
  schemaVersion: 1,
  grid: { facts: ['loyalty', 'capacity'] },
  tiers: [
    { key: 'PREMIUM', name: '优质', nameEn: 'Premium', when: { all: [gte('loyalty', 8), is('high')] } },
    {
      key: 'POTENTIAL',
      name: '潜力',
      nameEn: 'Potential',
      when: { any: [{ all: [gte('loyalty', 8), is('low')] }, { all: [gte('loyalty', 5), lt('loyalty', 8), is('high')] }] },
    },
    ...extra,
    { key: 'ORDINARY', name: '一般', nameEn: 'Ordinary', when: { all: [lt('loyalty', 5)] } },
  ],
});

const gridIssues = (def: PolicyDefinition) => validatePolicy(def, facts).warnings.filter((w) => w.code.startsWith('grid-'));

describe('two-dimensional grids (enum × number, number × number)', () => {
  it('warns of each uncovered cell (loyalty 5–7 with low capacity is in no tier), in zh-CN and en', () => {
    expect(gridIssues(dealer())).toEqual([
      {
        path: 'grid',
        code: 'grid-uncovered',
        message: 'The cell Loyalty = 5 × Capacity low falls in no tier.',
        messageZh: '单元格 忠诚度 = 5 × 经济能力 low 不属于任何等级。',
      },
      {
        path: 'grid',
        code: 'grid-uncovered',
        message: 'The cell Loyalty 5–8 × Capacity low falls in no tier.',
        messageZh: '单元格 忠诚度 5–8 × 经济能力 low 不属于任何等级。',
      },
    ]);
  });

  it('a complete grid raises nothing; a tier claiming cells of another is an overlap at its path', () => {
    const complete = dealer([{ key: 'LOW_MID', name: '中低', when: { all: [gte('loyalty', 5), lt('loyalty', 8), is('low')] } }]);
    expect(gridIssues(complete)).toEqual([]);
    const overlapping = dealer([{ key: 'WIDE', name: '宽', nameEn: 'Wide', when: { all: [gte('loyalty', 5), { not: { all: [is('high')] } }] } }]);
    const issues = gridIssues(overlapping);
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['tiers[2].when', 'grid-overlap'],
      ['tiers[2].when', 'grid-overlap'],
    ]);
    expect(issues[0].message).toBe('The cell Loyalty = 8 × Capacity low is claimed by "Potential" and "Wide"; the first wins, so "Wide" never gets it.');
    expect(issues[0].messageZh).toBe('单元格 忠诚度 = 8 × 经济能力 low 同时属于"潜力"和"宽"；先匹配者优先，"宽"不会得到它。');
  });

  it('number × number: the value-to-bank × value-of-bank matrix, a missing quadrant', () => {
    const def: PolicyDefinition = {
      schemaVersion: 1,
      grid: { facts: ['valueToBank', 'valueOfBank'] },
      tiers: [
        { key: 'STAR', name: '明星', when: { all: [gte('valueToBank', 50), gte('valueOfBank', 50)] } },
        { key: 'KEEP', name: '维持', when: { all: [gte('valueToBank', 50), lt('valueOfBank', 50)] } },
        { key: 'GROW', name: '培育', when: { all: [lt('valueToBank', 50), gte('valueOfBank', 50)] } },
      ],
    };
    expect(gridIssues(def).map((i) => i.message)).toEqual(['The cell Value to the bank < 50 × Value of the bank < 50 falls in no tier.']);
    // with a default tier the rest is taken by it: nothing uncovered
    expect(gridIssues({ ...def, tiers: [...def.tiers, { key: 'REST', name: '其他' }] })).toEqual([]);
  });

  it('validates the declaration with paths', () => {
    const codes = (grid: unknown) => validatePolicy({ schemaVersion: 1, grid, tiers: [{ key: 'A', name: 'A' }] }, facts).errors.map((e) => [e.path, e.code]);
    expect(codes({ facts: ['loyalty'] })).toEqual([['grid', 'invalid-grid']]);
    expect(codes({ facts: ['loyalty', 'nope'] })).toEqual([['grid.facts[1]', 'unknown-fact']]);
    expect(codes({ facts: ['loyalty', 'tags'] })).toEqual([['grid.facts[1]', 'invalid-grid']]);
    expect(codes({ facts: ['loyalty', 'loyalty'] })).toEqual([['grid.facts[1]', 'invalid-grid']]);
    expect(codes({ facts: ['loyalty', 'capacity'] })).toEqual([]);
  });
});
