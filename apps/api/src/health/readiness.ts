import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { databaseUnavailableReason } from '../common/errors/database-unavailable';
import { ShutdownState } from './shutdown';

/** A probe answers within this, even when the database (or Redis) hangs instead of refusing. */
const PROBE_TIMEOUT_MS = 3_000;

/** The promise's outcome as "why not" (undefined = fine), given up after timeoutMs. */
async function within(work: Promise<unknown>, timeoutMs: number, why: (e: unknown) => string): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
  });
  try {
    return await Promise.race([work.then(() => undefined, why), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface Readiness {
  ready: boolean;
  checks: { shuttingDown: boolean; database: string; migrations: string; redis?: string };
}

/** What `/api/health` and `/api/health/ready` ask: can this process serve traffic now, and if not, why. */
@Injectable()
export class ReadinessProbe implements OnApplicationShutdown {
  private migrationsApplied = false;
  private redis?: IORedis;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly shutdown: ShutdownState,
  ) {}

  /** `SELECT 1` on the app's pool: undefined when it answered, else why not (a short phrase). */
  database(): Promise<string | undefined> {
    return within(this.ds.query('SELECT 1'), PROBE_TIMEOUT_MS, (e) => databaseUnavailableReason(e) ?? (e instanceof Error ? e.message : String(e)));
  }

  /** Pending migrations (asked once they are all applied, never again: this code never un-applies one). */
  private async migrations(): Promise<string> {
    if (this.migrationsApplied) return 'applied';
    const pending = await this.ds.showMigrations();
    this.migrationsApplied = !pending;
    return pending ? 'pending' : 'applied';
  }

  private redisClient(url: string): IORedis {
    if (!this.redis) {
      this.redis = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: PROBE_TIMEOUT_MS });
      this.redis.on('error', () => undefined); // reported by the probe, not as an unhandled error
    }
    return this.redis;
  }

  private async redisReason(url: string): Promise<string | undefined> {
    const client = this.redisClient(url);
    const ping = async () => {
      if (client.status === 'wait' || client.status === 'end') await client.connect();
      await client.ping();
    };
    return within(ping(), PROBE_TIMEOUT_MS, (e) => (e instanceof Error ? e.message : String(e)));
  }

  async check(): Promise<Readiness> {
    const shuttingDown = this.shutdown.stopping;
    const databaseDown = await this.database();
    const migrations = databaseDown ? 'unknown' : await this.migrations().catch(() => 'unknown');
    const redisDown = this.config.redisUrl ? await this.redisReason(this.config.redisUrl) : undefined;
    return {
      ready: !shuttingDown && !databaseDown && migrations === 'applied' && !redisDown,
      checks: {
        shuttingDown,
        database: databaseDown ? `down: ${databaseDown}` : 'up',
        migrations,
        ...(this.config.redisUrl ? { redis: redisDown ? `down: ${redisDown}` : 'up' } : {}),
      },
    };
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}
