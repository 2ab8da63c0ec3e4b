import { ExpiringCache } from '../../src/common/expiring-cache';

describe('ExpiringCache (lru-cache)', () => {
  it('shares one load between concurrent callers and keeps it for its time', async () => {
    let loads = 0;
    const cache = new ExpiringCache<string, number>(60_000, async () => ++loads);
    expect(await Promise.all([cache.get('a'), cache.get('a')])).toEqual([1, 1]);
    expect(await cache.get('a')).toBe(1);
    expect(loads).toBe(1);
  });

  it('loads again once the time is up', async () => {
    let loads = 0;
    const cache = new ExpiringCache<string, number>(20, async () => ++loads);
    expect(await cache.get('a')).toBe(1);
    await new Promise((r) => setTimeout(r, 40));
    expect(await cache.get('a')).toBe(2);
  });

  it('does not keep a failed load', async () => {
    let calls = 0;
    const cache = new ExpiringCache<string, number>(60_000, async () => {
      calls += 1;
      if (calls === 1) throw new Error('down');
      return calls;
    });
    await expect(cache.get('a')).rejects.toThrow('down');
    expect(await cache.get('a')).toBe(2);
  });

  it('evicts the least recently used key when full', async () => {
    const loaded: string[] = [];
    const cache = new ExpiringCache<string, string>(
      60_000,
      async (k) => {
        loaded.push(k);
        return k;
      },
      2,
    );
    await cache.get('a');
    await cache.get('b');
    await cache.get('a'); // a is now the most recent
    await cache.get('c'); // evicts b
    await cache.get('a');
    await cache.get('b');
    expect(loaded).toEqual(['a', 'b', 'c', 'b']);
  });
});
