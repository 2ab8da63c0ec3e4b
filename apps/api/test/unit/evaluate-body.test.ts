/**
 * The single-evaluate body's quick check (evaluate-body.ts) agrees with the contract's zod schema: for a body zod
 * accepts it returns zod's parsed value (the trimmed customer id included), for one zod refuses it returns undefined
 * (so the refusal, its paths and codes, is zod's). Bodies are valid ones with one or more faults mixed in.
 */
import fc from 'fast-check';
import { evaluation } from '@tierwise/contract';
import { fastEvaluateBody } from '../../src/evaluation/evaluate-body';

/** Mostly the valid thing, sometimes a fault: so that most bodies are accepted and many are refused for one reason. */
const mostly = <T, F>(valid: fc.Arbitrary<T>, faults: fc.Arbitrary<F>, weight = 30) =>
  fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: faults as fc.Arbitrary<T | F> });

const key = mostly(
  fc.constantFrom('avgDailyAssets', 'hasValidId', 'x'.repeat(64), 'constructor', 'toString', '0', '10'),
  fc.oneof(fc.constantFrom('x'.repeat(65), '__proto__', ''), fc.string()),
  8,
);
const value = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);
const facts = mostly(
  fc.dictionary(key, value, { maxKeys: 4 }),
  fc.constantFrom(null, [], 'facts', 3, Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`f${i}`, i]))),
);
const customerId = mostly(
  fc.oneof(
    fc.string({ minLength: 1, maxLength: 20 }).filter((x) => x.trim() !== ''),
    fc.constantFrom('  c-1  ', 'x'.repeat(128), ` ${'x'.repeat(128)} `, '\tc\n'),
  ),
  fc.oneof(fc.constantFrom(' ', '', '\u3000', 'x'.repeat(129)), fc.integer(), fc.constant(null), fc.constant([])),
);
const body = fc
  .record(
    {
      policy: mostly(fc.constantFrom('cib-card', 'p'.repeat(64)), fc.oneof(fc.constantFrom('', 'p'.repeat(65)), fc.integer(), fc.constant(null))),
      facts,
      customerId,
      at: mostly(
        fc.constantFrom('2026-12-02T04:00:00Z', '2026-12-02T12:00:00+08:00', '2026-12-02T04:00:00.123Z'),
        fc.oneof(fc.constantFrom('2026-12-02', 'soon', null, '2026-13-02T04:00:00Z'), fc.integer()),
      ),
      explain: mostly(fc.boolean(), fc.constantFrom(null, 'yes', 0)),
      other: fc.integer(),
    },
    { requiredKeys: [] },
  )
  .map((b) => {
    // an unknown key only now and then
    const { other, ...rest } = b;
    return other !== undefined && other % 20 === 0 ? b : rest;
  });

/** A body through JSON, as the API's parser gives it ('__proto__' an own key). */
const asParsed = (b: unknown): unknown => JSON.parse(JSON.stringify(b));

describe('the single-evaluate body quick check', () => {
  it('gives what zod gives for the bodies zod accepts, and leaves the others to zod', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 20, arbitrary: body }, { weight: 1, arbitrary: fc.anything() }), (b) => {
        const input = asParsed(b ?? null);
        const z = evaluation.evaluateBody.safeParse(input);
        const quick = fastEvaluateBody(input);
        if (z.success) {
          accepted++;
          // a '__proto__' fact is the one body left to zod although valid
          if (quick === undefined) return expect(JSON.stringify(input)).toContain('"__proto__"');
          expect(quick).toStrictEqual(z.data);
        } else {
          refused++;
          expect(quick).toBeUndefined();
        }
      }),
      { numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });

  it('takes the bench body as zod does, the customer id trimmed; 500 facts pass and 501 do not', () => {
    const b = { policy: 'cib-card', customerId: ' bench-7 ', facts: { avgDailyAssets: 1, familyAvgDailyAssets: 2, hasValidId: true } };
    expect(fastEvaluateBody(b)).toStrictEqual(evaluation.evaluateBody.parse(b));
    expect(fastEvaluateBody(b)?.customerId).toBe('bench-7');
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, i]));
    expect(fastEvaluateBody({ policy: 'p', facts: many })).toStrictEqual(evaluation.evaluateBody.parse({ policy: 'p', facts: many }));
    expect(fastEvaluateBody({ policy: 'p', facts: { ...many, f500: 1 } })).toBeUndefined();
  });
});
