import * as path from 'node:path';
import type { Pool } from 'pg';

/** What a chunk handler gets from wherever it runs (a worker thread of the API or a worker process). */
export interface ChunkContext {
  /** Its own small pool on the API's PostgreSQL. */
  db: Pool;
  /** Who processed a part (stored with it): `thread:<pid>:<thread>` or `worker:<host>:<pid>`. */
  who: string;
  /** Pause after each chunk (SIMULATION_CHUNK_DELAY_MS; tests and demos only). */
  delayMs: number;
}

export interface ChunkDone {
  rows: number;
  /** True when nothing was done: the run is no longer open, or the part was already stored. */
  skipped: boolean;
}

/** One kind's unit of work: process chunk `chunkNo` of run `runId` and store its part, idempotently. */
export interface ChunkHandler {
  process(runId: string, chunkNo: number): Promise<ChunkDone>;
  /** Optional JIT warm-up while a fresh thread is idle. */
  warmUp?(): void;
}

/** What a chunk job carries, in a thread task or a BullMQ job. */
export interface ChunkTask {
  /** The kind's handler module (JobKind.handler). */
  handler: string;
  runId: string;
  chunkNo: number;
}

export type ChunkHandlerModule = { createChunkHandler(ctx: ChunkContext): ChunkHandler };

/**
 * A task that is not a chunk of a run: a module (by id, as a handler's) exporting `threadTask`, called
 * with `input` on a job thread, e.g. a part of a CSV import (datasets/csv-part). Not retried.
 */
export interface ThreadCall {
  module: string;
  input: unknown;
}

/** What a `threadTask` answers: the value, and the buffers to move (not copy) back with it. */
export interface ThreadAnswer {
  value: unknown;
  transfer: ArrayBuffer[];
}

export type ThreadTaskModule = {
  threadTask(input: unknown): Promise<ThreadAnswer>;
  /** Optional JIT warm-up while a fresh thread is idle (its first tasks then run at full speed). */
  threadWarmUp?(): void;
};

const MODULE_ID = /^[a-z0-9-]+(\/[a-z0-9.-]+)+$/;

/**
 * The kinds' handlers by module id, loaded from the api's own source root (dist/ when built, src/
 * when running from sources under the tests' TypeScript hook): never from a path a job carries.
 */
export class ChunkHandlers {
  private readonly loaded = new Map<string, ChunkHandler>();
  private readonly tasks = new Map<string, ThreadTaskModule['threadTask']>();
  constructor(private readonly ctx: ChunkContext) {}

  private load(moduleId: string): unknown {
    if (!MODULE_ID.test(moduleId)) throw new Error(`not a chunk handler module: ${moduleId}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(SOURCE_ROOT, moduleId));
  }

  get(moduleId: string): ChunkHandler {
    let h = this.loaded.get(moduleId);
    if (!h) {
      const mod = this.load(moduleId) as Partial<ChunkHandlerModule>;
      if (typeof mod.createChunkHandler !== 'function') throw new Error(`${moduleId} exports no createChunkHandler`);
      h = mod.createChunkHandler(this.ctx);
      this.loaded.set(moduleId, h);
    }
    return h;
  }

  run(task: ChunkTask): Promise<ChunkDone> {
    return this.get(task.handler).process(task.runId, task.chunkNo);
  }

  warmTask(module: string): void {
    (this.load(module) as Partial<ThreadTaskModule>).threadWarmUp?.();
  }

  call({ module, input }: ThreadCall): Promise<ThreadAnswer> {
    let task = this.tasks.get(module);
    if (!task) {
      const mod = this.load(module) as Partial<ThreadTaskModule>;
      if (typeof mod.threadTask !== 'function') throw new Error(`${module} exports no threadTask`);
      task = mod.threadTask;
      this.tasks.set(module, task);
    }
    return task(input);
  }
}

/** src/ or dist/: the folder above jobs/. */
export const SOURCE_ROOT = path.resolve(__dirname, '..');
