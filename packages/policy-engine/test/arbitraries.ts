/** fast-check generators: random small catalogs, valid definitions over them, and customers full of quirks. */
import fc from 'fast-check';
import {
  operatorRegistry,
  type ComputedFact,
  type Condition,
  type Expression,
  type StepBand,
  type StepComponent,
  type FactDefinition,
  type FactType,
  type PolicyDefinition,
  type Scorecard,
  type TierDefinition,
  type TopLevelCondition,
} from '../src';

const TYPES: FactType[] = ['number', 'integer', 'boolean', 'string', 'enum', 'string[]', 'date'];
const NUMS = [-1, 0, 1, 2.5, 10, 99.99, 100, 1000];
const STRS = ['a', 'b', 'c'];
const DATES = ['2021-04-30', '2021-05-01', '2021-05-02', '2021-06-01', '2020-12-31'];
export const AS_OF = '2021-06-01';

export const catalogArb: fc.Arbitrary<FactDefinition[]> = fc.array(fc.constantFrom(...TYPES), { minLength: 2, maxLength: 6 }).map((types) =>
  types.map((type, i): FactDefinition => {
    const f: FactDefinition = { key: `f${i}`, label: `fact ${i}`, type };
    if (type === 'enum') f.enumValues = ['a', 'b', 'c'];
    return f;
  }),
);

function family(t: FactType): string {
  return t === 'integer' ? 'number' : t === 'enum' ? 'string' : t;
}

type FactInfo = { key: string; type: FactType };

function valueArb(op: string, type: FactType): fc.Arbitrary<unknown> {
  const scalar = (): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'number':
      case 'integer':
        return fc.constantFrom(...NUMS);
      case 'boolean':
        return fc.boolean();
      case 'date':
        return fc.constantFrom(...DATES);
      default:
        return fc.constantFrom(...STRS);
    }
  };
  switch (op) {
    case 'in':
    case 'notIn':
    case 'containsAny':
    case 'containsAll':
      return fc.uniqueArray(scalar(), { minLength: 1, maxLength: 3 });
    case 'between':
    case 'betweenExclusiveMax':
      return fc.tuple(fc.constantFrom(...NUMS), fc.constantFrom(...NUMS)).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
    case 'withinDays':
      return fc.constantFrom(0, 1, 30, 365);
    default:
      return scalar();
  }
}

function leafArb(facts: FactInfo[]): fc.Arbitrary<Condition> {
  return fc.constantFrom(...facts).chain((f) => {
    const ops = operatorRegistry.filter((o) => o.factTypes.includes(f.type));
    return fc.constantFrom(...ops).chain((op) => {
      const peers = facts.filter((g) => g.key !== f.key && family(g.type) === family(f.type));
      const literal = valueArb(op.name, f.type).map((value) => ({ fact: f.key, operator: op.name, value }));
      if (!op.allowFactValue || peers.length === 0) return literal;
      return fc.oneof(
        { weight: 3, arbitrary: literal },
        { weight: 1, arbitrary: fc.constantFrom(...peers).map((g) => ({ fact: f.key, operator: op.name, value: { fact: g.key } })) },
      );
    });
  });
}

function conditionArb(facts: FactInfo[], names: string[], depth: number): fc.Arbitrary<Condition> {
  const options: fc.Arbitrary<Condition>[] = [leafArb(facts), leafArb(facts)];
  if (names.length > 0) options.push(fc.constantFrom(...names).map((condition) => ({ condition })));
  if (depth > 0) {
    const child = conditionArb(facts, names, depth - 1);
    options.push(fc.array(child, { minLength: 0, maxLength: 3 }).map((all) => ({ all })));
    options.push(fc.array(child, { minLength: 1, maxLength: 3 }).map((any) => ({ any })));
    options.push(child.map((not) => ({ not })));
  }
  return fc.oneof(...options);
}

function topArb(facts: FactInfo[], names: string[], depth = 2): fc.Arbitrary<TopLevelCondition> {
  const child = conditionArb(facts, names, depth);
  const opts: fc.Arbitrary<TopLevelCondition>[] = [
    fc.array(child, { minLength: 0, maxLength: 3 }).map((all) => ({ all })),
    fc.array(child, { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
    child.map((not) => ({ not })),
  ];
  if (names.length > 0) opts.push(fc.constantFrom(...names).map((condition) => ({ condition })));
  return fc.oneof(...opts);
}

const CONSTANTS = [0, 1, 2.5, -1, 100, 0.5];

/** An arithmetic expression over `facts` (numbers): constants (0 included, for division by zero), fact reads, every operator. */
function expressionArb(facts: string[], depth: number): fc.Arbitrary<Expression> {
  const leaves: fc.Arbitrary<Expression>[] = [fc.constantFrom(...CONSTANTS)];
  if (facts.length > 0)
    leaves.push(
      fc.constantFrom(...facts).map((fact) => ({ fact })),
      fc.constantFrom(...facts).map((fact) => ({ fact })),
    );
  if (depth === 0) return fc.oneof(...leaves);
  const child = expressionArb(facts, depth - 1);
  const pair = fc.tuple(child, child);
  const list = fc.array(child, { minLength: 2, maxLength: 3 });
  return fc.oneof(
    ...leaves,
    list.map((add) => ({ add })),
    pair.map((sub) => ({ sub })),
    list.map((mul) => ({ mul })),
    pair.map((div) => ({ div })),
    list.map((min) => ({ min })),
    list.map((max) => ({ max })),
  );
}

/** Up to two computed facts c0, c1 over the catalog's number facts (c1 may read c0). */
function computedArb(numeric: string[]): fc.Arbitrary<Record<string, ComputedFact>> {
  return fc.integer({ min: 0, max: 2 }).chain((n) => {
    let out: fc.Arbitrary<Record<string, ComputedFact>> = fc.constant({});
    for (let i = 0; i < n; i++) {
      const readable = [...numeric, ...Array.from({ length: i }, (_, j) => `c${j}`)];
      out = out.chain((prev) => expressionArb(readable, 2).map((expr) => ({ ...prev, [`c${i}`]: { label: `computed ${i}`, expr } })));
    }
    return out;
  });
}

/**
 * A step table over one of `nums`: ascending, non-overlapping bands on the thresholds the customers'
 * values meet (NUMS), some with gaps between them, open or closed at either end, either inclusivity.
 */
function stepComponentArb(nums: string[]): fc.Arbitrary<StepComponent> {
  return fc
    .record({
      fact: fc.constantFrom(...nums),
      bounds: fc.uniqueArray(fc.constantFrom(...NUMS), { minLength: 1, maxLength: 5 }),
      openBelow: fc.boolean(),
      openAbove: fc.boolean(),
      gaps: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      points: fc.array(fc.constantFrom(0, 1, 2.5, 10, -3), { minLength: 7, maxLength: 7 }),
      inclusive: fc.constantFrom<'min' | 'max' | undefined>(undefined, 'min', 'max'),
      weight: fc.constantFrom<number | undefined>(undefined, 0.5, 1, 2),
    })
    .map((r) => {
      const b = [...r.bounds].sort((x, y) => x - y);
      const steps: StepBand[] = [];
      if (r.openBelow) steps.push({ max: b[0], points: r.points[0] });
      // consecutive bounds make bands; a "gap" skips the band between two bounds
      for (let i = 0; i + 1 < b.length; i++) if (!r.gaps[i] || steps.length === 0) steps.push({ min: b[i], max: b[i + 1], points: r.points[i + 1] });
      if (r.openAbove || steps.length === 0) steps.push({ min: b[b.length - 1], points: r.points[6] });
      const c: StepComponent = { label: 'steps', fact: r.fact, steps };
      if (r.inclusive !== undefined) c.inclusive = r.inclusive;
      if (r.weight !== undefined) c.weight = r.weight;
      return c;
    });
}

/** A valid definition over `catalog` (computed facts, scores, named conditions, eligibility, default tier all optional). */
export function definitionArb(catalog: FactDefinition[]): fc.Arbitrary<PolicyDefinition> {
  const catalogNumeric = catalog.filter((f) => f.type === 'number' || f.type === 'integer').map((f) => f.key);
  return computedArb(catalogNumeric).chain((computed) => definitionWith(catalog, computed));
}

function definitionWith(catalog: FactDefinition[], computed: Record<string, ComputedFact>): fc.Arbitrary<PolicyDefinition> {
  const computedKeys = Object.keys(computed);
  const base: FactInfo[] = [...catalog.map((f) => ({ key: f.key, type: f.type })), ...computedKeys.map((key) => ({ key, type: 'number' as FactType }))];
  const numeric = [...catalog.filter((f) => f.type === 'number' || f.type === 'integer').map((f) => f.key), ...computedKeys];
  return fc.integer({ min: 0, max: 2 }).chain((nScores) => {
    // scores one after the other, each seeing the earlier ones
    let scoresArb: fc.Arbitrary<Scorecard[]> = fc.constant([]);
    for (let i = 0; i < nScores; i++) {
      const visible: FactInfo[] = [...base, ...Array.from({ length: i }, (_, j) => ({ key: `s${j}`, type: 'number' as FactType }))];
      const nums = [...numeric, ...Array.from({ length: i }, (_, j) => `s${j}`)];
      const comp = fc.oneof(
        ...(nums.length > 0
          ? [fc.record({ fact: fc.constantFrom(...nums), weight: fc.constantFrom(0.5, 1, 2, 0.1, -1, 1.05) }).map((c) => ({ label: 'w', ...c }))]
          : []),
        fc.record({ points: fc.constantFrom(1, 2, 3, 0.5), when: topArb(visible, [], 1) }).map((c) => ({ label: 'p', ...c })),
        ...(nums.length > 0 ? [stepComponentArb(nums)] : []),
      );
      const card = fc.record({
        components: fc.array(comp, { minLength: 1, maxLength: 3 }),
        multipliers: fc.option(
          fc.array(
            fc.record({ factor: fc.constantFrom(1.05, 0.9, 2, 1.1), when: topArb(visible, [], 1) }).map((m) => ({ label: 'm', ...m })),
            { minLength: 0, maxLength: 2 },
          ),
          { nil: undefined },
        ),
        round: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
      });
      scoresArb = scoresArb.chain((prev) =>
        card.map((c) => {
          const s: Scorecard = { key: `s${i}`, label: `score ${i}`, components: c.components };
          if (c.multipliers !== undefined) s.multipliers = c.multipliers;
          if (c.round !== undefined) s.round = c.round;
          return [...prev, s];
        }),
      );
    }
    const all: FactInfo[] = [...base, ...Array.from({ length: nScores }, (_, j) => ({ key: `s${j}`, type: 'number' as FactType }))];
    return fc.integer({ min: 0, max: 2 }).chain((nNamed) => {
      let namedArb: fc.Arbitrary<Record<string, TopLevelCondition>> = fc.constant({});
      for (let i = 0; i < nNamed; i++) {
        const earlier = Array.from({ length: i }, (_, j) => `n${j}`);
        namedArb = namedArb.chain((prev) => topArb(all, earlier, 1).map((c) => ({ ...prev, [`n${i}`]: c })));
      }
      const names = Array.from({ length: nNamed }, (_, j) => `n${j}`);
      return fc
        .record({
          scores: scoresArb,
          conditions: namedArb,
          eligibility: fc.option(topArb(all, names, 1), { nil: undefined }),
          tiers: fc.array(topArb(all, names), { minLength: 1, maxLength: 5 }),
          withDefault: fc.boolean(),
        })
        .map((r) => {
          const tiers: TierDefinition[] = r.tiers.map((when, i) => ({ key: `T${i}`, name: `tier ${i}`, when }));
          if (r.withDefault) tiers.push({ key: 'DEFAULT', name: 'default' });
          const def: PolicyDefinition = { schemaVersion: 1, tiers };
          if (computedKeys.length > 0) def.computed = computed;
          if (r.scores.length > 0) def.scores = r.scores;
          if (nNamed > 0) def.conditions = r.conditions;
          if (r.eligibility) def.eligibility = r.eligibility;
          return def;
        });
    });
  });
}

/** Values of every kind json-rules-engine's operators can meet, including the wrong types. */
const QUIRKS: unknown[] = [
  null,
  '10',
  '100',
  'abc',
  '12abc',
  '',
  ' 5',
  [5],
  [],
  ['a'],
  ['a', 'b'],
  {},
  true,
  false,
  NaN,
  Infinity,
  -Infinity,
  -0,
  '2021-05-01',
  '2021-05-01T23:30:00+08:00',
  '2021-02-30',
  0,
  1,
  2.5,
  100,
  1000,
  99.99,
  'a',
  'b',
  'c',
];

function typedValue(type: FactType): fc.Arbitrary<unknown> {
  switch (type) {
    case 'number':
      return fc.oneof(fc.constantFrom(...NUMS), fc.double({ min: -10, max: 2000, noNaN: true }));
    case 'integer':
      return fc.oneof(fc.constantFrom(...NUMS.filter(Number.isInteger)), fc.integer({ min: -5, max: 2000 }));
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fc.constantFrom(...DATES, '2021-05-01T08:00:00Z', '2021-05-31', '2021-06-02');
    case 'string[]':
      return fc.uniqueArray(fc.constantFrom(...STRS), { maxLength: 3 });
    default:
      return fc.constantFrom(...STRS);
  }
}

/** A customer: each fact absent, of its type, or one of the quirky values. */
export function customerArb(catalog: FactDefinition[]): fc.Arbitrary<Record<string, unknown>> {
  const entries = catalog.map((f) =>
    fc.oneof(
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 6, arbitrary: typedValue(f.type) },
      { weight: 2, arbitrary: fc.constantFrom(...QUIRKS) },
    ),
  );
  return fc.tuple(...entries).map((values) => {
    const c: Record<string, unknown> = {};
    values.forEach((v, i) => {
      if (v !== undefined) c[catalog[i].key] = v;
    });
    return c;
  });
}
