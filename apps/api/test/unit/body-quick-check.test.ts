/**
 * The quick body checks (batch-body.ts for POST /api/evaluate/batch, evaluate-body.ts for POST /api/evaluate)
 * agree with the contract's zod schemas: for a body zod accepts they return zod's parsed value (trimmed customer
 * ids included), for one zod refuses they return undefined (so the refusal, its paths and codes, is zod's). Bodies
 * are valid ones with one or more faults mixed in, at the contract's own limits.
 */
import fc from 'fast-check';
import { evaluation, FACT_LIMITS } from '@tierwise/contract';
import type { z } from 'zod';
import { fastBatchBody } from '../../src/evaluation/batch-body';
import { fastEvaluateBody } from '../../src/evaluation/evaluate-body';

// the boundaries probed are the contract's own limits (the quick check reads them too)
const { maxKeyLength, maxKeys } = FACT_LIMITS;
const { maxPolicyKeyLength, maxCustomerIdLength, maxBatch } = evaluation.EVALUATE_LIMITS;

/** Mostly the valid thing, sometimes a fault: so that most bodies are accepted and many are refused for one reason. */
const mostly = <T, F>(valid: fc.Arbitrary<T>, faults: fc.Arbitrary<F>, weight = 30) =>
  fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: faults as fc.Arbitrary<T | F> });

const key = mostly(
  fc.constantFrom('avgDailyAssets', 'hasValidId', 'x'.repeat(maxKeyLength), 'constructor', 'toString', '0', '10'),
  fc.oneof(fc.constantFrom('x'.repeat(maxKeyLength + 1), '__proto__', ''), fc.string()),
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
  fc.constantFrom(null, [], 'facts', 3, Object.fromEntries(Array.from({ length: maxKeys + 1 }, (_, i) => [`f${i}`, i]))),
);
const customerId = mostly(
  fc.oneof(
    fc.string({ minLength: 1, maxLength: 20 }).filter((x) => x.trim() !== ''),
    fc.constantFrom('  c-1  ', 'x'.repeat(maxCustomerIdLength), ` ${'x'.repeat(maxCustomerIdLength)} `, '\tc\n'),
  ),
  fc.oneof(fc.constantFrom(' ', '', '\u3000', 'x'.repeat(maxCustomerIdLength + 1)), fc.integer(), fc.constant(null), fc.constant([])),
);
const customer = mostly(
  fc.record({ customerId, facts }, { requiredKeys: ['facts'] }),
  fc.oneof(fc.record({ customerId, facts, extra: fc.integer() }), fc.record({ customerId }), fc.constantFrom(null, [], 'c', 1)),
  60,
);
const include = mostly(
  fc.record({ trace: fc.boolean(), next: fc.boolean() }, { requiredKeys: [] }),
  fc.constantFrom(null, [], { trace: 1 }, { other: true }, { next: 'no' }),
);
const policy = mostly(
  fc.constantFrom('cib-card', 'p'.repeat(maxPolicyKeyLength)),
  fc.oneof(fc.constantFrom('', 'p'.repeat(maxPolicyKeyLength + 1)), fc.integer(), fc.constant(null)),
);
const at = mostly(
  fc.constantFrom('2026-12-02T04:00:00Z', '2026-12-02T12:00:00+08:00', '2026-12-02T04:00:00.123Z'),
  fc.oneof(fc.constantFrom('2026-12-02', 'soon', null, '2026-13-02T04:00:00Z'), fc.integer()),
);
const explain = mostly(fc.boolean(), fc.constantFrom(null, 'yes', 0));
/** An unknown key only now and then. */
const rarelyOther = <B extends { other?: number }>(b: B) => {
  const { other, ...rest } = b;
  return other !== undefined && other % 20 === 0 ? b : rest;
};
const batchBody = fc
  .record(
    {
      policy,
      customers: mostly(fc.array(customer, { minLength: 1, maxLength: 6 }), fc.constantFrom(null, {}, 'all', [])),
      at,
      explain,
      include,
      other: fc.integer(),
    },
    { requiredKeys: ['policy', 'customers'] },
  )
  .map(rarelyOther);
const singleBody = fc.record({ policy, facts, customerId, at, explain, other: fc.integer() }, { requiredKeys: [] }).map(rarelyOther);

/** A body through JSON, as the API's parser gives it ('__proto__' an own key). */
const asParsed = (b: unknown): unknown => JSON.parse(JSON.stringify(b));

/** `quick` gives zod's parsed value for every generated body zod accepts and undefined for every one it refuses. */
function agreesWithZod(schema: z.ZodType, quick: (v: unknown) => unknown, bodies: fc.Arbitrary<unknown>, numRuns: number, atLeast: number) {
  let accepted = 0;
  let refused = 0;
  fc.assert(
    fc.property(bodies, (b) => {
      const input = asParsed(b ?? null);
      const z = schema.safeParse(input);
      const fast = quick(input);
      if (z.success) {
        accepted++;
        // a '__proto__' fact is the one body left to zod although valid
        if (fast === undefined) return expect(JSON.stringify(input)).toContain('"__proto__"');
        expect(fast).toStrictEqual(z.data);
      } else {
        refused++;
        expect(fast).toBeUndefined();
      }
    }),
    { numRuns },
  );
  expect(accepted).toBeGreaterThan(atLeast);
  expect(refused).toBeGreaterThan(atLeast);
}

describe('the single-evaluate body quick check', () => {
  it('gives what zod gives for the bodies zod accepts, and leaves the others to zod', () => {
    agreesWithZod(
      evaluation.evaluateBody,
      fastEvaluateBody,
      fc.oneof({ weight: 20, arbitrary: singleBody }, { weight: 1, arbitrary: fc.anything() }),
      5000,
      500,
    );
  });

  it('takes the bench body as zod does, the customer id trimmed; 500 facts pass and 501 do not', () => {
    const b = { policy: 'cib-card', customerId: ' bench-7 ', facts: { avgDailyAssets: 1, familyAvgDailyAssets: 2, hasValidId: true } };
    expect(fastEvaluateBody(b)).toStrictEqual(evaluation.evaluateBody.parse(b));
    expect(fastEvaluateBody(b)?.customerId).toBe('bench-7');
    expect(maxKeys).toBe(500);
    const many = Object.fromEntries(Array.from({ length: maxKeys }, (_, i) => [`f${i}`, i]));
    expect(fastEvaluateBody({ policy: 'p', facts: many })).toStrictEqual(evaluation.evaluateBody.parse({ policy: 'p', facts: many }));
    expect(fastEvaluateBody({ policy: 'p', facts: { ...many, f500: 1 } })).toBeUndefined();
  });
});

describe('the batch body quick check', () => {
  it('gives what zod gives for the bodies zod accepts, and leaves the others to zod', () => {
    agreesWithZod(evaluation.batchBody, fastBatchBody, batchBody, 4000, 100);
  });

  it('takes a 10,000-customer body and refuses 10,001', () => {
    expect(maxBatch).toBe(10_000);
    const customers = Array.from({ length: maxBatch }, (_, i) => ({ customerId: ` c-${i} `, facts: { avgDailyAssets: i } }));
    const quick = fastBatchBody({ policy: 'cib-card', customers, include: { trace: false } });
    expect(quick).toStrictEqual(evaluation.batchBody.parse({ policy: 'cib-card', customers, include: { trace: false } }));
    expect(quick?.customers[9_999]).toEqual({ customerId: 'c-9999', facts: { avgDailyAssets: 9_999 } });
    expect(fastBatchBody({ policy: 'cib-card', customers: [...customers, { facts: {} }] })).toBeUndefined();
  });
});
