import {
  conditionKind,
  conditionRoots,
  factsInCondition,
  factsInDefinition,
  foldCondition,
  referencesInCondition,
  Site,
  thresholdsByFact,
  walkCondition,
  walkDefinitionConditions,
  type Condition,
  type PolicyDefinition,
} from '../src';
import { templateFile } from './support/template-files';
import { govPolicy } from './fixtures';

const gte = (fact: string, value: unknown) => ({ fact, operator: 'greaterThanInclusive', value });

const definition: PolicyDefinition = {
  schemaVersion: 1,
  eligibility: { all: [{ fact: 'hasValidId', operator: 'equal', value: true }] },
  conditions: {
    rich: { any: [gte('assets', 1_000_000), gte('family', 800_000)] },
    richAndActive: { all: [{ condition: 'rich' }, { not: { fact: 'dormant', operator: 'equal', value: true } }] },
  },
  tiers: [
    { key: 'BLACK', name: '黑金', when: { condition: 'richAndActive' } },
    { key: 'GOLD', name: '金卡', when: { any: [gte('assets', 100_000), { fact: 'assets', operator: 'greaterThan', value: { fact: 'family' } }] } },
    { key: 'SILVER', name: '银卡' },
  ],
};

describe('conditionKind', () => {
  it('names exactly one kind, and nothing for malformed nodes', () => {
    expect([{ all: [] }, { any: [] }, { not: {} }, { condition: 'x' }, gte('a', 1)].map(conditionKind)).toEqual(['all', 'any', 'not', 'condition', 'leaf']);
    expect([null, 1, 'all', [], {}, { all: [], any: [] }, { fact: 'a', all: [] }].map(conditionKind)).toEqual(Array(7).fill(undefined));
  });
});

describe('walkCondition', () => {
  it('visits every node in document order with its path, depth and negation', () => {
    const seen: string[] = [];
    walkCondition(
      definition.conditions!.richAndActive,
      {
        group: (_n, kind, site) => void seen.push(`${kind} ${site.path} d${site.depth}`),
        not: (_n, site) => void seen.push(`not ${site.path} d${site.depth}`),
        reference: (ref, site) => void seen.push(`ref ${ref.condition} ${site.path} d${site.depth}`),
        leaf: (leaf, site) => void seen.push(`${leaf.fact} ${site.path} d${site.depth}${site.negated ? ' negated' : ''}`),
      },
      { at: Site.at(['conditions', 'richAndActive']) },
    );
    expect(seen).toEqual([
      'all conditions.richAndActive d0',
      'ref rich conditions.richAndActive.all[0] d1',
      'not conditions.richAndActive.all[1] d1',
      'dormant conditions.richAndActive.all[1].not d2 negated',
    ]);
  });

  it('follows references when given the named conditions: leaves carry their own place and the route', () => {
    const seen: { fact: string; path: string; via: readonly string[]; segments: (string | number)[] }[] = [];
    walkCondition(
      definition.tiers[0].when,
      { leaf: (leaf, site) => void seen.push({ fact: leaf.fact, path: site.path, via: site.via, segments: site.segments }) },
      { at: Site.at(['tiers', 0, 'when']), named: definition.conditions },
    );
    expect(seen).toEqual([
      { fact: 'assets', path: 'conditions.rich.any[0]', via: ['richAndActive', 'rich'], segments: ['conditions', 'rich', 'any', 0] },
      { fact: 'family', path: 'conditions.rich.any[1]', via: ['richAndActive', 'rich'], segments: ['conditions', 'rich', 'any', 1] },
      { fact: 'dormant', path: 'conditions.richAndActive.all[1].not', via: ['richAndActive'], segments: ['conditions', 'richAndActive', 'all', 1, 'not'] },
    ]);
  });

  it('never follows a cycle, and skips children when a callback returns false', () => {
    const named = { a: { all: [{ condition: 'b' }, gte('x', 1)] }, b: { any: [{ condition: 'a' }, gte('y', 2)] } };
    expect([...factsInCondition({ condition: 'a' }, new Set(), named)].sort()).toEqual(['x', 'y']);
    expect([...referencesInCondition({ condition: 'a' }, new Set(), named)].sort()).toEqual(['a', 'b']);
    const leaves: string[] = [];
    walkCondition(named.a, { group: (_n, kind) => kind !== 'any', leaf: (l) => void leaves.push(l.fact) }, { named });
    expect(leaves).toEqual(['x']);
  });

  it('walks 100,000 levels of nesting without recursion, and reports what is not a condition', () => {
    let deep: unknown = gte('x', 1);
    for (let i = 0; i < 100_000; i++) deep = { not: deep };
    let depth = -1;
    let path = '';
    walkCondition(deep, { leaf: (_l, site) => ((depth = site.depth), (path = site.path)) });
    expect(depth).toBe(100_000);
    expect(path).toBe(Array(100_000).fill('not').join('.'));
    const invalid: string[] = [];
    walkCondition(
      { all: [gte('x', 1), 'nope', { any: [{}] }] },
      { invalid: (_n, site) => void invalid.push(site.path) },
      { at: Site.at(['tiers', 2, 'when']) },
    );
    expect(invalid).toEqual(['tiers[2].when.all[1]', 'tiers[2].when.all[2].any[0]']);
  });

  it('writes odd keys the way validation paths do', () => {
    expect(Site.at(['conditions', 'odd key']).item('any', 3).child('not').path).toBe('conditions["odd key"].any[3].not');
  });
});

describe('foldCondition', () => {
  const text = (c: Condition) =>
    foldCondition<string>(
      c,
      {
        leaf: (l) => `${l.fact}`,
        all: (_n, kids) => `(${kids.map((k) => k()).join(' & ')})`,
        any: (_n, kids) => `(${kids.map((k) => k()).join(' | ')})`,
        not: (_n, kid) => `!${kid()}`,
        reference: (r, target) => `${r.condition}=${target() ?? '?'}`,
      },
      { named: definition.conditions },
    );

  it('builds one value bottom-up, through named conditions', () => {
    expect(text(definition.tiers[0].when!)).toBe('richAndActive=(rich=(assets | family) & !dormant)');
    expect(text({ all: [{ condition: 'unknown' }] })).toBe('(unknown=?)');
  });

  it('folds children lazily: a handler that does not ask never descends', () => {
    const visited: string[] = [];
    foldCondition<number>(definition.conditions!.rich, {
      leaf: (l) => (visited.push(l.fact), 1),
      all: () => 0,
      any: (_n, kids) => kids[0](),
      not: () => 0,
      reference: () => 0,
    });
    expect(visited).toEqual(['assets']);
  });

  it('shares a named condition between references with a memo, and stops at maxDepth', () => {
    let built = 0;
    const memo = new Map<string, number | undefined>();
    const fold = {
      leaf: () => ++built,
      all: (_n: unknown, kids: readonly (() => number)[]) => kids.reduce((s, k) => s + k(), 0),
      any: (_n: unknown, kids: readonly (() => number)[]) => kids.reduce((s, k) => s + k(), 0),
      not: (_n: unknown, kid: () => number) => kid(),
      reference: (_n: unknown, target: () => number | undefined) => target() ?? 0,
      tooDeep: () => -1000,
    };
    const named = definition.conditions;
    foldCondition<number>({ all: [{ condition: 'rich' }, { condition: 'rich' }] }, fold, { named, memo });
    foldCondition<number>({ any: [{ condition: 'rich' }] }, fold, { named, memo });
    expect(built).toBe(2);
    expect(foldCondition<number>({ all: [{ all: [{ all: [gte('x', 1)] }] }] }, fold, { maxDepth: 2 })).toBe(-1000);
    expect(() => foldCondition<number>({ all: ['nope' as unknown as Condition] }, fold)).toThrow(TypeError);
  });
});

describe('definition walker', () => {
  it('lists every condition root with its role, owner and place', () => {
    expect(conditionRoots(govPolicy).map((r) => ({ role: r.role, path: r.site.path, owner: r.owner, index: r.index }))).toEqual([
      { role: 'eligibility', path: 'eligibility', owner: undefined, index: undefined },
      { role: 'multiplier', path: 'scores[0].multipliers[0].when', owner: { kind: 'score', index: 0, key: 'govScore' }, index: 0 },
      { role: 'tier', path: 'tiers[0].when', owner: { kind: 'tier', index: 0, key: 'A' }, index: undefined },
      { role: 'tier', path: 'tiers[1].when', owner: { kind: 'tier', index: 1, key: 'B' }, index: undefined },
    ]);
    expect(conditionRoots(definition).map((r) => [r.role, r.site.path])).toEqual([
      ['eligibility', 'eligibility'],
      ['named', 'conditions.rich'],
      ['named', 'conditions.richAndActive'],
      ['tier', 'tiers[0].when'],
      ['tier', 'tiers[1].when'],
    ]);
  });

  it('collects facts (weighted components and {fact} comparisons included) and thresholds', () => {
    expect([...factsInDefinition(definition)].sort()).toEqual(['assets', 'dormant', 'family', 'hasValidId']);
    expect([...factsInDefinition(govPolicy)].sort()).toEqual(['forecastScore', 'govScore', 'hasBudget', 'hasNeed', 'historyScore', 'twoYearShareReached']);
    const card = templateFile('cib-card').definition;
    expect(thresholdsByFact(card)).toEqual(
      new Map([
        ['avgDailyAssets', [1_000_000, 300_000, 100_000]],
        ['familyAvgDailyAssets', [800_000, 250_000, 80_000]],
      ]),
    );
    const paths: string[] = [];
    walkDefinitionConditions(card, { leaf: (_l, site) => void paths.push(site.path) });
    expect(paths).toContain('conditions.platinumAssets.any[1]');
  });
});
