import { Queue } from 'bullmq';
import type IORedis from 'ioredis';
import type { ChunkTask } from '../jobs/chunk-handler';
import { bullmqJobId, redisConnection } from '../jobs/executors';

/** The chunk handler module (jobs/chunk-handler.ts) that delivers a webhook's due events in a worker. */
export const DELIVERY_HANDLER = 'events/delivery-chunk';

/**
 * With REDIS_URL: delivery runs on the jobs machinery's BullMQ queue (SIMULATION_QUEUE), processed
 * by `npm run worker` processes with the same chunk handlers as simulations and rating runs. A job
 * is `{handler: events/delivery-chunk, runId: <webhook id>, chunkNo: <slot>}`; each webhook has at most
 * `WEBHOOK_PARALLEL` jobs at once (job id = handler + webhook + slot: adding one that is waiting or
 * active is a no-op), and each job claims batches of due delivery rows from PostgreSQL — the rows are
 * the source of truth, so a job lost with Redis costs nothing: the dispatcher adds it again.
 */
export class DeliveryJobs {
  private connection: IORedis | null = null;
  private queue: Queue<ChunkTask> | null = null;

  constructor(
    private readonly redisUrl: string,
    private readonly queueName: string,
    private readonly parallel: number,
  ) {}

  private get(): Queue<ChunkTask> {
    if (!this.queue) {
      this.connection = redisConnection(this.redisUrl);
      this.connection.on('error', () => undefined); // reported through the failing calls
      this.queue = new Queue<ChunkTask>(this.queueName, { connection: this.connection });
    }
    return this.queue;
  }

  /** Make sure the webhook's slots each have a job waiting or running. */
  async ensure(webhookId: string): Promise<void> {
    await this.get().addBulk(
      Array.from({ length: this.parallel }, (_v, slot) => ({
        name: 'webhook-delivery',
        data: { handler: DELIVERY_HANDLER, runId: webhookId, chunkNo: slot } satisfies ChunkTask,
        opts: { jobId: bullmqJobId(DELIVERY_HANDLER, webhookId, slot), attempts: 1, removeOnComplete: true, removeOnFail: true },
      })),
    );
  }

  async close(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
    this.connection?.disconnect();
  }
}
