/**
 * Every request body's NUL check (common/validation.ts): `hasNul` answers as `findNul` does (a NUL anywhere, in a
 * value or a key, at any depth), so the pipe refuses exactly the bodies it refused, with findNul's path; a body the
 * JSON parser marked NUL-free from its text (no `\u0000` escape in it) is refused exactly as an unmarked one.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { findNul, hasNul, markNulFree, ZodBody } from '../../src/common/validation';

const withNul = fc.oneof(fc.string(), fc.constantFrom('\u0000', 'a\u0000', '\u0000b', 'x'));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, withNul, fc.integer(), fc.boolean(), fc.constant(null), tie('list'), tie('object')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(withNul, tie('value'), { maxKeys: 4 }),
})).value;

describe('the NUL check of request bodies', () => {
  it('hasNul is true exactly where findNul finds a path', () => {
    let found = 0;
    fc.assert(
      fc.property(json, (v) => {
        const parsed: unknown = JSON.parse(JSON.stringify(v));
        const path = findNul(parsed);
        if (path !== undefined) found++;
        expect(hasNul(parsed)).toBe(path !== undefined);
      }),
      { numRuns: 3000 },
    );
    expect(found).toBeGreaterThan(300);
  });

  it('the pipe refuses a NUL with its path, in a value and in a key, and takes the body without one', () => {
    const pipe = new ZodBody(z.object({ facts: z.record(z.string(), z.unknown()) }));
    const refusal = (body: unknown) => {
      try {
        pipe.transform(body);
        return undefined;
      } catch (e) {
        return (e as { details?: unknown }).details;
      }
    };
    expect(refusal({ facts: { a: [1, { b: 'x\u0000' }] } })).toEqual([{ path: 'facts.a[1].b', message: 'contains a NUL (\\u0000) character' }]);
    expect(refusal({ facts: { 'k\u0000': 1 } })).toEqual([{ path: 'facts.k\u0000', message: 'contains a NUL (\\u0000) character' }]);
    expect(refusal({ facts: { a: 'x' } })).toBeUndefined();
  });

  it('a body marked from its JSON text is refused exactly when it holds a NUL, with the same path', () => {
    const pipe = new ZodBody(z.unknown());
    const refusal = (body: unknown) => {
      try {
        pipe.transform(body);
        return undefined;
      } catch (e) {
        return (e as { details?: unknown }).details;
      }
    };
    // texts with NULs, backslashes before a "u0000" that is not an escape, and escapes JSON.stringify does not write
    const texts = fc.oneof(
      json.filter((v) => typeof v === 'object' && v !== null && !Array.isArray(v)).map((v) => JSON.stringify(v)),
      fc.constantFrom('{"a":"\\\\u0000"}', '{"a":"\\\\\\u0000"}', '{"a\\u0000":1}', '{"a":["x","\\u0000"]}', '{"a":"\\u0041\\\\u0000b"}'),
    );
    let refused = 0;
    fc.assert(
      fc.property(texts, (text) => {
        const marked: unknown = JSON.parse(text);
        markNulFree(marked, text);
        const path = findNul(JSON.parse(text));
        if (path !== undefined) refused++;
        expect(refusal(marked)).toEqual(path === undefined ? undefined : [{ path, message: 'contains a NUL (\\u0000) character' }]);
      }),
      { numRuns: 3000 },
    );
    expect(refused).toBeGreaterThan(300);
  });
});
