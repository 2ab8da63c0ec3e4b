import { setFlagsFromString } from 'node:v8';

/**
 * The start command's `--max-semi-space-size=64` (a young generation of 2 × 64 MiB for the request's thread, whose
 * requests live until their decisions are committed) is a V8 flag, and V8's flags belong to the process: every worker
 * thread created after it — the job threads, the webhook delivery thread, a population pass — got the same 2 × 64 MiB
 * young generation, and a Worker's `resourceLimits.maxYoungGenerationSizeMb` is ignored while the flag is set.
 * Measured on the 10M-row import (test/bench/mem-trace.cjs): each job thread's new space 128 MiB, the delivery
 * thread's 64 MiB, ~450 MiB of the process's ~930 MiB peak RSS.
 *
 * Called once at start, when the request thread's heap is already configured (it keeps its 64 MiB semi-spaces): the
 * flag is cleared, so the threads created afterwards get the young generation of their `resourceLimits`, or V8's default.
 */
export function threadsAtDefaultYoungGeneration(): void {
  setFlagsFromString('--max-semi-space-size=0');
}
