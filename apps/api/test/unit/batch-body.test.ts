/**
 * The batch body's quick check (batch-body.ts) agrees with the contract's zod schema: for a body zod accepts it
 * returns zod's parsed value (trimmed customer ids included), for one zod refuses it returns undefined (so the
 * refusal, its paths and codes, is zod's). Bodies are valid ones with one or more faults mixed in.
 */
import fc from 'fast-check';
import { evaluation, FACT_LIMITS } from '@tierwise/contract';
import { fastBatchBody } from '../../src/evaluation/batch-body';

// the boundaries probed are the contract's own limits (the quick check reads them too)
const { maxKeyLength, maxKeys } = FACT_LIMITS;
const { maxPolicyKeyLength, maxCustomerIdLength, maxBatch } = evaluation.EVALUATE_LIMITS;

/** Mostly the valid thing, sometimes a fault: so that most bodies are accepted and many are refused for one reason. */
const mostly = <T, F>(valid: fc.Arbitrary<T>, faults: fc.Arbitrary<F>, weight = 30) =>
  fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: faults as fc.Arbitrary<T | F> });

const key = mostly(
  fc.constantFrom('avgDailyAssets', 'hasValidId', 'x'.repeat(maxKeyLength), 'constructor'),
  fc.oneof(fc.constantFrom('x'.repeat(maxKeyLength + 1), '__proto__', ''), fc.string()),
  8,
);
const value = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.string(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }));
const facts = mostly(
  fc.dictionary(key, value, { maxKeys: 4 }),
  fc.constantFrom(null, [], 'facts', 3, Object.fromEntries(Array.from({ length: maxKeys + 1 }, (_, i) => [`f${i}`, i]))),
);
const customerId = mostly(
  fc.oneof(
    fc.string({ minLength: 1, maxLength: 20 }).filter((x) => x.trim() !== ''),
    fc.constantFrom('  c-1  ', 'x'.repeat(maxCustomerIdLength), ` ${'x'.repeat(maxCustomerIdLength)} `),
  ),
  fc.oneof(fc.constantFrom(' ', '', '\u3000', 'x'.repeat(maxCustomerIdLength + 1)), fc.integer(), fc.constant(null)),
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
const body = fc
  .record(
    {
      policy: mostly(
        fc.constantFrom('cib-card', 'p'.repeat(maxPolicyKeyLength)),
        fc.oneof(fc.constantFrom('', 'p'.repeat(maxPolicyKeyLength + 1)), fc.integer()),
      ),
      customers: mostly(fc.array(customer, { minLength: 1, maxLength: 6 }), fc.constantFrom(null, {}, 'all', [])),
      at: mostly(
        fc.constantFrom('2026-12-02T04:00:00Z', '2026-12-02T12:00:00+08:00', '2026-12-02T04:00:00.123Z'),
        fc.oneof(fc.constantFrom('2026-12-02', 'soon', null), fc.integer()),
      ),
      explain: mostly(fc.boolean(), fc.constantFrom(null, 'yes')),
      include,
      other: fc.integer(),
    },
    { requiredKeys: ['policy', 'customers'] },
  )
  .map((b) => {
    // an unknown key only now and then
    const { other, ...rest } = b;
    return other !== undefined && other % 20 === 0 ? b : rest;
  });

/** A body through JSON, as the API's parser gives it ('__proto__' an own key). */
const asParsed = (b: unknown): unknown => JSON.parse(JSON.stringify(b));

describe('the batch body quick check', () => {
  it('gives what zod gives for the bodies zod accepts, and leaves the others to zod', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(body, (b) => {
        const input = asParsed(b);
        const z = evaluation.batchBody.safeParse(input);
        const quick = fastBatchBody(input);
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
      { numRuns: 4000 },
    );
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
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
