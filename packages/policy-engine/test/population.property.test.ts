/**
 * Issue 16 acceptance 3: over random populations and random ladders of population conditions, the compiled
 * evaluator gives exactly json-rules-engine's outcome with the same frozen cut-offs — and the cut-offs mean
 * what population.ts says, checked against a brute-force count of who is better than whom.
 */
import fc from 'fast-check';
import {
  compileFast,
  computeCutoffs,
  createEvaluator,
  validatePolicy,
  type Condition,
  type FactDefinition,
  type Facts,
  type PolicyDefinition,
  type TopLevelCondition,
} from '../src';

const facts: FactDefinition[] = [
  { key: 'a', label: 'a', type: 'number' },
  { key: 'b', label: 'b', type: 'integer' },
  { key: 'g', label: 'g', type: 'enum', enumValues: ['x', 'y', 'z'] },
];

type Leaf = { fact: string; operator: string; value: number; params?: Record<string, unknown> };

const percentArb = fc.oneof(fc.constantFrom(1, 10, 20, 25, 30, 33.3333, 50, 70, 80, 99, 100), fc.integer({ min: 1, max: 100 }));
const groupArb = fc.option(fc.constant('g'), { nil: undefined });
const bestArb = fc.option(fc.constantFrom('highest', 'lowest'), { nil: undefined });

const leafArb: fc.Arbitrary<Leaf> = fc.oneof(
  fc.record({ fact: fc.constantFrom('a', 'b'), p: percentArb, best: bestArb, g: groupArb }).map(({ fact, p, best, g }) => {
    const params: Record<string, unknown> = {};
    if (best !== undefined) params.best = best;
    if (g !== undefined) params.groupBy = g;
    return { fact, operator: 'topPercent', value: p, ...(Object.keys(params).length ? { params } : {}) };
  }),
  fc.record({ fact: fc.constantFrom('a', 'b'), p: percentArb, cumulative: fc.boolean(), g: groupArb }).map(({ fact, p, cumulative, g }) => {
    const params: Record<string, unknown> = {};
    if (cumulative) params.cumulative = true;
    if (g !== undefined) params.groupBy = g;
    return { fact, operator: 'shareOfTotalAtLeast', value: p, ...(Object.keys(params).length ? { params } : {}) };
  }),
  fc.record({ fact: fc.constantFrom('a', 'b'), q: fc.integer({ min: 2, max: 10 }), best: bestArb, g: groupArb }).chain(({ fact, q, best, g }) =>
    fc.integer({ min: 1, max: q }).map((v) => {
      const params: Record<string, unknown> = { quantiles: q };
      if (best !== undefined) params.best = best;
      if (g !== undefined) params.groupBy = g;
      return { fact, operator: 'quantileAtLeast', value: v, params };
    }),
  ),
);

const plainLeafArb: fc.Arbitrary<Leaf> = fc.record({
  fact: fc.constantFrom('a', 'b'),
  operator: fc.constantFrom('greaterThanInclusive', 'lessThan'),
  value: fc.constantFrom(-5, 0, 3, 10, 50),
});

const condArb: fc.Arbitrary<TopLevelCondition> = fc
  .tuple(
    fc.constantFrom('all', 'any', 'notAll'),
    fc.array(fc.oneof({ weight: 3, arbitrary: leafArb }, { weight: 1, arbitrary: plainLeafArb }), { minLength: 1, maxLength: 3 }),
  )
  .map(([kind, leaves]) => {
    const list = leaves as unknown as Condition[];
    if (kind === 'any') return { any: list };
    if (kind === 'notAll') return { not: { all: list } };
    return { all: list };
  });

const definitionArb: fc.Arbitrary<PolicyDefinition> = fc
  .record({
    tiers: fc.array(condArb, { minLength: 1, maxLength: 4 }),
    eligibility: fc.option(condArb, { nil: undefined }),
    scored: fc.option(condArb, { nil: undefined }),
  })
  .map(({ tiers, eligibility, scored }) => {
    const def: PolicyDefinition = {
      schemaVersion: 1,
      tiers: [...tiers.map((when, i) => ({ key: `T${i}`, name: `T${i}`, when })), { key: 'REST', name: 'rest' }],
    };
    if (eligibility !== undefined) def.eligibility = eligibility;
    if (scored !== undefined) def.scores = [{ key: 'pts', label: 'pts', components: [{ label: 'ranked', points: 3, when: scored }] }];
    return def;
  });

/** Values with many ties, negatives and gaps (missing, null, not a number). */
const valueArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(-3, 0, 1, 2, 2, 5, 5, 10, 40, 100, 0.1, 0.2, 0.3) },
  { weight: 3, arbitrary: fc.integer({ min: -20, max: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, 'x') },
);
const rowArb: fc.Arbitrary<Facts> = fc.record({
  a: valueArb,
  b: fc.oneof(fc.integer({ min: -5, max: 30 }), fc.constant(null)),
  g: fc.constantFrom('x', 'y', 'z', null),
});

describe('population conditions: compiled ≡ json-rules-engine over random populations', () => {
  it('agrees on eligibility, scores and tier for every customer of every random population', async () => {
    let comparisons = 0;
    await fc.assert(
      fc.asyncProperty(definitionArb, fc.array(rowArb, { minLength: 0, maxLength: 40 }), async (def, rows) => {
        expect(validatePolicy(def, facts).errors).toEqual([]);
        const cutoffs = computeCutoffs(def, rows, { asOf: '2026-03-31' });
        const fast = compileFast(def, facts, { cutoffs });
        const ev = createEvaluator(def, facts, { cutoffs });
        for (const row of rows) {
          const f = fast(row);
          const j = await ev.evaluate(row);
          expect({ eligible: j.eligible, tier: j.tier?.key ?? null, scores: j.scores }).toEqual({
            eligible: f.eligible,
            tier: f.eligible && f.tierIndex >= 0 ? def.tiers[f.tierIndex].key : null,
            scores: f.scores,
          });
          comparisons++;
        }
      }),
      { numRuns: 300 },
    );
    expect(comparisons).toBeGreaterThan(1000);
  }, 120_000);

  // whole numbers here, so the brute-force sums are exact (the equivalence above covers decimals)
  const wholeRowArb: fc.Arbitrary<Facts> = fc.record({
    a: fc.oneof(fc.constantFrom(-3, 0, 1, 2, 2, 5, 5, 10, 40, 100), fc.integer({ min: -20, max: 200 }), fc.constant(null)),
    b: fc.oneof(fc.integer({ min: -5, max: 30 }), fc.constant(null)),
    g: fc.constantFrom('x', 'y', 'z', null),
  });

  it('means what it says: the k best (ties included), the share of the total, the bucket — by brute force', () => {
    fc.assert(
      fc.property(leafArb, fc.array(wholeRowArb, { minLength: 0, maxLength: 60 }), (leaf, rows) => {
        const def: PolicyDefinition = {
          schemaVersion: 1,
          tiers: [
            { key: 'IN', name: 'in', when: { all: [leaf as unknown as Condition] } },
            { key: 'OUT', name: 'out' },
          ],
        };
        const fast = compileFast(def, facts, { cutoffs: computeCutoffs(def, rows) });
        const group = (r: Facts) => (leaf.params?.groupBy === undefined ? 'all' : String(r.g ?? null));
        const num = (r: Facts): number | undefined => (typeof r[leaf.fact] === 'number' ? (r[leaf.fact] as number) : undefined);
        const lowest = leaf.params?.best === 'lowest';
        for (const row of rows) {
          const v = num(row);
          const inTier = fast(row).tierIndex === 0;
          if (v === undefined) {
            expect(inTier).toBe(false);
            continue;
          }
          const peers = rows
            .filter((r) => group(r) === group(row))
            .map(num)
            .filter((x): x is number => x !== undefined);
          const n = peers.length;
          const better = peers.filter((x) => (lowest ? x < v : x > v)).length;
          let expected: boolean;
          if (leaf.operator === 'topPercent') {
            // in the best ⌈n·p/100⌉, ties included: fewer than k customers are strictly better
            expected = better < Math.ceil((n * Math.round(leaf.value * 10_000)) / 1_000_000 - 1e-9);
          } else if (leaf.operator === 'quantileAtLeast') {
            const q = leaf.params!.quantiles as number;
            expected = better < Math.ceil((n * (q - leaf.value + 1)) / q - 1e-9);
          } else {
            const total = peers.reduce((s, x) => s + x, 0);
            if (!(total > 0)) expected = false;
            else if (leaf.params?.cumulative === true) {
              // the customers strictly better than v bring less than p% of the total
              const above = peers.filter((x) => x > v).reduce((s, x) => s + x, 0);
              expected = above * 100 < leaf.value * total;
            } else expected = v * 100 >= leaf.value * total;
          }
          expect({ leaf, v, peers, inTier }).toEqual({ leaf, v, peers, inTier: expected });
        }
      }),
      { numRuns: 500 },
    );
  });
});
