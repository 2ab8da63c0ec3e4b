import { roundScore } from '../src';

describe('roundScore', () => {
  it('removes binary noise at 10 decimal places even without round', () => {
    expect(roundScore((90 * 0.5 + 70 * 0.5) * 1.05)).toBe(84);
    expect(1.1 * 1.1).not.toBe(1.21);
    expect(roundScore(1.1 * 1.1)).toBe(1.21);
    expect(0.1 * 3).not.toBe(0.3);
    expect(roundScore(0.1 * 3)).toBe(0.3);
    expect(roundScore(0.1 + 0.2)).toBe(0.3);
  });
  it('rounds half away from zero to the given places, on the decimal value', () => {
    expect(roundScore(1.005, 2)).toBe(1.01);
    expect(roundScore(2.5, 0)).toBe(3);
    expect(roundScore(-2.5, 0)).toBe(-3);
    expect(roundScore(-0.0000000000001)).toBe(0);
    expect(Object.is(roundScore(-0.4, 0), 0)).toBe(true);
    expect(roundScore(84.444444, 4)).toBe(84.4444);
  });
  it('leaves huge and infinite values alone', () => {
    expect(roundScore(1e300, 2)).toBe(1e300);
    expect(roundScore(Infinity)).toBe(Infinity);
  });
});
