import { diffPolicies, type PolicyDefinition } from '../src';
import { templateFile } from './support/template-files';
import { cardFacts, govFacts, govPolicy } from './fixtures';

const gte = (fact: string, value: unknown) => ({ fact, operator: 'greaterThanInclusive', value });
const facts = [
  { key: 'assets', label: '日均资产', labelEn: 'Average daily assets', type: 'number' as const },
  { key: 'active', label: '活跃客户', labelEn: 'Active', type: 'boolean' as const },
  { key: 'hasValidId', label: '持有有效身份证件', labelEn: 'Holds a valid ID', type: 'boolean' as const },
];

/** `rich` is used by PLATINUM directly and by BLACK through `richAndActive`. */
const ladder = (richFrom: number): PolicyDefinition => ({
  schemaVersion: 1,
  eligibility: { all: [{ fact: 'hasValidId', operator: 'equal', value: true }] },
  conditions: {
    rich: { any: [gte('assets', richFrom)] },
    richAndActive: { all: [{ condition: 'rich' }, { fact: 'active', operator: 'equal', value: true }] },
  },
  tiers: [
    { key: 'BLACK', name: '黑金客户', nameEn: 'Black', benefitPackage: 'black', when: { condition: 'richAndActive' } },
    { key: 'PLATINUM', name: '白金客户', nameEn: 'Platinum', benefitPackage: 'platinum', when: { condition: 'rich' } },
    { key: 'GOLD', name: '金卡客户', nameEn: 'Gold', benefitPackage: 'gold', when: { all: [gte('assets', 100_000)] } },
    { key: 'SILVER', name: '银卡客户', nameEn: 'Silver', benefitPackage: 'silver' },
  ],
});

const statuses = (d: ReturnType<typeof diffPolicies>) => Object.fromEntries(d.tiers.map((t) => [t.key, t.change]));

describe('diffPolicies', () => {
  it("a named condition's threshold changes every tier that uses it, directly or through another named condition", () => {
    const d = diffPolicies(ladder(300_000), ladder(500_000), { facts });
    expect(statuses(d)).toEqual({ BLACK: 'changed', PLATINUM: 'changed', GOLD: 'unchanged', SILVER: 'unchanged' });
    expect(d.summary).toEqual({ added: 0, removed: 0, changed: 2, moved: 0, unchanged: 2 });
    expect(d.changes).toEqual([
      {
        section: 'condition',
        owner: 'rich',
        aspect: 'condition',
        change: 'changed',
        path: 'conditions.rich.any[0]',
        before: { operator: 'greaterThanInclusive', value: 300_000 },
        after: { operator: 'greaterThanInclusive', value: 500_000 },
        tiers: ['BLACK', 'PLATINUM'],
        text: { 'zh-CN': 'rich · 日均资产 ≥ 300,000 → 500,000', en: 'rich · Average daily assets ≥ 300,000 → 500,000' },
      },
    ]);
    const platinum = d.tiers.find((t) => t.key === 'PLATINUM')!;
    expect(platinum).toMatchObject({ changes: [0], conditions: [], moved: false });
    expect(platinum.text).toEqual([
      { 'zh-CN': '白金客户：rich · 日均资产 ≥ 300,000 → 500,000', en: 'Platinum: rich · Average daily assets ≥ 300,000 → 500,000' },
    ]);
    expect(d.namedConditions).toEqual([
      { name: 'rich', change: 'changed', conditions: [expect.objectContaining({ path: 'any[0]' })], tiers: ['BLACK', 'PLATINUM'] },
    ]);
  });

  it("a tier's own threshold: that tier only, with its path inside the tier (the API's LeafDiff shape)", () => {
    const after = ladder(300_000);
    after.tiers[2].when = { all: [gte('assets', 150_000)] };
    const d = diffPolicies(ladder(300_000), after);
    expect(statuses(d)).toEqual({ BLACK: 'unchanged', PLATINUM: 'unchanged', GOLD: 'changed', SILVER: 'unchanged' });
    expect(d.tiers[2].conditions).toEqual([
      {
        path: 'all[0]',
        fact: 'assets',
        change: 'changed',
        before: { operator: 'greaterThanInclusive', value: 100_000 },
        after: { operator: 'greaterThanInclusive', value: 150_000 },
      },
    ]);
    expect(d.changes[0]).toMatchObject({ path: 'tiers[2].when.all[0]', tiers: ['GOLD'], text: { en: 'assets ≥ 100,000 → 150,000' } });
  });

  it('eligibility affects every tier; a package, a name and a position affect their tier', () => {
    const after = ladder(300_000);
    after.eligibility = {
      all: [
        { fact: 'hasValidId', operator: 'equal', value: true },
        { fact: 'active', operator: 'equal', value: true },
      ],
    };
    expect(Object.values(statuses(diffPolicies(ladder(300_000), after)))).toEqual(['changed', 'changed', 'changed', 'changed']);
    expect(diffPolicies(ladder(300_000), after, { facts }).changes[0].text).toEqual({
      'zh-CN': '评级资格 · 新增条件：活跃客户 = 是',
      en: 'eligibility · added: Active = yes',
    });

    const moved = ladder(300_000);
    [moved.tiers[0], moved.tiers[1]] = [moved.tiers[1], moved.tiers[0]];
    moved.tiers[2] = { ...moved.tiers[2], benefitPackage: 'silver', nameEn: 'Gold card' };
    const d = diffPolicies(ladder(300_000), moved, { packages: [{ key: 'gold', name: '金卡权益', nameEn: 'Gold benefits' }] });
    expect(statuses(d)).toEqual({ PLATINUM: 'changed', BLACK: 'changed', GOLD: 'changed', SILVER: 'unchanged' });
    expect(d.tiers.find((t) => t.key === 'BLACK')).toMatchObject({ moved: true, rank: { before: 1, after: 2 } });
    expect(d.tiers.find((t) => t.key === 'GOLD')!.text.map((t) => t.en)).toEqual([
      'Gold card: benefit package Gold benefits → silver',
      'Gold card: English name Gold → Gold card',
    ]);
    expect(d.tiers.find((t) => t.key === 'BLACK')!.text.map((t) => t['zh-CN'])).toEqual(['黑金客户：位次 #1 → #2']);
  });

  it('a score change affects the tiers that read the score (and a score it reads), not the default tier', () => {
    const after = structuredClone(govPolicy);
    after.scores![0].components[0] = { label: '历史销售', fact: 'historyScore', weight: 0.6 };
    const d = diffPolicies(govPolicy, after, { facts: govFacts });
    expect(statuses(d)).toEqual({ A: 'changed', B: 'changed', C: 'unchanged' });
    expect(d.scores).toEqual([expect.objectContaining({ key: 'govScore', change: 'changed', tiers: ['A', 'B'] })]);
    expect(d.changes.map((c) => c.text['zh-CN'])).toEqual(['客户评分 · 历史销售 × 0.5 → 历史销售 × 0.6']);

    // a second score reading the first: a change to the first reaches tiers on the second
    const chained = (w: number): PolicyDefinition => ({
      ...structuredClone(govPolicy),
      scores: [
        { ...structuredClone(govPolicy.scores![0]), components: [{ label: 'h', fact: 'historyScore', weight: w }] },
        { key: 'total', label: '总分', components: [{ label: 'g', fact: 'govScore', weight: 1 }] },
      ],
      tiers: [
        { key: 'TOP', name: '顶级', when: { all: [gte('total', 80)] } },
        { key: 'REST', name: '其他' },
      ],
    });
    expect(statuses(diffPolicies(chained(0.5), chained(0.7)))).toEqual({ TOP: 'changed', REST: 'unchanged' });
  });

  it('added and removed tiers, and nothing between a template and itself', () => {
    const fewer = ladder(300_000);
    fewer.tiers.splice(1, 1);
    fewer.tiers.unshift({ key: 'DIAMOND', name: '钻石', when: { all: [gte('assets', 5_000_000)] } });
    const d = diffPolicies(ladder(300_000), fewer);
    expect(statuses(d)).toEqual({ DIAMOND: 'added', BLACK: 'changed', GOLD: 'unchanged', SILVER: 'unchanged', PLATINUM: 'removed' });
    expect(d.summary).toMatchObject({ added: 1, removed: 1 });

    const def = templateFile('cib-card').definition;
    const same = diffPolicies(def, structuredClone(def), { facts: cardFacts });
    expect(same.changes).toEqual([]);
    expect(same.tiers.every((t) => t.change === 'unchanged')).toBe(true);
  });

  it('never throws on half-edited drafts', () => {
    const junk: unknown[] = [{}, { tiers: 'x' }, { tiers: [null, 1, { key: 'A' }], conditions: [], scores: {} }, { tiers: [{ key: 'A', when: { all: 'x' } }] }];
    for (const a of junk) for (const b of junk) expect(() => diffPolicies(a as PolicyDefinition, b as PolicyDefinition)).not.toThrow();
  });
});

describe('diffPolicies — notes', () => {
  it('lists a changed rule note without counting any tier as changed', () => {
    const after = ladder(300_000);
    after.tiers[1].note = { choice: { zh: '本策略的选择', en: 'our choice' } };
    after.notes = { conditions: { rich: { source: { zh: '来源', en: 'source' } } } };
    const d = diffPolicies(ladder(300_000), after);
    expect(Object.values(statuses(d)).every((s) => s === 'unchanged')).toBe(true);
    expect(d.changes.map((c) => [c.aspect, c.path, c.tiers, c.text.en])).toEqual([
      ['note', 'tiers[1].note', [], 'Platinum · note added'],
      ['note', 'notes.conditions.rich', [], 'rich · note added'],
    ]);
  });
});
