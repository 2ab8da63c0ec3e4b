import type { Server } from 'node:http';
import cluster from 'node:cluster';
import { Global, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { serveMetricsPort } from './metrics-http';
import { Metrics } from './metrics.service';

/** Table names come from the job kinds in the code; checked anyway, as they are put into SQL. */
const IDENT = /^[a-z_][a-z0-9_]*$/;

/** Wires the app's pool and run tables into the metrics, and serves METRICS_PORT from a single process. */
@Injectable()
class MetricsWiring implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly metrics: Metrics,
    @InjectDataSource() ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const pool = (ds.driver as unknown as { master?: Pool }).master;
    if (pool) metrics.watchPool('app', pool);
    metrics.countStatusesWith(async (table) => {
      if (!IDENT.test(table)) return [];
      const rows: { status: string; count: string }[] = await ds.query(`SELECT status, count(*) AS count FROM ${table} GROUP BY status`);
      return rows.map((r) => ({ status: r.status, count: Number(r.count) }));
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // With WEB_CONCURRENCY > 1 the primary serves METRICS_PORT, summed over its workers (main.ts).
    if (this.config.metricsPort !== undefined && !cluster.isWorker) {
      this.server = await serveMetricsPort(this.config.metricsPort, this.config.host, () => this.metrics.registry);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Prometheus metrics (issue 18): one `Metrics` per app, injectable everywhere (global) so each module records its own series. */
@Global()
@Module({ providers: [Metrics, MetricsWiring], exports: [Metrics] })
export class MetricsModule {}
