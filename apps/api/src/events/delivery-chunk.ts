/**
 * The webhook delivery chunk handler (jobs/chunk-handler.ts) for BullMQ workers: a job
 * `{runId: <webhook id>, chunkNo: <slot>}` delivers that webhook's due events, batch after batch
 * (events/delivery.ts: claimed with FOR UPDATE SKIP LOCKED, outcomes written with the claim), for
 * up to a few seconds or until nothing is due; the dispatcher adds the job again while work remains.
 * Settings: the WEBHOOK_* variables of the API's one configuration (config/config.ts), from the worker's environment.
 */
import { loadConfig } from '../config/config';
import type { ChunkContext, ChunkHandler } from '../jobs/chunk-handler';
import { Deliverer } from './delivery';

/** How long one job keeps delivering before it lets other jobs of the queue run. */
const JOB_BUDGET_MS = 5000;

export function createChunkHandler(ctx: ChunkContext): ChunkHandler {
  const deliverer = new Deliverer(ctx.db, loadConfig().webhooks);
  return {
    async process(webhookId: string): Promise<{ rows: number; skipped: boolean }> {
      const until = Date.now() + JOB_BUDGET_MS;
      let rows = 0;
      while (Date.now() < until) {
        const w = await deliverer.webhook(webhookId);
        if (!w) break;
        const r = await deliverer.deliverBatch(w);
        rows += r.delivered;
        if (!r.attempted || r.failed) break;
      }
      return { rows, skipped: rows === 0 };
    },
  };
}
