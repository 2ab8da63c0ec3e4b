/**
 * The population pass of a rating run or simulation (issue 16, contract §10): before any customer is
 * evaluated, the snapshot is read chunk by chunk and the facts its population conditions rank are
 * gathered into typed columns; the policy engine then computes every cut-off (one sort per fact and
 * group, on Float64Arrays). It runs in a worker thread of its own (population-thread.ts), so reading
 * and sorting millions of rows never blocks the API's event loop.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PopulationCutoffs } from '@tierwise/policy-engine';
import { tsThreadLoader } from '../jobs/executors';
import type { PopulationPassInput, PopulationThreadData } from './population-collect';

export { ranksPopulation, collectCutoffs, type PopulationPassInput } from './population-collect';

function threadEntry(): { file: string; tsEntry?: string } {
  const built = path.join(__dirname, 'population-thread.js');
  if (existsSync(built)) return { file: built };
  if (__filename.endsWith('.ts')) return { file: tsThreadLoader(), tsEntry: 'simulation/population-thread.ts' };
  throw new Error(`the population thread entry ${built} is missing: build the api`);
}

/** Run the pass in a fresh worker thread; resolves with the cut-offs, rejects with the thread's error. */
export function computeCutoffsInThread(
  databaseUrl: string,
  input: PopulationPassInput,
): Promise<{ cutoffs: PopulationCutoffs; ms: { read: number; rank: number } }> {
  const entry = threadEntry();
  const workerData: PopulationThreadData = { databaseUrl, input, ...(entry.tsEntry ? { tsEntry: entry.tsEntry } : {}) };
  return new Promise((resolve, reject) => {
    const w = new Worker(entry.file, { workerData, name: 'tierwise-population-pass' });
    let settled = false;
    w.on('message', (m: { ok: true; cutoffs: PopulationCutoffs; ms: { read: number; rank: number } } | { ok: false; error: string }) => {
      settled = true;
      if (m.ok) resolve({ cutoffs: m.cutoffs, ms: m.ms });
      else reject(new Error(`the population pass failed: ${m.error}`));
    });
    w.on('error', (e) => {
      settled = true;
      reject(e);
    });
    w.on('exit', (code) => {
      if (!settled) reject(new Error(`the population pass thread exited (${code}) without an answer`));
    });
  });
}
