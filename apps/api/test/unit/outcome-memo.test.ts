/**
 * The simulation's outcome memo (outcome-memo.ts) against evaluating every row: on random catalogs,
 * random valid definitions (catalogArb / definitionArb of the policy engine's property tests) and
 * random chunks (values at and beside the generators' thresholds, missing values), evaluateChunk with
 * the memo gives byte for byte the outcomes and exactly the summary it gives without it.
 */
import fc from 'fast-check';
import { getTemplate } from '../../src/templates/template-library';
import { operatorsForFactType, validatePolicy } from '@tierwise/policy-engine';
import type { Condition, FactDefinition, FactType, PolicyDefinition, TopLevelCondition } from '@tierwise/policy-engine';
import { ChunkBuilder, decodeChunk } from '../../src/datasets/chunk-codec';
import { compileSpec, evaluateChunk } from '../../src/simulation/chunk-evaluator';
import { memoPlan } from '../../src/simulation/outcome-memo';
import type { SimulationSpec, VersionSnapshot } from '../../src/simulation/simulation-spec';

const NUMS = [-1, 0, 1, 2.5, 10, 99.99, 100, 1000];
const STRS = ['a', 'b', 'c'];
const DATES = ['2021-04-30', '2021-05-01', '2021-05-02', '2021-06-01', '2020-12-31', '2021-05-31'];
const AS_OF = '2021-06-01';
const TYPES: FactType[] = ['number', 'integer', 'boolean', 'string', 'enum', 'string[]', 'date'];
const POPULATION = new Set(['topPercent', 'shareOfTotalAtLeast', 'quantileAtLeast']);

const catalogArb: fc.Arbitrary<FactDefinition[]> = fc
  .array(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 5 })
  .map((types) => types.map((type, i): FactDefinition => ({ key: `f${i}`, label: `fact ${i}`, type, ...(type === 'enum' ? { enumValues: STRS } : {}) })));

/** A leaf's value for an operator on a fact type (invalid combinations are dropped by validatePolicy below). */
function leafValueArb(op: string, type: FactType): fc.Arbitrary<unknown> {
  const numeric = type === 'number' || type === 'integer';
  const scalar: fc.Arbitrary<unknown> = numeric
    ? fc.constantFrom(...NUMS)
    : type === 'boolean'
      ? fc.boolean()
      : type === 'date'
        ? fc.constantFrom(...DATES)
        : fc.constantFrom(...STRS);
  if (op === 'in' || op === 'notIn' || op === 'containsAny' || op === 'containsAll') return fc.uniqueArray(scalar, { minLength: 1, maxLength: 3 });
  if (op === 'between' || op === 'betweenExclusiveMax')
    return fc.tuple(fc.constantFrom(...NUMS), fc.constantFrom(...NUMS)).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
  if (op === 'withinDays') return fc.constantFrom(1, 30, 60);
  if (op === 'contains' || op === 'doesNotContain') return fc.constantFrom(...STRS);
  return scalar;
}

function conditionArb(catalog: FactDefinition[], depth: number): fc.Arbitrary<Condition> {
  const leaf = fc.constantFrom(...catalog).chain((f) => {
    const ops = operatorsForFactType(f.type).filter((o) => !POPULATION.has(o.name));
    return fc.constantFrom(...ops).chain((o) => leafValueArb(o.name, f.type).map((value): Condition => ({ fact: f.key, operator: o.name, value })));
  });
  if (depth <= 0) return leaf;
  const children = fc.array(conditionArb(catalog, depth - 1), { minLength: 1, maxLength: 3 });
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: children.map((all): Condition => ({ all })) },
    { weight: 1, arbitrary: children.map((any): Condition => ({ any })) },
    { weight: 1, arbitrary: conditionArb(catalog, depth - 1).map((not): Condition => ({ not })) },
  );
}

/** A valid ladder over the catalog: optional eligibility, 1–3 tiers with conditions and a catch-all; `scored`: a weighted score too. */
function definitionArb(catalog: FactDefinition[], scored = false): fc.Arbitrary<PolicyDefinition> {
  const top = conditionArb(catalog, 2).map((c): TopLevelCondition => ('all' in c || 'any' in c ? (c as TopLevelCondition) : { all: [c] }));
  const numeric = catalog.filter((f) => f.type === 'number' || f.type === 'integer');
  return fc
    .record({ eligibility: fc.option(top, { nil: undefined }), whens: fc.array(top, { minLength: 1, maxLength: 3 }), catchAll: fc.boolean() })
    .map(({ eligibility, whens, catchAll }) => {
      const def: PolicyDefinition = {
        schemaVersion: 1,
        ...(eligibility ? { eligibility } : {}),
        tiers: [...whens.map((when, i) => ({ key: `T${i}`, name: `T${i}`, when })), ...(catchAll ? [{ key: 'BASE', name: 'BASE' }] : [])],
      };
      if (scored && numeric.length) def.scores = [{ key: 's0', label: 's0', components: [{ label: 'w', fact: numeric[0].key, weight: 1 }] }];
      return def;
    })
    .filter((d) => validatePolicy(d, catalog).valid);
}

function cellArb(type: FactType): fc.Arbitrary<unknown> {
  const value = (() => {
    switch (type) {
      case 'number':
        return fc.oneof(
          fc.constantFrom(...NUMS, -0),
          fc.constantFrom(...NUMS).map((x) => x + 0.001),
          fc.constantFrom(...NUMS).map((x) => x - 0.001),
          fc.double({ min: -10, max: 2000, noNaN: true }),
        );
      case 'integer':
        return fc.oneof(fc.constantFrom(...NUMS.filter(Number.isInteger)), fc.integer({ min: -5, max: 2000 }));
      case 'boolean':
        return fc.boolean();
      case 'date':
        return fc.constantFrom(...DATES);
      case 'string[]':
        return fc.uniqueArray(fc.constantFrom(...STRS), { maxLength: 3 });
      default:
        return fc.constantFrom(...STRS);
    }
  })();
  return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: value });
}

interface Case {
  catalog: FactDefinition[];
  baseline: PolicyDefinition;
  candidate: PolicyDefinition;
  rows: unknown[][];
  group: string | undefined;
}

function version(definition: PolicyDefinition, facts: FactDefinition[]): VersionSnapshot {
  return { id: 'v', policyId: 'p', number: 1, status: 'draft', definition, facts, packages: {} };
}

function spec(baseline: PolicyDefinition, candidate: PolicyDefinition, facts: FactDefinition[], groupBy: string[]): SimulationSpec {
  const keys = facts.map((f) => f.key);
  return {
    baseline: version(baseline, facts),
    candidate: version(candidate, facts),
    datasetId: 'memo',
    rowCount: 0,
    chunkCount: 1,
    inputFacts: keys,
    groupBy,
    sampleFacts: keys,
    columns: [],
    asOf: `${AS_OF}T00:00:00.000Z`,
  };
}

/** evaluateChunk with and without the memos, on the same chunk bytes. */
function bothWays(s: SimulationSpec, data: Buffer) {
  const cs = compileSpec(s);
  const memo = evaluateChunk(cs, decodeChunk(data), 100);
  const plain = evaluateChunk({ ...cs, memoB: null, memoC: null }, decodeChunk(data), 100);
  return { cs, memo, plain };
}

describe('simulation outcome memo', () => {
  /** Two random valid versions over a random catalog (`scored`: with a score, which the memo does not apply to), a random chunk. */
  const caseArb = (scored: boolean) =>
    catalogArb.chain((catalog) =>
      fc.record({
        catalog: fc.constant(catalog),
        baseline: definitionArb(catalog, scored),
        candidate: definitionArb(catalog),
        rows: fc.array(fc.tuple(...catalog.map((f) => cellArb(f.type))), { minLength: 1, maxLength: 200 }),
        group: fc.option(fc.constantFrom(...catalog.map((f) => f.key)), { nil: undefined }),
      }),
    );
  const check = ({ catalog, baseline, candidate, rows, group }: Case) => {
    const builder = new ChunkBuilder(
      catalog.map((f) => ({ key: f.key, type: f.type })),
      rows.length,
      true,
    );
    rows.forEach((values, i) => builder.append(`C${i}`, values));
    const { cs, memo, plain } = bothWays(spec(baseline, candidate, catalog, group ? [group] : []), builder.encode());
    expect(memo.summary).toEqual(plain.summary);
    expect(memo.outcomes.equals(plain.outcomes)).toBe(true);
    return cs;
  };
  const runs = Number(process.env.FC_RUNS ?? 300);
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

  it('gives the outcomes and summary of evaluating every row (random ladders and chunks)', () => {
    let memoised = 0;
    fc.assert(
      fc.property(caseArb(false), (c) => {
        const cs = check(c);
        if (cs.memoB) memoised++;
      }),
      { numRuns: runs, seed },
    );
    expect(memoised).toBeGreaterThan(runs / 2); // only date windows (withinDays) stop it on these ladders
  });

  it('is not used for a version with scores, and the other version still gives its outcomes', () => {
    fc.assert(
      fc.property(caseArb(true), (c) => {
        const cs = check(c);
        if (c.baseline.scores) expect(cs.memoB).toBeNull();
      }),
      { numRuns: runs, seed },
    );
  });

  it('applies to the shipped cib-card ladder and gives its outcomes on 20,000 customers', () => {
    const shipped = getTemplate('cib-card');
    if (!shipped) throw new Error('cib-card template missing');
    const { definition, catalog } = shipped.current;
    expect(memoPlan(definition)).not.toBeNull();
    const raised = structuredClone(definition);
    raised.tiers = raised.tiers.slice(1);
    const rnd = fc.sample(fc.double({ min: 0, max: 2_000_000, noNaN: true }), { numRuns: 40_000, seed: 17 });
    const builder = new ChunkBuilder(
      catalog.facts.map((f) => ({ key: f.key, type: f.type })),
      20_000,
      true,
    );
    const edges = [1_000_000, 300_000, 100_000, 800_000, 250_000, 80_000];
    for (let i = 0; i < 20_000; i++) {
      builder.append(
        `B${i}`,
        catalog.facts.map((f, j) => {
          if (f.type === 'boolean') return (i + j) % 11 === 0 ? null : i % 7 !== 0;
          if (f.type !== 'number' && f.type !== 'integer') return null;
          if ((i + j) % 13 === 0) return null;
          return i % 5 === 0 ? edges[(i + j) % edges.length] : rnd[(2 * i + j) % rnd.length];
        }),
      );
    }
    const { cs, memo, plain } = bothWays(spec(definition, raised, catalog.facts, []), builder.encode());
    expect(cs.memoB).not.toBeNull();
    expect(cs.memoC).not.toBeNull();
    expect(memo.summary).toEqual(plain.summary);
    expect(memo.outcomes.equals(plain.outcomes)).toBe(true);
  });
});
