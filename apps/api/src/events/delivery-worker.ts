import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logging/logger';
import { APP_CONFIG, AppConfig, EVENTS_SETTINGS, EventsSettings, SIMULATION_SETTINGS, SimulationSettings } from '../config/config';
import { tsThreadLoader } from '../jobs/executors';
import type { DeliveryThreadData } from './delivery-thread';

/**
 * delivery-thread.js beside this file when built; from sources (the tests), the jobs machinery's
 * thread loader (test/helpers/ts-thread.js), which compiles the TypeScript entry named in its workerData.
 */
function threadEntry(): { file: string; tsEntry?: string } {
  const built = path.join(__dirname, 'delivery-thread.js');
  if (existsSync(built)) return { file: built };
  if (__filename.endsWith('.ts')) return { file: tsThreadLoader(), tsEntry: 'events/delivery-thread.ts' };
  throw new Error(`the delivery thread entry ${built} is missing: build the api`);
}

/**
 * The webhook delivery of this process: one worker thread running the delivery loop
 * (delivery-loop.ts), which dispatches (and, without REDIS_URL, delivers) only while it holds the
 * cluster-wide delivery lock. Replaced if it dies.
 */
@Injectable()
export class WebhookDelivery implements OnApplicationBootstrap, OnModuleDestroy {
  private worker: Worker | null = null;
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig & { databaseUrl: string },
    @Inject(EVENTS_SETTINGS) private readonly settings: EventsSettings,
    @Inject(SIMULATION_SETTINGS) private readonly jobs: SimulationSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.delivery) this.spawn();
  }

  private spawn(): void {
    const entry = threadEntry();
    const workerData: DeliveryThreadData & { tsEntry?: string } = {
      databaseUrl: this.config.databaseUrl,
      bullmq: this.config.redisUrl ? { redisUrl: this.config.redisUrl, queue: this.jobs.queue } : null,
      settings: { ...this.settings, allowedHosts: [...this.settings.allowedHosts] },
      ...(entry.tsEntry ? { tsEntry: entry.tsEntry } : {}),
    };
    const w = new Worker(entry.file, { workerData, name: 'tierwise-webhook-delivery' });
    w.unref();
    w.on('message', (m: unknown) => {
      const report = m as { log?: string; error?: string } | string;
      if (typeof report === 'object' && report.log) this.logger.error({ err: report.error }, report.log);
    });
    w.on('error', (e) => this.logger.error({ err: e }, 'the webhook delivery thread crashed'));
    w.on('exit', () => {
      if (this.worker === w) this.worker = null;
      if (!this.closing) setTimeout(() => !this.closing && !this.worker && this.spawn(), 1000).unref();
    });
    this.worker = w;
  }

  /** Look at the outbox now (after a hand retry or a webhook change). */
  poke(): void {
    this.worker?.postMessage('poke');
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    const w = this.worker;
    if (!w) return;
    const stopped = new Promise<void>((resolve) => {
      w.on('message', (m) => m === 'stopped' && resolve());
      w.once('exit', () => resolve());
    });
    w.postMessage('stop');
    const timer = new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref());
    await Promise.race([stopped, timer]);
    await w.terminate();
  }
}
