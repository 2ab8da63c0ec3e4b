import { parseLooseNumber } from './numbers';

describe('parseLooseNumber', () => {
  it.each([
    ['1,000,000', 1_000_000],
    ['1000000', 1_000_000],
    ['1 000 000', 1_000_000],
    ['1，000', 1000],
    ['-2.5', -2.5],
    ['0', 0],
    ['1e6', 1_000_000],
  ])('reads %s as %d', (text, value) => expect(parseLooseNumber(text)).toBe(value));
  it.each(['', '-', 'abc', '12abc', '1.2.3'])('refuses %p', (text) => expect(parseLooseNumber(text)).toBeNull());
});
