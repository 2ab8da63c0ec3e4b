/**
 * A sweep a service runs at start and then every few milliseconds (overrides' expiry, rating runs'
 * due applies): one at a time per process — a call while one is under way joins it — and a failure
 * is handed to `onError` (logged), never thrown, so the next tick tries again.
 */
export class Sweep {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Sweep now, or join the sweep under way; resolves when it has ended. */
  run(): Promise<void> {
    if (this.running) return this.running;
    const run: Promise<void> = Promise.resolve()
      .then(() => this.work())
      .catch((e: unknown) => {
        this.onError(e);
      })
      .finally(() => {
        if (this.running === run) this.running = null;
      });
    this.running = run;
    return run;
  }

  /** Sweep now and every `ms` (the timer does not keep the process alive). */
  start(ms: number): void {
    this.timer = setInterval(() => void this.run(), ms);
    this.timer.unref();
    void this.run();
  }

  /** No more ticks; resolves when the sweep under way, if any, has ended. */
  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.running ?? Promise.resolve();
  }
}
