import { availableParallelism } from 'node:os';

// The settings' shape and the thread defaults; read and validated with every other setting by loadConfig (config.ts).

/**
 * Tuning of datasets, simulations and rating runs:
 *
 * - SIMULATION_THREADS: worker threads evaluating chunks in-process (default: CPU count, max 8;
 *   with WEB_CONCURRENCY=N each HTTP worker process gets that number divided by N, at least 1).
 * - SIMULATION_MAX_RUNS: runs one API process coordinates at a time (default 2; more wait queued).
 * - SIMULATION_QUEUE: BullMQ queue name when REDIS_URL is set (default tierwise-simulation).
 * - SIMULATION_RECOVERY_MS: how often a process looks for queued or orphaned runs (default 5000).
 * - SIMULATION_CHUNK_DELAY_MS: pause after each chunk — for demos and crash tests only (default 0).
 * - DATASET_CHUNK_ROWS: customers per stored chunk, the unit of parallel work and of resumption (default 20000).
 * - DATASET_IMPORT_PART_BYTES: a CSV upload longer than half of it is read in parts of about this
 *   size by the job threads at once (default 8 MiB; see datasets/csv-import.ts).
 */
export interface SimulationSettings {
  threads: number;
  maxRuns: number;
  queue: string;
  recoveryMs: number;
  chunkDelayMs: number;
  chunkRows: number;
  importPartBytes: number;
}

/** Simulation threads of one process when SIMULATION_THREADS is not set: one per CPU, at most 8. */
export const defaultSimulationThreads = (cpus = availableParallelism()) => Math.min(8, Math.max(1, cpus));

/**
 * The SIMULATION_THREADS an HTTP worker process gets when `processes` of them share the machine:
 * the operator's setting if given, else the default split between them (at least 1 each), so that
 * WEB_CONCURRENCY=N does not start N times as many threads as there are CPUs.
 */
export function workerSimulationThreads(env: NodeJS.ProcessEnv, processes: number, cpus = availableParallelism()): string {
  const given = env.SIMULATION_THREADS;
  if (given !== undefined && given !== '') return given;
  return String(Math.max(1, Math.floor(defaultSimulationThreads(cpus) / Math.max(1, processes))));
}
