/**
 * Cell coercion against its definition as regular expressions and look-ups (what coercion.ts did
 * before each column's coercion was chosen once and numbers were recognised by hand), by property:
 * the same value or the same problem for any cell over the characters that matter.
 */
import type { FactDefinition } from '@tierwise/policy-engine';
import fc from 'fast-check';
import { coerceText, NUMBER, Problem } from '../../src/datasets/coercion';

const GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

function referenceNumber(s: string): unknown {
  if (NUMBER.test(s)) {
    const n = Number(s);
    return Number.isFinite(n) ? n : 'is too large';
  }
  if (GROUPED.test(s)) return Number(s.replace(/,/g, ''));
  return 'must be a number (like 1234.56 or 1,234.56)';
}

function reference(f: FactDefinition, raw: string): unknown {
  const s = raw.trim();
  if (s === '') return null;
  switch (f.type) {
    case 'number':
      return referenceNumber(s);
    case 'integer': {
      const n = referenceNumber(s);
      return typeof n === 'number' && Number.isSafeInteger(n) ? n : 'must be a whole number';
    }
    case 'boolean': {
      const l = s.toLowerCase();
      if (['true', '1', 'yes', 'y', 't', '是', '真'].includes(l)) return true;
      if (['false', '0', 'no', 'n', 'f', '否', '假'].includes(l)) return false;
      return 'must be true or false (also 1/0, yes/no, 是/否)';
    }
    case 'enum': {
      const values = f.enumValues ?? [];
      if (values.includes(s)) return s;
      return values.find((v) => v.toLowerCase() === s.toLowerCase()) ?? `must be one of ${values.join(', ')}`;
    }
    default:
      throw new Error('not compared here');
  }
}

const mine = (f: FactDefinition, raw: string) => {
  const v = coerceText(f, raw);
  return v instanceof Problem ? v.reason : v;
};

const facts: FactDefinition[] = [
  { key: 'n', label: 'n', type: 'number' },
  { key: 'i', label: 'i', type: 'integer' },
  { key: 'b', label: 'b', type: 'boolean' },
  { key: 'e', label: 'e', type: 'enum', enumValues: ['Gold', 'GOLD', 'silver', '惠城区'] },
];

describe('cell coercion ≡ its regular-expression definition', () => {
  it('numbers and integers: the same value or problem for any cell of digits, signs, dots, exponents and commas (10,000 cells)', () => {
    const cell = fc.string({ unit: fc.constantFrom('0', '1', '9', '.', 'e', 'E', '+', '-', ',', ' ', 'x', 'I'), maxLength: 12 });
    fc.assert(
      fc.property(cell, (s) => {
        expect([s, mine(facts[0], s)]).toEqual([s, reference(facts[0], s)]);
        expect([s, mine(facts[1], s)]).toEqual([s, reference(facts[1], s)]);
      }),
      { numRuns: 10_000 },
    );
    for (const s of ['1e400', '-0', '.5', '5.', '+.5e-3', '1,234,567.89', '9007199254740993', '0x10', 'Infinity', '1e', '.', '+', 'e5'])
      expect([s, mine(facts[0], s), mine(facts[1], s)]).toEqual([s, reference(facts[0], s), reference(facts[1], s)]);
  });

  it('booleans and enums: the same value or problem, case folding included', () => {
    const words = ['true', 'TRUE', 'True', 'false', 'FALSE', '1', '0', 'yes', 'No', 'y', 'N', 't', 'F', '是', '否', '真', '假', 'maybe', ' true ', ''];
    for (const s of words) expect([s, mine(facts[2], s)]).toEqual([s, reference(facts[2], s)]);
    for (const s of ['Gold', 'GOLD', 'gold', 'gOLD', 'silver', 'SILVER', '惠城区', ' silver ', 'bronze', ''])
      expect([s, mine(facts[3], s)]).toEqual([s, reference(facts[3], s)]);
  });
});
