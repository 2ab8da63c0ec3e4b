/**
 * Entry of the webhook delivery thread (started by WebhookDelivery): the delivery loop on its own
 * event loop and its own small pool, so dispatching, POSTs, signatures and batch writes never hold
 * up requests; the thread runs at a lower CPU priority (WEBHOOK_NICE; on Linux a nice value is per
 * thread). With `redisUrl` it only dispatches and enqueues BullMQ jobs; workers deliver.
 * Messages from the API thread: `poke` (look at the outbox now), `stop` (finish the batch, unlock, exit).
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'pg';
import { DeliveryJobs } from './delivery-jobs';
import { DeliveryLoop } from './delivery-loop';
import type { EventsSettings } from '../config/config';

export interface DeliveryThreadData {
  databaseUrl: string;
  /** With REDIS_URL: the jobs machinery's queue (SIMULATION_QUEUE) delivery jobs go to. */
  bullmq: { redisUrl: string; queue: string } | null;
  settings: Omit<EventsSettings, 'allowedHosts'> & { allowedHosts: string[] };
}

const data = workerData as DeliveryThreadData;
try {
  if (data.settings.nice > 0) setPriority(data.settings.nice);
} catch {
  /* not allowed here: delivery simply competes at normal priority */
}
const db = new Pool({ connectionString: data.databaseUrl, max: 4, application_name: 'tierwise-webhook-delivery' });
db.on('error', () => undefined); // an idle connection dropped: the next query reconnects
const jobs = data.bullmq ? new DeliveryJobs(data.bullmq.redisUrl, data.bullmq.queue, data.settings.parallel) : null;
const loop = new DeliveryLoop(
  db,
  { ...data.settings, allowedHosts: new Set(data.settings.allowedHosts) },
  (message, err) => parentPort?.postMessage({ log: message, error: err instanceof Error ? err.message : String(err) }),
  jobs,
);
loop.start();
parentPort?.on('message', (m: unknown) => {
  if (m === 'poke') loop.poke();
  if (m === 'stop')
    void loop
      .stop()
      .then(() => db.end())
      .finally(() => parentPort?.postMessage('stopped'));
});
