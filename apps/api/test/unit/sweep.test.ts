import { Sweep } from '../../src/common/sweep';

/** A sweep whose runs end when the test says so. */
function controlled() {
  const ends: (() => void)[] = [];
  let runs = 0;
  const errors: unknown[] = [];
  let fail = false;
  const sweep = new Sweep(
    () => {
      runs++;
      if (fail) return Promise.reject(new Error('database down'));
      return new Promise<void>((resolve) => ends.push(resolve));
    },
    (e) => errors.push(e),
  );
  return { sweep, ends, errors, runs: () => runs, failNext: (f: boolean) => (fail = f) };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Sweep (overrides expiry, due rating-run applies)', () => {
  it('runs one sweep at a time: a call while one is under way joins it, the next call after it starts another', async () => {
    const s = controlled();
    const a = s.sweep.run();
    const b = s.sweep.run();
    await tick();
    expect(s.runs()).toBe(1);
    s.ends.shift()!();
    await Promise.all([a, b]);
    const c = s.sweep.run();
    await tick();
    expect(s.runs()).toBe(2);
    s.ends.shift()!();
    await c;
  });

  it('hands a failure to onError instead of throwing, and the next sweep runs', async () => {
    const s = controlled();
    s.failNext(true);
    await expect(s.sweep.run()).resolves.toBeUndefined();
    expect(s.errors).toEqual([new Error('database down')]);
    s.failNext(false);
    const next = s.sweep.run();
    await tick();
    expect(s.runs()).toBe(2);
    s.ends.shift()!();
    await next;
  });

  it('sweeps at start and on every tick, and stop ends the ticks once the sweep under way has ended', async () => {
    const s = controlled();
    s.sweep.start(10);
    await tick();
    expect(s.runs()).toBe(1); // at start
    s.ends.shift()!();
    await new Promise((r) => setTimeout(r, 35));
    expect(s.runs()).toBeGreaterThanOrEqual(2); // ticked
    let stopped = false;
    const stop = s.sweep.stop().then(() => (stopped = true));
    await tick();
    expect(stopped).toBe(false); // a sweep is under way
    for (const end of s.ends.splice(0)) end();
    await stop;
    const runs = s.runs();
    await new Promise((r) => setTimeout(r, 35));
    expect(s.runs()).toBe(runs); // no tick after stop
  });
});
