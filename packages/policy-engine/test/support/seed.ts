/**
 * Seeds of the heavy property tests (run in worker threads, outside jest's fast-check setup):
 * FC_SEED replays a run; otherwise a fresh seed each run. `replay` is the command to re-run it,
 * put next to the seed in the assertion so a failure prints it.
 */
export function propertySeed(): number {
  if (process.env.FC_SEED === undefined) return Date.now() % 1_000_000;
  const seed = Number(process.env.FC_SEED);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be a whole number, got "${process.env.FC_SEED}"`);
  return seed;
}

export const replay = (seed: number, testFile: string): string => `FC_SEED=${seed} npx jest ${testFile} (in packages/policy-engine)`;
