import { LRUCache } from 'lru-cache';

/** At most this many keys per cache unless told otherwise: the least recently used go first. */
export const DEFAULT_CACHE_MAX = 10_000;

/**
 * Values loaded on demand and kept for `ttlMs`, on lru-cache — the API's one eviction rule: an entry
 * goes when its time is up or when the cache is full and it is the least recently used. Concurrent
 * callers of one key share a single load; a load that fails is not kept, so the next caller tries again.
 */
export class ExpiringCache<K extends NonNullable<unknown>, V> {
  private readonly entries: LRUCache<K, { value: Promise<V> }>;

  constructor(
    ttlMs: number,
    private readonly load: (key: K) => Promise<V>,
    max = DEFAULT_CACHE_MAX,
  ) {
    this.entries = new LRUCache<K, { value: Promise<V> }>({ max, ttl: ttlMs, ttlAutopurge: false, updateAgeOnGet: false });
  }

  get(key: K): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) return cached.value;
    const entry = { value: this.load(key) };
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.peek(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
