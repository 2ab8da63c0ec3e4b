/**
 * Values loaded on demand and kept for `ttlMs`. Concurrent callers of one key share a single load;
 * a load that fails is not kept, so the next caller tries again.
 */
export class ExpiringCache<K, V> {
  private readonly entries = new Map<K, { value: Promise<V>; loadedAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly load: (key: K) => Promise<V>,
  ) {}

  get(key: K): Promise<V> {
    const cached = this.entries.get(key);
    if (cached && Date.now() - cached.loadedAt < this.ttlMs) return cached.value;
    const value = this.load(key);
    this.entries.set(key, { value, loadedAt: Date.now() });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
