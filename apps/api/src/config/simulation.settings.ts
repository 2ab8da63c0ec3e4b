import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { ConfigError } from './config';

/**
 * Tuning of datasets and simulations, read once from the environment when the module starts (a
 * bad value stops startup with one clear line, like the rest of the configuration).
 *
 * - SIMULATION_THREADS: worker threads evaluating chunks in-process (default: CPU count, max 8;
 *   with WEB_CONCURRENCY=N each HTTP worker process gets that number divided by N, at least 1).
 * - SIMULATION_MAX_RUNS: runs one API process coordinates at a time (default 2; more wait queued).
 * - SIMULATION_QUEUE: BullMQ queue name when REDIS_URL is set (default tierwise-simulation).
 * - SIMULATION_RECOVERY_MS: how often a process looks for queued or orphaned runs (default 5000).
 * - SIMULATION_CHUNK_DELAY_MS: pause after each chunk — for demos and crash tests only (default 0).
 * - DATASET_CHUNK_ROWS: customers per stored chunk, the unit of parallel work and of resumption (default 20000).
 */
export interface SimulationSettings {
  threads: number;
  maxRuns: number;
  queue: string;
  recoveryMs: number;
  chunkDelayMs: number;
  chunkRows: number;
}

const whole = (fallback: number, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`)
    .default(fallback);

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

const schema = z.object({
  SIMULATION_THREADS: whole(defaultSimulationThreads(), 1, 64),
  SIMULATION_MAX_RUNS: whole(2, 1, 32),
  SIMULATION_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, _ or - (at most 64)')
    .default('tierwise-simulation'),
  SIMULATION_RECOVERY_MS: whole(5000, 100, 3_600_000),
  SIMULATION_CHUNK_DELAY_MS: whole(0, 0, 60_000),
  DATASET_CHUNK_ROWS: whole(20_000, 10, 1_000_000),
});

export function loadSimulationSettings(env: NodeJS.ProcessEnv = process.env): SimulationSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    throw new ConfigError(`Invalid setting ${name}=${JSON.stringify(env[name])}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    threads: e.SIMULATION_THREADS,
    maxRuns: e.SIMULATION_MAX_RUNS,
    queue: e.SIMULATION_QUEUE,
    recoveryMs: e.SIMULATION_RECOVERY_MS,
    chunkDelayMs: e.SIMULATION_CHUNK_DELAY_MS,
    chunkRows: e.DATASET_CHUNK_ROWS,
  };
}

export const SIMULATION_SETTINGS = Symbol('SIMULATION_SETTINGS');
