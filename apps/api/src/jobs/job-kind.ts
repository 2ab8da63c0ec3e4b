import type { JobPhase, StatusMachine } from './job-status';

/**
 * What the job machinery needs to know about one kind of long job (a simulation, a rating run, …):
 * where its runs and per-chunk parts live, its statuses, and the module that processes one chunk.
 *
 * A kind's run table has the common columns `id, status, spec, progress_done, progress_total,
 * attempts, executor, error, created_at, started_at, finished_at, heartbeat_at, cancelled_by`; its
 * part table `(<partKey>, chunk_no, row_count, summary, processed_by, …)` with primary key
 * `(<partKey>, chunk_no)`. Everything else on them is the kind's own.
 */
export interface JobKind<S extends string = string> {
  /** `simulation`, `rating-run`: names audit events (`<name>.recover`) and BullMQ job ids. */
  readonly name: string;
  readonly table: string;
  readonly partTable: string;
  /** The part table's column naming its run. */
  readonly partKey: string;
  /** Audit entity type of a run. */
  readonly entityType: string;
  readonly machine: StatusMachine<S | JobPhase>;
  /** The status a run takes when all its chunks are stored and merged. */
  readonly doneStatus: S;
  /**
   * Module (path from the api's source root, no extension, e.g. `simulation/simulation-chunk`)
   * exporting `createChunkHandler` (see chunk-handler.ts): loaded by the worker threads and by
   * `npm run worker` processes, never imported by the coordinator.
   */
  readonly handler: string;
  /** Advisory-lock namespace: whoever holds (namespace, hashtext(run id)) coordinates the run. */
  readonly lockNamespace: number;
}
