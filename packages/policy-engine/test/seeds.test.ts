import path from 'node:path';
import fc from 'fast-check';

/** Property tests print their seed on failure and FC_SEED replays them (jest.fast-check.cjs, loaded by every jest run). */
describe('property-test seeds', () => {
  const failing = fc.property(fc.integer({ min: 0, max: 1_000_000 }), (n) => n % 97 !== 13);

  it('a failing property reports its seed and path, and the same seed gives the same counterexample', () => {
    const first = fc.check(failing, { seed: 4242, numRuns: 100_000 });
    const again = fc.check(failing, { seed: 4242, numRuns: 100_000 });
    expect(first.failed).toBe(true);
    expect(again.counterexample).toEqual(first.counterexample);
    expect(() => fc.assert(failing, { seed: 4242, numRuns: 100_000 })).toThrow(/seed: 4242, path: /);
  });

  it('FC_SEED sets the seed of every property without its own', () => {
    const setup = path.join(__dirname, '../../../jest.fast-check.cjs');
    const saved = process.env.FC_SEED;
    try {
      process.env.FC_SEED = '777';
      jest.isolateModules(() => {
        jest.requireActual(setup);
        const fresh = jest.requireActual<typeof fc>('fast-check');
        expect(fresh.readConfigureGlobal().seed).toBe(777);
        expect(() =>
          fresh.assert(
            fresh.property(fresh.integer({ min: 0, max: 1_000_000 }), (n) => n % 97 !== 13),
            { numRuns: 100_000 },
          ),
        ).toThrow(/seed: 777, /);
      });
      process.env.FC_SEED = 'x';
      expect(() => jest.isolateModules(() => jest.requireActual(setup))).toThrow(/FC_SEED must be a whole number/);
    } finally {
      if (saved === undefined) delete process.env.FC_SEED;
      else process.env.FC_SEED = saved;
    }
  });
});
