/** json-text.ts writes exactly what JSON.stringify writes, for every string, number and value it is given. */
import fc from 'fast-check';
import { jsonNumber, jsonString, jsonValue } from '../src';

describe('JSON text of single values', () => {
  it('quotes a string as JSON.stringify does, whatever it holds', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.uuid(), fc.string()), (x) => {
        expect(jsonString(x)).toBe(JSON.stringify(x));
      }),
      { numRuns: 2000 },
    );
    for (const x of ['', '"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udfff', '😀', 'a\ud83db', '白金'])
      expect(jsonString(x)).toBe(JSON.stringify(x));
  });

  it('writes a number as JSON.stringify does: -0, 1e21, NaN and the infinities included', () => {
    fc.assert(
      fc.property(fc.double(), (n) => {
        expect(jsonNumber(n)).toBe(JSON.stringify(n));
      }),
      { numRuns: 2000 },
    );
    for (const n of [-0, 0, 1e21, 1e-7, -1e-7, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity, 0.1 + 0.2, 999999.99, 1000000])
      expect(jsonNumber(n)).toBe(JSON.stringify(n));
  });

  it('writes any value as JSON.stringify does, and leaves out what it leaves out', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.constant(undefined),
          fc.constant(() => 1),
          fc.constant(Symbol('s')),
        ),
        (x) => {
          expect(jsonValue(x)).toBe(JSON.stringify(x));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
