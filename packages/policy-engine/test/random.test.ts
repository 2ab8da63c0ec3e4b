import { Random, randomStream } from '../src';

describe('Random (mulberry32)', () => {
  it('gives the same stream for the same seed, on every platform (fixed values)', () => {
    const r = new Random(1);
    expect([r.next(), r.next(), r.next()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    const s = randomStream(1);
    expect([s(), s(), s()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    const q = new Random(42);
    expect([q.normal(), q.normal(), q.int(10), q.pick(['a', 'b', 'c'], [1, 0, 1])]).toEqual([-0.956162229384149, 0.3220702493215296, 8, 'c']);
  });

  it('stays in [0, 1), picks by weight, and never picks a zero weight', () => {
    const r = new Random(7);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 20_000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      counts[r.pick(['a', 'b', 'c'] as const, [3, 0, 1])]++;
    }
    expect(counts.b).toBe(0);
    expect(counts.a / counts.c).toBeGreaterThan(2.7);
    expect(counts.a / counts.c).toBeLessThan(3.3);
  });
});
