/**
 * Entry of the webhook delivery thread (started by WebhookDelivery): the delivery loop on its own
 * event loop and its own small pool, so POSTs, signatures and batch writes never hold up requests.
 * Messages from the API thread: `poke` (look at the outbox now), `stop` (finish the batch, unlock, exit).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'pg';
import { DeliveryLoop } from './delivery';
import type { EventsSettings } from './events.settings';

export interface DeliveryThreadData {
  databaseUrl: string;
  settings: Omit<EventsSettings, 'allowedHosts'> & { allowedHosts: string[] };
}

const data = workerData as DeliveryThreadData;
const db = new Pool({ connectionString: data.databaseUrl, max: 3, application_name: 'tierwise-webhook-delivery' });
db.on('error', () => undefined); // an idle connection dropped: the next query reconnects
const loop = new DeliveryLoop(db, { ...data.settings, allowedHosts: new Set(data.settings.allowedHosts) }, (message, err) =>
  parentPort?.postMessage({ log: message, error: err instanceof Error ? err.message : String(err) }),
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
