import type { Pool, PoolClient } from 'pg';
import { Deliverer } from './delivery';
import type { DeliveryJobs } from './delivery-jobs';
import type { EventsSettings } from '../config/config';

/** Advisory-lock key of the one dispatching process (whoever holds it dispatches; the others wait). */
const LEADER_LOCK = [7_240_013, 1] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The delivery loop of the API's delivery thread (delivery-thread.ts). ONE process at a time runs it
 * (a PostgreSQL session advisory lock; another takes over when its connection goes, kill -9
 * included): each round it dispatches every active webhook's new outbox events into pending
 * delivery rows, then either delivers a batch itself (worker-thread mode) or, with REDIS_URL, makes
 * sure BullMQ jobs are there for every webhook with due rows (the `npm run worker` processes deliver).
 */
export class DeliveryLoop {
  private closing = false;
  private leader: PoolClient | null = null;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly deliverer: Deliverer;

  constructor(
    private readonly db: Pool,
    private readonly settings: EventsSettings,
    private readonly log: (message: string, err: unknown) => void,
    private readonly jobs: DeliveryJobs | null = null,
  ) {
    this.deliverer = new Deliverer(db, settings);
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.closing = true;
    this.wake?.();
    await this.loop;
    if (this.leader) {
      await this.leader.query('SELECT pg_advisory_unlock($1, $2)', [...LEADER_LOCK]).catch(() => undefined);
      this.leader.release();
      this.leader = null;
    }
    await this.deliverer.close();
    await this.jobs?.close();
  }

  /** Look at the outbox now (after a hand retry or a webhook change). */
  poke(): void {
    this.wake?.();
  }

  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.wake = null;
  }

  private async lead(): Promise<boolean> {
    if (this.leader) {
      try {
        await this.leader.query('SELECT 1');
        return true;
      } catch {
        this.leader.release(true);
        this.leader = null;
      }
    }
    let client: PoolClient | null = null;
    try {
      client = await this.db.connect();
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [...LEADER_LOCK]);
      if (rows[0].locked) {
        this.leader = client;
        return true;
      }
    } catch (e) {
      this.log('webhook delivery: could not take the delivery lock', e);
    }
    client?.release();
    return false;
  }

  private async run(): Promise<void> {
    while (!this.closing) {
      let busy = false;
      try {
        if (await this.lead()) busy = await this.round();
        else {
          await this.pause(Math.max(2000, this.settings.pollMs));
          continue;
        }
      } catch (e) {
        if (!this.closing) this.log('webhook delivery round failed', e);
        await sleep(1000);
      }
      if (!busy && !this.closing) await this.pause(this.settings.pollMs);
    }
  }

  /** Dispatch and deliver (or enqueue) for every active webhook; true when there may be more to do at once. */
  private async round(): Promise<boolean> {
    let busy = false;
    for (const w of await this.deliverer.activeWebhooks()) {
      if (this.closing) break;
      if ((await this.deliverer.dispatch(w.id)) > 0) busy = true;
      if (this.jobs) {
        if (await this.deliverer.due(w)) await this.jobs.ensure(w.id);
      } else {
        const r = await this.deliverer.deliverBatch(w);
        if (r.attempted > 0 && !r.failed) busy = true;
      }
    }
    return busy;
  }
}
