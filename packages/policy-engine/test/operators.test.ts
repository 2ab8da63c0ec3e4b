import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { compileFast, createEvaluator, explain, getOperator, operatorRegistry, operatorsForFactType, type PolicyDefinition } from '../src';
import { cardFacts } from './fixtures';

const AS_OF = '2021-06-01';

function ladder(fact: string, operator: string, value: unknown): PolicyDefinition {
  return {
    schemaVersion: 1,
    tiers: [
      { key: 'YES', name: '是', when: { all: [{ fact, operator, value }] } },
      { key: 'NO', name: '否' },
    ],
  };
}

type Case = [fact: string, operator: string, value: unknown, factValue: unknown, expected: boolean];

const cases: Case[] = [
  ['avgDailyAssets', 'equal', 100, 100, true],
  ['avgDailyAssets', 'equal', 100, 100.0001, false],
  ['avgDailyAssets', 'equal', 100, '100', false], // strict equality
  ['region', 'equal', 'north', 'north', true],
  ['vip', 'equal', true, true, true],
  ['vip', 'equal', true, 'true', false],
  ['avgDailyAssets', 'notEqual', 100, 5, true],
  ['avgDailyAssets', 'notEqual', 100, 100, false],
  ['avgDailyAssets', 'lessThan', 100, 99.99, true],
  ['avgDailyAssets', 'lessThan', 100, 100, false],
  ['avgDailyAssets', 'lessThanInclusive', 100, 100, true],
  ['avgDailyAssets', 'lessThanInclusive', 100, 100.01, false],
  ['avgDailyAssets', 'greaterThan', 100, 100, false],
  ['avgDailyAssets', 'greaterThan', 100, 100.01, true],
  ['avgDailyAssets', 'greaterThanInclusive', 100, 100, true],
  ['avgDailyAssets', 'greaterThanInclusive', 100, 99.99, false],
  ['avgDailyAssets', 'greaterThanInclusive', 100, '150', true], // json-rules-engine: parseFloat check, then JS >=
  ['avgDailyAssets', 'greaterThanInclusive', 100, '150abc', false],
  ['avgDailyAssets', 'greaterThanInclusive', 100, 'abc', false],
  ['avgDailyAssets', 'greaterThanInclusive', 100, [150], true],
  ['avgDailyAssets', 'greaterThanInclusive', 100, true, false],
  ['region', 'in', ['north', 'south'], 'north', true],
  ['region', 'in', ['north', 'south'], 'east', false],
  ['starPoints', 'in', [1, 2], 2, true],
  ['starPoints', 'in', [1, 2], '2', false],
  ['region', 'notIn', ['north', 'south'], 'east', true],
  ['region', 'notIn', ['north', 'south'], 'north', false],
  ['tags', 'contains', 'a', ['a', 'b'], true],
  ['tags', 'contains', 'c', ['a', 'b'], false],
  ['tags', 'contains', 'a', 'abc', false], // the fact must be an array
  ['tags', 'doesNotContain', 'c', ['a'], true],
  ['tags', 'doesNotContain', 'a', ['a'], false],
  ['tags', 'doesNotContain', 'x', 'abc', false], // not an array → false, even for doesNotContain
  ['avgDailyAssets', 'between', [100, 200], 100, true],
  ['avgDailyAssets', 'between', [100, 200], 200, true],
  ['avgDailyAssets', 'between', [100, 200], 99.99, false],
  ['avgDailyAssets', 'between', [100, 200], 200.01, false],
  ['avgDailyAssets', 'betweenExclusiveMax', [100, 200], 100, true],
  ['avgDailyAssets', 'betweenExclusiveMax', [100, 200], 199.99, true],
  ['avgDailyAssets', 'betweenExclusiveMax', [100, 200], 200, false],
  ['avgDailyAssets', 'betweenExclusiveMax', [100, 200], 99.99, false],
  ['openedOn', 'dateBefore', '2021-05-01', '2021-04-30', true],
  ['openedOn', 'dateBefore', '2021-05-01', '2021-05-01', false],
  ['openedOn', 'dateBefore', '2021-05-01', '2021-05-01T00:00:01Z', false],
  ['openedOn', 'dateBefore', '2021-05-01', '2021-04-30T23:59:59+08:00', true], // the calendar day as written
  ['openedOn', 'dateAfter', '2021-05-01', '2021-05-02', true],
  ['openedOn', 'dateAfter', '2021-05-01', '2021-05-01T23:59:59Z', false],
  ['openedOn', 'dateOnOrBefore', '2021-05-01', '2021-05-01T23:59:59Z', true],
  ['openedOn', 'dateOnOrBefore', '2021-05-01', '2021-05-02', false],
  ['openedOn', 'dateOnOrAfter', '2021-05-01', '2021-05-01', true],
  ['openedOn', 'dateOnOrAfter', '2021-05-01', '2021-04-30', false],
  ['openedOn', 'dateOnOrAfter', '2021-01-01', '2021-02-30', false], // not a date
  ['openedOn', 'dateOnOrAfter', '2021-01-01', 20210501, false],
  ['lastVisit', 'withinDays', 30, '2021-05-02', true], // 30 days before as-of
  ['lastVisit', 'withinDays', 30, '2021-05-01', false], // 31 days
  ['lastVisit', 'withinDays', 30, '2021-06-01', true], // as-of itself
  ['lastVisit', 'withinDays', 30, '2021-06-02', false], // the future
  ['lastVisit', 'withinDays', 0, '2021-06-01T22:00:00Z', true],
  ['tags', 'containsAny', ['x', 'b'], ['a', 'b'], true],
  ['tags', 'containsAny', ['x', 'y'], ['a', 'b'], false],
  ['tags', 'containsAny', ['a'], 'a', false],
  ['tags', 'containsAll', ['a', 'b'], ['a', 'b', 'c'], true],
  ['tags', 'containsAll', ['a', 'b'], ['a'], false],
  ['tags', 'containsAll', ['a'], 'a', false],
];

describe('operators at their boundaries', () => {
  it('covers every operator in the registry', () => {
    expect(new Set(cases.map((c) => c[1]))).toEqual(new Set(operatorRegistry.map((o) => o.name)));
  });

  it.each(cases)('%s %s %j with fact %j → %s (registry, json-rules-engine, compiled)', async (fact, operator, value, factValue, expected) => {
    const spec = getOperator(operator)!;
    expect(spec.evaluate(factValue, value, { asOfDay: Date.UTC(2021, 5, 1) / 86_400_000 })).toBe(expected);
    const def = ladder(fact, operator, value);
    const r = await createEvaluator(def, cardFacts, { asOf: AS_OF }).evaluate({ [fact]: factValue });
    expect(r.tier?.key).toBe(expected ? 'YES' : 'NO');
    expect(compileFast(def, cardFacts, { asOf: AS_OF })({ [fact]: factValue }).tierIndex).toBe(expected ? 0 : 1);
  });

  it.each(operatorRegistry.map((o) => o.name))('%s is false when the fact is missing or null', async (operator) => {
    const c = cases.find((x) => x[1] === operator)!;
    const def = ladder(c[0], operator, c[2]);
    const ev = createEvaluator(def, cardFacts, { asOf: AS_OF });
    const fast = compileFast(def, cardFacts, { asOf: AS_OF });
    for (const input of [{}, { [c[0]]: null }]) {
      const r = await ev.evaluate(input);
      expect(r.tier?.key).toBe('NO');
      expect(fast(input).tierIndex).toBe(1);
      const tierTrace = r.trace[0];
      expect(tierTrace.kind === 'tier' && tierTrace.condition).toMatchObject({ children: [{ missing: true, result: false }] });
    }
  });

  it("the registry restates json-rules-engine's built-ins exactly", () => {
    const engine = new Engine();
    const ops = (engine as unknown as { operators: { get(n: string): { evaluate(a: unknown, b: unknown): boolean } } }).operators;
    const anyValue = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.string({ maxLength: 4 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('a', 'b')), { maxLength: 3 }),
      fc.constantFrom('10', '1e3', ' 7', '0x10', [2], {}),
    );
    const listValue = fc.oneof(fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('a', 'b')), { maxLength: 3 }), fc.constantFrom('abc', 'b'));
    for (const spec of operatorRegistry.filter((o) => o.builtIn)) {
      const right = spec.name === 'in' || spec.name === 'notIn' ? listValue : anyValue;
      fc.assert(
        fc.property(anyValue, right, (a, b) => {
          expect(spec.evaluate(a, b)).toBe(ops.get(spec.name).evaluate(a, b));
        }),
        { numRuns: 500 },
      );
    }
  });

  it('takes "today" for withinDays from an asOf fact, then the call, then the evaluator option', async () => {
    const def = ladder('lastVisit', 'withinDays', 7);
    const ev = createEvaluator(def, cardFacts, { asOf: '2021-06-01' });
    const fast = compileFast(def, cardFacts, { asOf: '2021-06-01' });
    const visit = { lastVisit: '2021-05-28' };
    expect((await ev.evaluate(visit)).tier?.key).toBe('YES');
    expect((await ev.evaluate({ ...visit, asOf: '2021-07-01' })).tier?.key).toBe('NO');
    expect((await ev.evaluate(visit, { asOf: '2021-07-01' })).tier?.key).toBe('NO');
    expect((await ev.evaluate({ ...visit, asOf: '2021-05-30' }, { asOf: '2021-07-01' })).tier?.key).toBe('YES');
    expect(fast(visit).tierIndex).toBe(0);
    expect(fast({ ...visit, asOf: '2021-07-01' }).tierIndex).toBe(1);
    expect(fast(visit, { asOf: '2021-07-01' }).tierIndex).toBe(1);
  });

  it('offers only the operators that fit a fact type', () => {
    expect(operatorsForFactType('date').map((o) => o.name)).toEqual(['dateBefore', 'dateAfter', 'dateOnOrBefore', 'dateOnOrAfter', 'withinDays']);
    expect(operatorsForFactType('string[]').map((o) => o.name)).toEqual(['contains', 'doesNotContain', 'containsAny', 'containsAll']);
    expect(operatorsForFactType('boolean').map((o) => o.name)).toEqual(['equal', 'notEqual']);
    for (const o of operatorRegistry) {
      expect(o.label.length).toBeGreaterThan(0);
      expect(o.labelZh.length).toBeGreaterThan(0);
      expect(o.valueType.length).toBeGreaterThan(0);
    }
  });

  it('explains every operator in both locales', async () => {
    for (const [fact, operator, value, factValue, expected] of cases) {
      const def = ladder(fact, operator, value);
      const r = await createEvaluator(def, cardFacts, { asOf: AS_OF }).evaluate({ [fact]: factValue });
      for (const locale of ['zh-CN', 'en'] as const) {
        const lines = explain(r, def, cardFacts, locale);
        if (/[A-Z]/.test(operator)) expect(lines[0]).not.toContain(operator); // phrased, not the raw operator name
        expect(lines.at(-1)).toContain(expected ? (locale === 'en' ? '→' : '→ 是') : locale === 'en' ? 'default tier' : '默认等级');
      }
    }
  });
});
