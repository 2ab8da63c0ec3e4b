/**
 * The seeded pseudo-random generator every part of Tierwise uses (synthetic datasets in the API,
 * test fixtures, benchmarks): mulberry32, 32 bits of state, the same stream for the same seed on
 * every platform. Not for anything secret (tokens and salts come from node:crypto).
 */
export class Random {
  private state: number;
  private spare: number | null = null;

  /** `seed` is used as the 32-bit state as it is (`seed >>> 0`): mix it first if nearby seeds must give unrelated streams. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller, both values used). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** One of `items`, with probability proportional to its weight. */
  pick<T>(items: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((a, b) => a + b, 0);
    let x = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      x -= weights[i];
      if (x < 0) return items[i];
    }
    return items[items.length - 1];
  }
}

/** `() => number` in [0, 1) over a `Random` (for code that wants a plain function). */
export function randomStream(seed: number): () => number {
  const r = new Random(seed);
  return () => r.next();
}
