/**
 * The projector (projection.ts) gives exactly what the reference gives — the projector before its candidate probes
 * were deduplicated by value and run on one reused object (test/support/projection-reference.ts) —, over random
 * definitions and customers full of quirks, and over every shipped template with customers around its thresholds.
 */
import fc from 'fast-check';
import { createProjector, type FactDefinition, type Facts, type PolicyDefinition } from '../src';
import { AS_OF, catalogArb, customerArb, definitionArb } from './arbitraries';
import { referenceProjector } from './support/projection-reference';
import { templateFiles } from './support/template-files';

/** What a projector does with a customer: its projection, or the error it throws (name and message). */
function outcome(make: () => (input: Facts) => unknown, input: Facts): unknown {
  try {
    return { projection: make()(input) };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

function expectSame(def: PolicyDefinition, catalog: FactDefinition[], customers: Facts[]): void {
  const options = { asOf: AS_OF };
  let current: ((input: Facts) => unknown) | undefined;
  let reference: ((input: Facts) => unknown) | undefined;
  for (const c of customers) {
    const got = outcome(() => (current ??= createProjector(def, catalog, options)), c);
    const want = outcome(() => (reference ??= referenceProjector(def, catalog, options)), c);
    expect(got).toStrictEqual(want);
  }
}

/** Numbers on, just past and far from the template's thresholds, absent values and quirks, per numeric fact. */
function customersAround(def: PolicyDefinition, catalog: FactDefinition[], n: number, seed: number): Facts[] {
  const numbers = new Set<number>([0, -1, 1, 0.5]);
  JSON.stringify(def, (_k, v: unknown) => {
    if (typeof v === 'number') for (const x of [v, v - 1, v + 1, v * 0.999, v * 1.001, v / 2, v * 2]) numbers.add(x);
    return v;
  });
  const pool = [...numbers];
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const out: Facts[] = [];
  for (let i = 0; i < n; i++) {
    const c: Facts = {};
    for (const f of catalog) {
      const r = next();
      if (r < 0.08) continue; // missing
      if (r < 0.12) c[f.key] = pick([null, 'x', Number.NaN, -0, '1']);
      else if (f.type === 'number') c[f.key] = pick(pool);
      else if (f.type === 'integer') c[f.key] = Math.round(pick(pool));
      else if (f.type === 'boolean') c[f.key] = next() < 0.5;
      else if (f.type === 'enum') c[f.key] = pick(f.enumValues ?? ['a']);
      else if (f.type === 'date') c[f.key] = pick(['2021-05-01', '2020-01-31', '2026-12-01']);
      else if (f.type === 'string[]') c[f.key] = pick([[], ['a'], ['a', 'b']]);
      else c[f.key] = pick(['a', 'b', 'x', '']);
    }
    out.push(c);
  }
  return out;
}

describe('projection: the same answers as the reference projector', () => {
  it('over random definitions and customers', () => {
    fc.assert(
      fc.property(
        catalogArb.chain((catalog) => fc.tuple(fc.constant(catalog), definitionArb(catalog), fc.array(customerArb(catalog), { minLength: 1, maxLength: 8 }))),
        ([catalog, def, customers]) => expectSame(def, catalog, customers),
      ),
      { numRuns: 300 },
    );
  });

  it.each(templateFiles().map((f) => [f.policy.key, f] as const))('template %s, 400 customers around its thresholds', (_key, file) => {
    expectSame(file.definition, file.catalog.facts, customersAround(file.definition, file.catalog.facts, 400, 17));
  });
});
