import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChunkDone } from './chunk-processor';

interface Pending {
  resolve: (r: ChunkDone) => void;
  reject: (e: Error) => void;
  task: { simulationId: string; chunkNo: number };
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Pending>;
}

/** Tasks each thread holds at once: one evaluating while the next one's chunk is being read. */
const PER_THREAD = 2;

/** The compiled worker script: next to this file in dist/, or dist/ when running from sources (jest). */
export function threadScript(): string {
  const here = path.join(__dirname, 'simulation-thread.js');
  if (existsSync(here)) return here;
  return path.resolve(__dirname, '..', '..', 'dist', 'simulation', 'simulation-thread.js');
}

/**
 * A fixed pool of worker threads that evaluate chunks. Started on first use (or by `warm()`), kept
 * for the life of the process. A thread that dies fails its tasks and is replaced.
 */
export class ThreadPool {
  private slots: Slot[] = [];
  private readonly queue: (Pending & { id: number })[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly workerData: { databaseUrl: string; chunkDelayMs: number },
  ) {}

  warm(): void {
    while (!this.closed && this.slots.length < this.size) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(threadScript(), { workerData: this.workerData });
    const slot: Slot = { worker, inFlight: new Map() };
    worker.unref();
    worker.on('message', (m: { id: number; ok: boolean; rows?: number; skipped?: boolean; message?: string }) => {
      const p = slot.inFlight.get(m.id);
      if (!p) return;
      slot.inFlight.delete(m.id);
      if (m.ok) p.resolve({ rows: m.rows ?? 0, skipped: Boolean(m.skipped) });
      else p.reject(new Error(m.message ?? 'chunk failed'));
      this.pump();
    });
    const die = (e: Error) => {
      for (const p of slot.inFlight.values()) p.reject(e);
      slot.inFlight.clear();
      this.slots = this.slots.filter((s) => s !== slot);
      if (!this.closed) {
        this.slots.push(this.spawn());
        this.pump();
      }
    };
    worker.on('error', (e) => die(e));
    worker.on('exit', (code) => {
      if (!this.closed) die(new Error(`simulation thread exited (${code})`));
    });
    return slot;
  }

  run(task: { simulationId: string; chunkNo: number }): Promise<ChunkDone> {
    if (this.closed) return Promise.reject(new Error('the thread pool is closed'));
    this.warm();
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      const slot = this.slots.reduce<Slot | null>(
        (best, s) => (s.inFlight.size < PER_THREAD && (!best || s.inFlight.size < best.inFlight.size) ? s : best),
        null,
      );
      if (!slot) return;
      const p = this.queue.shift() as Pending & { id: number };
      slot.inFlight.set(p.id, p);
      slot.worker.postMessage({ id: p.id, ...p.task });
    }
  }

  /** Drop queued tasks of one run (cancelled); tasks already in a thread finish. */
  dropQueued(simulationId: string, reason: Error): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].task.simulationId === simulationId) this.queue.splice(i, 1)[0].reject(reason);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('the thread pool is closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => undefined)));
    this.slots = [];
  }
}
