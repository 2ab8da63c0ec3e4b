import {
  DEFAULT_VALIDATION_LIMITS,
  policyDefinitionJsonSchema,
  policyDefinitionSchema,
  validatePolicy,
  factDefinitionSchema,
  benefitSchema,
  benefitPackageSchema,
  type Issue,
} from '../src';
import { cardFacts, cardLadder, govFacts, govPolicy } from './fixtures';

const leaf = (fact: string, operator: string, value: unknown) => ({ fact, operator, value });
const gte = (fact: string, value: unknown) => leaf(fact, 'greaterThanInclusive', value);

/** A definition with one tier condition replaced, for focused checks. */
function withTierWhen(when: unknown): unknown {
  return {
    schemaVersion: 1,
    tiers: [
      { key: 'A', name: 'A', when },
      { key: 'B', name: 'B' },
    ],
  };
}

function errorsOf(def: unknown, options = {}, facts = cardFacts): Pick<Issue, 'path' | 'code'>[] {
  return validatePolicy(def, facts, options).errors.map(({ path, code }) => ({ path, code }));
}

describe('validatePolicy', () => {
  it('accepts the fixtures', () => {
    expect(validatePolicy(cardLadder, cardFacts)).toEqual({ valid: true, errors: [], warnings: [] });
    expect(validatePolicy(govPolicy, govFacts).errors).toEqual([]);
  });

  it.each<[string, unknown, { path: string; code: string }[]]>([
    ['not an object', 42, [{ path: '', code: 'invalid-type' }]],
    [
      'missing schemaVersion and tiers',
      {},
      [
        { path: 'schemaVersion', code: 'required' },
        { path: 'tiers', code: 'required' },
      ],
    ],
    ['wrong schemaVersion', { schemaVersion: 2, tiers: [{ key: 'A', name: 'A' }] }, [{ path: 'schemaVersion', code: 'invalid-value' }]],
    ['unknown top-level property', { schemaVersion: 1, tiers: [{ key: 'A', name: 'A' }], extra: 1 }, [{ path: 'extra', code: 'unknown-property' }]],
    ['no tiers', { schemaVersion: 1, tiers: [] }, [{ path: 'tiers', code: 'required' }]],
    ['unknown fact', withTierWhen({ any: [gte('avgDailyAssets', 1), gte('nope', 1)] }), [{ path: 'tiers[0].when.any[1].fact', code: 'unknown-fact' }]],
    [
      'unknown operator',
      withTierWhen({ all: [leaf('avgDailyAssets', 'greaterThanOrEqual', 1)] }),
      [{ path: 'tiers[0].when.all[0].operator', code: 'unknown-operator' }],
    ],
    ['decorated operator', withTierWhen({ all: [leaf('tags', 'someFact:equal', 'a')] }), [{ path: 'tiers[0].when.all[0].operator', code: 'unknown-operator' }]],
    ['operator not fitting the type', withTierWhen({ all: [gte('region', 1)] }), [{ path: 'tiers[0].when.all[0].operator', code: 'operator-type-mismatch' }]],
    [
      'numeric comparison on a date',
      withTierWhen({ all: [leaf('openedOn', 'lessThan', '2021-01-01')] }),
      [{ path: 'tiers[0].when.all[0].operator', code: 'operator-type-mismatch' }],
    ],
    [
      'value of the wrong type',
      withTierWhen({ any: [gte('avgDailyAssets', 1), gte('avgDailyAssets', '1000')] }),
      [{ path: 'tiers[0].when.any[1].value', code: 'invalid-value' }],
    ],
    ['boolean value for a number', withTierWhen({ all: [leaf('vip', 'equal', 'yes')] }), [{ path: 'tiers[0].when.all[0].value', code: 'invalid-value' }]],
    ['value outside the enum', withTierWhen({ all: [leaf('region', 'equal', 'west')] }), [{ path: 'tiers[0].when.all[0].value', code: 'not-in-enum' }]],
    [
      'list element outside the enum',
      withTierWhen({ all: [leaf('region', 'in', ['north', 'west'])] }),
      [{ path: 'tiers[0].when.all[0].value[1]', code: 'not-in-enum' }],
    ],
    ['in without a list', withTierWhen({ all: [leaf('region', 'in', 'north')] }), [{ path: 'tiers[0].when.all[0].value', code: 'invalid-value' }]],
    ['between min > max', withTierWhen({ all: [leaf('avgDailyAssets', 'between', [10, 1])] }), [{ path: 'tiers[0].when.all[0].value', code: 'invalid-value' }]],
    ['invalid date', withTierWhen({ all: [leaf('openedOn', 'dateBefore', '2021-13-01')] }), [{ path: 'tiers[0].when.all[0].value', code: 'invalid-value' }]],
    ['negative withinDays', withTierWhen({ all: [leaf('openedOn', 'withinDays', -1)] }), [{ path: 'tiers[0].when.all[0].value', code: 'invalid-value' }]],
    ['missing value', withTierWhen({ all: [{ fact: 'avgDailyAssets', operator: 'equal' }] }), [{ path: 'tiers[0].when.all[0].value', code: 'required' }]],
    [
      'incompatible {fact} comparison',
      withTierWhen({ all: [leaf('avgDailyAssets', 'greaterThan', { fact: 'openedOn' })] }),
      [{ path: 'tiers[0].when.all[0].value.fact', code: 'incompatible-fact-comparison' }],
    ],
    [
      '{fact} on an operator that cannot take one',
      withTierWhen({ all: [leaf('region', 'in', { fact: 'name' })] }),
      [{ path: 'tiers[0].when.all[0].value', code: 'fact-reference-not-allowed' }],
    ],
    [
      'unknown {fact}',
      withTierWhen({ all: [leaf('avgDailyAssets', 'greaterThan', { fact: 'ghost' })] }),
      [{ path: 'tiers[0].when.all[0].value.fact', code: 'unknown-fact' }],
    ],
    [
      'path on a leaf',
      withTierWhen({ all: [{ ...gte('avgDailyAssets', 1), path: '$.x' }] }),
      [{ path: 'tiers[0].when.all[0].path', code: 'unsupported-path' }],
    ],
    ['a bare leaf at the top', withTierWhen(gte('avgDailyAssets', 1)), [{ path: 'tiers[0].when', code: 'invalid-top-level' }]],
    ['two kinds in one condition', withTierWhen({ all: [], any: [] }), [{ path: 'tiers[0].when', code: 'invalid-condition' }]],
    ['empty any', withTierWhen({ any: [] }), [{ path: 'tiers[0].when.any', code: 'empty-group' }]],
    ['not with an array', withTierWhen({ not: [gte('avgDailyAssets', 1)] }), [{ path: 'tiers[0].when.not', code: 'invalid-type' }]],
    [
      'duplicate tier keys',
      {
        schemaVersion: 1,
        tiers: [
          { key: 'A', name: 'A', when: { all: [] } },
          { key: 'A', name: 'A2' },
        ],
      },
      [{ path: 'tiers[1].key', code: 'duplicate-key' }],
    ],
    [
      'a default tier that is not last',
      {
        schemaVersion: 1,
        tiers: [
          { key: 'A', name: 'A' },
          { key: 'B', name: 'B', when: { all: [gte('avgDailyAssets', 1)] } },
        ],
      },
      [{ path: 'tiers[0]', code: 'default-not-last' }],
    ],
    ['empty tier name', { schemaVersion: 1, tiers: [{ key: 'A', name: ' ' }] }, [{ path: 'tiers[0].name', code: 'invalid-type' }]],
    ['bad tier key', { schemaVersion: 1, tiers: [{ key: '1st', name: 'A' }] }, [{ path: 'tiers[0].key', code: 'invalid-key' }]],
    ['unknown named condition', withTierWhen({ condition: 'rich' }), [{ path: 'tiers[0].when.condition', code: 'unknown-condition' }]],
    [
      'cycle of named conditions',
      { schemaVersion: 1, conditions: { a: { condition: 'b' }, b: { any: [{ condition: 'a' }] } }, tiers: [{ key: 'A', name: 'A', when: { condition: 'a' } }] },
      [{ path: 'conditions.a', code: 'condition-cycle' }],
    ],
    [
      'a condition referring to itself',
      { schemaVersion: 1, conditions: { a: { not: { condition: 'a' } } }, tiers: [{ key: 'A', name: 'A' }] },
      [{ path: 'conditions.a', code: 'condition-cycle' }],
    ],
    [
      '__proto__ key',
      JSON.parse('{"schemaVersion":1,"tiers":[{"key":"A","name":"A","__proto__":{"x":1}}]}'),
      [{ path: 'tiers[0].__proto__', code: 'forbidden-key' }],
    ],
    [
      'constructor key in a condition',
      withTierWhen({ all: [{ ...gte('avgDailyAssets', 1), constructor: 1 }] }),
      [{ path: 'tiers[0].when.all[0].constructor', code: 'forbidden-key' }],
    ],
    [
      'prototype as a named condition',
      { schemaVersion: 1, conditions: { prototype: { all: [] } }, tiers: [{ key: 'A', name: 'A' }] },
      [{ path: 'conditions.prototype', code: 'forbidden-key' }],
    ],
    [
      'unknown benefit package',
      { schemaVersion: 1, tiers: [{ key: 'A', name: 'A', benefitPackage: 'gold' }] },
      [{ path: 'tiers[0].benefitPackage', code: 'unknown-benefit-package' }],
    ],
  ])('%s', (_name, def, expected) => {
    expect(errorsOf(def, { packages: ['black'] })).toEqual(expected);
  });

  it("refuses a leaf's params that no operator reads (never silently ignored), each at its path, in both languages", () => {
    const withParams = (params: unknown, value: unknown = 1) => withTierWhen({ all: [{ ...gte('avgDailyAssets', value), params }] });
    expect(errorsOf(withParams({ quantiles: 5 }))).toEqual([{ path: 'tiers[0].when.all[0].params.quantiles', code: 'unknown-param' }]);
    expect(errorsOf(withParams({ a: 1, b: 2 }))).toEqual([
      { path: 'tiers[0].when.all[0].params.a', code: 'unknown-param' },
      { path: 'tiers[0].when.all[0].params.b', code: 'unknown-param' },
    ]);
    expect(errorsOf(withParams([5]))).toEqual([{ path: 'tiers[0].when.all[0].params', code: 'invalid-type' }]);
    // on a compared-to fact too, and inside named conditions
    expect(errorsOf(withTierWhen({ all: [gte('avgDailyAssets', { fact: 'familyAvgDailyAssets', params: { x: 1 } })] }))).toEqual([
      { path: 'tiers[0].when.all[0].value.params.x', code: 'unknown-param' },
    ]);
    expect(
      errorsOf({
        schemaVersion: 1,
        conditions: { rich: { any: [{ ...gte('avgDailyAssets', 1), params: { unit: 'wan' } }] } },
        tiers: [
          { key: 'A', name: 'A', when: { condition: 'rich' } },
          { key: 'B', name: 'B' },
        ],
      }),
    ).toEqual([{ path: 'conditions.rich.any[0].params.unit', code: 'unknown-param' }]);
    const [problem] = validatePolicy(withParams({ quantiles: 5 }), cardFacts).errors;
    expect(problem.message).toBe('Operator "greaterThanInclusive" takes no parameters; "quantiles" would be ignored — remove it.');
    expect(problem.messageZh).toBe('运算符 "greaterThanInclusive" 不接受参数，参数 "quantiles" 会被忽略，请删除。');
    // an empty params object ignores nothing
    expect(errorsOf(withParams({}))).toEqual([]);
  });

  it('does not check benefit packages when no package list is given', () => {
    expect(errorsOf({ schemaVersion: 1, tiers: [{ key: 'A', name: 'A', benefitPackage: 'gold' }] })).toEqual([]);
  });

  describe('scores', () => {
    const score = (key: string, comps: unknown[], extra: Record<string, unknown> = {}) => ({ key, label: key, components: comps, ...extra });
    const def = (scores: unknown[], tierWhen: unknown = { all: [gte('s1', 1)] }) => ({
      schemaVersion: 1,
      scores,
      tiers: [
        { key: 'A', name: 'A', when: tierWhen },
        { key: 'B', name: 'B' },
      ],
    });
    const w = (fact: string) => ({ label: 'w', fact, weight: 1 });

    it('lets a score use earlier scores, and tiers and eligibility use every score', () => {
      expect(errorsOf({ ...def([score('s0', [w('avgDailyAssets')]), score('s1', [w('s0')])]), eligibility: { all: [gte('s1', 0)] } })).toEqual([]);
    });
    it.each<[string, unknown, { path: string; code: string }[]]>([
      ['a score using itself', def([score('s1', [w('s1')])]), [{ path: 'scores[0].components[0].fact', code: 'score-forward-reference' }]],
      [
        'a score using a later score',
        def([score('s0', [w('s1')]), score('s1', [w('avgDailyAssets')])]),
        [{ path: 'scores[0].components[0].fact', code: 'score-forward-reference' }],
      ],
      [
        'a later score in a points condition',
        def([score('s0', [{ label: 'p', points: 1, when: { all: [gte('s1', 1)] } }]), score('s1', [w('avgDailyAssets')])]),
        [{ path: 'scores[0].components[0].when.all[0].fact', code: 'score-forward-reference' }],
      ],
      [
        'a later score through a named condition',
        {
          ...def([score('s0', [{ label: 'p', points: 1, when: { condition: 'big' } }]), score('s1', [w('avgDailyAssets')])]),
          conditions: { big: { all: [gte('s1', 5)] } },
        },
        [{ path: 'scores[0].components[0].when.condition', code: 'score-forward-reference' }],
      ],
      [
        'duplicate score keys',
        def([score('s1', [w('avgDailyAssets')]), score('s1', [w('avgDailyAssets')])]),
        [{ path: 'scores[1].key', code: 'duplicate-key' }],
      ],
      [
        'a score named like a fact',
        def([score('avgDailyAssets', [w('starPoints')]), score('s1', [w('starPoints')])]),
        [{ path: 'scores[0].key', code: 'score-shadows-fact' }],
      ],
      ['a weighted component on a text fact', def([score('s1', [w('name')])]), [{ path: 'scores[0].components[0].fact', code: 'operator-type-mismatch' }]],
      ['a component of neither kind', def([score('s1', [{ label: 'x' }])]), [{ path: 'scores[0].components[0]', code: 'invalid-component' }]],
      ['a bad round', def([score('s1', [w('avgDailyAssets')], { round: 11 })]), [{ path: 'scores[0].round', code: 'invalid-value' }]],
      [
        'a multiplier without a factor',
        def([score('s1', [w('avgDailyAssets')], { multipliers: [{ label: 'm', when: { all: [] } }] })]),
        [{ path: 'scores[0].multipliers[0].factor', code: 'required' }],
      ],
    ])('%s', (_n, d, expected) => {
      expect(errorsOf(d)).toEqual(expected);
    });
  });

  it('reports every problem at once, with English and Chinese messages', () => {
    const r = validatePolicy(
      {
        schemaVersion: 1,
        tiers: [
          { key: 'A', name: 'A', when: { any: [gte('nope', 1), gte('region', 1)] } },
          { key: 'A', name: 'B' },
          { key: 'C', name: 'C' },
        ],
      },
      cardFacts,
    );
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.code)).toEqual(['unknown-fact', 'operator-type-mismatch', 'duplicate-key', 'default-not-last']);
    for (const e of r.errors) {
      expect(e.message.length).toBeGreaterThan(10);
      expect(e.messageZh).toBeDefined();
    }
    expect(r.errors[0].message).toContain('"nope"');
  });

  describe('size limits, checked first', () => {
    it('has the documented defaults', () => {
      expect(DEFAULT_VALIDATION_LIMITS).toEqual({ maxDepth: 32, maxNodes: 5000, maxStringLength: 1000, maxTiers: 200 });
    });
    it('refuses deep nesting without recursing (100,000 levels)', () => {
      let when: unknown = gte('avgDailyAssets', 1);
      for (let i = 0; i < 100_000; i++) when = { not: when };
      const r = validatePolicy(withTierWhen({ all: [when] }), cardFacts);
      expect(r.errors.map((e) => e.code)).toEqual(['limit-depth']);
    });
    it('refuses too many nodes', () => {
      const big = withTierWhen({ any: Array.from({ length: 3000 }, (_, i) => gte('avgDailyAssets', i)) });
      expect(errorsOf(big)).toEqual([{ path: '', code: 'limit-nodes' }]);
      expect(errorsOf(big, { maxNodes: 100_000 })).toEqual([]);
    });
    it('refuses long strings and long keys', () => {
      expect(errorsOf({ schemaVersion: 1, tiers: [{ key: 'A', name: 'x'.repeat(1001) }] })).toEqual([{ path: 'tiers[0].name', code: 'limit-string' }]);
      expect(errorsOf({ schemaVersion: 1, tiers: [{ key: 'A', name: 'A', ['k'.repeat(2000)]: 1 }] })[0].code).toBe('limit-string');
    });
    it('refuses too many tiers', () => {
      const tiers = Array.from({ length: 201 }, (_, i) => ({ key: `T${i}`, name: `T${i}`, when: { all: [] } }));
      expect(errorsOf({ schemaVersion: 1, tiers })).toEqual([{ path: 'tiers', code: 'limit-tiers' }]);
      expect(errorsOf({ schemaVersion: 1, tiers }, { maxTiers: 500 }).map((e) => e.code)).not.toContain('limit-tiers');
    });
    it('refuses a cyclic object graph and a huge sparse array', () => {
      const cyclic: Record<string, unknown> = { schemaVersion: 1, tiers: [] };
      (cyclic.tiers as unknown[]).push(cyclic);
      expect(errorsOf(cyclic)).toEqual([{ path: 'tiers[0]', code: 'not-json' }]);
      const sparse: unknown[] = [];
      sparse.length = 1e9;
      expect(errorsOf({ schemaVersion: 1, tiers: sparse })).toEqual([{ path: 'tiers', code: 'limit-nodes' }]);
    });
  });

  it('never throws, even on hostile objects', () => {
    const hostile = Object.defineProperty({ schemaVersion: 1 }, 'tiers', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(() => validatePolicy(hostile, cardFacts)).not.toThrow();
    expect(errorsOf(hostile)).toEqual([{ path: '', code: 'not-json' }]);
    // an own "__proto__" on an array would re-parent it when the definition is cloned
    const values: unknown[] = ['north'];
    Object.defineProperty(values, '__proto__', { value: {}, enumerable: true, configurable: true, writable: true });
    expect(errorsOf(withTierWhen({ all: [leaf('region', 'in', values)] }))).toEqual([{ path: 'tiers[0].when.all[0].value', code: 'not-json' }]);
    expect(errorsOf(withTierWhen({ all: [leaf('avgDailyAssets', 'equal', Object.create({ x: 1 }))] }))).toEqual([
      { path: 'tiers[0].when.all[0].value', code: 'not-json' },
    ]);
    expect(errorsOf({ schemaVersion: 1, tiers: [{ key: 'A', name: 'A', when: { all: [] }, [Symbol('s')]: 1 }] })).toEqual([
      { path: 'tiers[0]', code: 'not-json' },
    ]);
    expect(() => validatePolicy(cardLadder, null as unknown as [])).not.toThrow();
  });
});

describe('schemas', () => {
  it('parse valid definitions and catalog items', () => {
    expect(policyDefinitionSchema.safeParse(cardLadder).success).toBe(true);
    expect(policyDefinitionSchema.safeParse(govPolicy).success).toBe(true);
    for (const f of cardFacts) expect(factDefinitionSchema.safeParse(f).success).toBe(true);
    expect(benefitSchema.safeParse({ key: 'golf', name: '时尚高尔夫行', unitCost: 500 }).success).toBe(true);
    expect(benefitPackageSchema.safeParse({ key: 'cib-black', name: '黑金权益', benefits: ['golf'] }).success).toBe(true);
  });
  it('reject bad catalog items', () => {
    expect(factDefinitionSchema.safeParse({ key: 'region', label: '地区', type: 'enum' }).success).toBe(false);
    expect(factDefinitionSchema.safeParse({ key: 'x', label: '', type: 'number' }).success).toBe(false);
    expect(factDefinitionSchema.safeParse({ key: 'constructor', label: 'c', type: 'number' }).success).toBe(false);
    expect(factDefinitionSchema.safeParse({ key: '9lives', label: 'c', type: 'number' }).success).toBe(false);
    expect(benefitSchema.safeParse({ key: 'golf', name: '' }).success).toBe(false);
    expect(benefitPackageSchema.safeParse({ key: 'p', name: 'P', benefits: ['bad key'] }).success).toBe(false);
  });
  it('exports a JSON Schema of the definition', () => {
    expect(policyDefinitionJsonSchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['schemaVersion', 'tiers']) });
    expect(JSON.stringify(policyDefinitionJsonSchema)).toContain('"operator"');
  });
});
