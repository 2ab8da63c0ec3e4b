import 'reflect-metadata';
import cluster, { Worker } from 'node:cluster';
import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import type { INestApplication } from '@nestjs/common';
import { createApp } from './app';
import { DataSource } from 'typeorm';
import { AuditService } from './audit/audit.service';
import { AuditKey, resolveAuditKey } from './audit/audit-key';
import { seedTemplates } from './bootstrap/seed-templates';
import { seedUsers } from './bootstrap/seed-users';
import { PoliciesService } from './policies/policies.service';
import { TestCasesService } from './policies/test-cases.service';
import { WorkflowService } from './policies/workflow.service';
import { createLogger } from './common/logging/logger';
import { threadsAtDefaultYoungGeneration } from './common/thread-heap';
import { AppConfig, ConfigError, loadConfig, workerSimulationThreads } from './config/config';
import { describeDatabaseError, migrate } from './database/database';
import { EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres';
import { UsersService } from './users/users.service';
import { AggregatorRegistry } from 'prom-client';
import { CLOSE_TIMEOUT_MS, stopGracefully } from './health/shutdown';
import { serveMetricsPort } from './metrics/metrics-http';
import { Metrics } from './metrics/metrics.service';

/** One clear line on stderr and a non-zero exit: for operators, not a stack trace. */
function die(message: string): never {
  process.stderr.write(`tierwise: ${message}\n`);
  process.exit(1);
}

/** A cluster worker: serves HTTP on the port the primary shares; the primary owns the database and seeding. */
async function serveAsWorker(config: AppConfig & { databaseUrl: string }, logger: Logger): Promise<void> {
  const app = await createApp(config, logger);
  // The primary's METRICS_PORT asks every worker for its series and sums them.
  AggregatorRegistry.setRegistries([app.get(Metrics).registry]);
  new AggregatorRegistry(); // constructing one is what makes a worker answer the primary's requests
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const closed = await stopGracefully(app, config.shutdown, logger);
    process.exit(closed ? 0 : 1);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop()); // the primary is gone
  await app.listen(config.port, config.host);
}

/** Fork `n` HTTP workers; resolves with the shared port once every one listens. A worker that dies later is replaced. */
function forkWorkers(n: number, databaseUrl: string, auditKey: AuditKey, logger: Logger, isStopping: () => boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    let listening = 0;
    // The demo's generated audit key is a file: workers read it there (AUDIT_KEY itself is inherited when set).
    const keyFile = auditKey.source === 'AUDIT_KEY' ? {} : { AUDIT_KEY_FILE: auditKey.source };
    const fork = () =>
      cluster.fork({ DATABASE_URL: databaseUrl, TIERWISE_CLUSTER_WORKER: '1', SIMULATION_THREADS: workerSimulationThreads(process.env, n), ...keyFile });
    cluster.on('listening', (_w, address) => {
      listening += 1;
      if (listening === n) resolve(address.port);
    });
    cluster.on('exit', (w: Worker, code) => {
      if (isStopping()) return;
      if (listening < n) return reject(new Error(`an HTTP worker exited (${code}) while starting`));
      logger.error({ pid: w.process.pid, code }, 'an HTTP worker died: starting another');
      fork();
    });
    for (let i = 0; i < n; i++) fork();
  });
}

/** SIGTERM to every HTTP worker (each stops gracefully); one still there after its whole allowance is killed. Resolves true when all exited 0. */
async function stopWorkers(config: AppConfig, logger: Logger): Promise<boolean> {
  const allowanceMs = (config.shutdown.delaySeconds + config.shutdown.graceSeconds) * 1000 + CLOSE_TIMEOUT_MS + 5_000;
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  const codes = await Promise.all(
    workers.map(
      (w) =>
        new Promise<number>((resolve) => {
          if (w.isDead()) return resolve(w.process.exitCode ?? 0);
          const timer = setTimeout(() => {
            logger.error({ pid: w.process.pid }, 'an HTTP worker did not stop in time: killing it');
            w.process.kill('SIGKILL');
          }, allowanceMs);
          w.once('exit', (code: number | null) => {
            clearTimeout(timer);
            resolve(code ?? 1);
          });
          w.process.kill('SIGTERM');
        }),
    ),
  );
  return codes.every((code) => code === 0);
}

async function main(): Promise<void> {
  threadsAtDefaultYoungGeneration(); // before any worker thread: the start command's semi-space flag is the request thread's only
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    die(e instanceof ConfigError ? e.message : String(e));
  }
  const logger = createLogger(config.logLevel);
  if (cluster.isWorker && config.databaseUrl) return serveAsWorker({ ...config, databaseUrl: config.databaseUrl }, logger);
  let auditKey: AuditKey;
  try {
    auditKey = resolveAuditKey(config); // before anything starts: production without AUDIT_KEY stops here, saying why
  } catch (e) {
    die(e instanceof ConfigError ? e.message : String(e));
  }
  const say = (line: string) => process.stdout.write(`${line}\n`);

  // What is running, for the shutdown order: the app (or its workers) first, then the database.
  const running: { app?: INestApplication; embedded?: EmbeddedDatabase } = {};
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    let clean = true;
    try {
      // Single process: not ready → (delay) → stop accepting → in-flight requests finish (bounded) → app closed.
      if (running.app) clean = await stopGracefully(running.app, config.shutdown, logger);
      if (!(await stopWorkers(config, logger))) clean = false;
    } catch (e) {
      clean = false;
      logger.error({ err: e }, 'error while closing the app');
    }
    try {
      await running.embedded?.stop();
    } catch (e) {
      logger.error({ err: e }, 'error while stopping the embedded database');
    }
    process.exit(clean ? 0 : 1);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    mkdirSync(config.dataDir, { recursive: true });
    try {
      running.embedded = await startEmbeddedPostgres(config.dataDir, (line) => logger.info(line));
    } catch (e) {
      die(e instanceof Error ? e.message : String(e));
    }
    databaseUrl = running.embedded.url;
  }
  try {
    const ran = await migrate(databaseUrl);
    if (ran.length) logger.info({ migrations: ran }, 'database migrated');
  } catch (e) {
    await running.embedded?.stop().catch(() => undefined);
    die(describeDatabaseError(databaseUrl, e));
  }

  const full = { ...config, databaseUrl };
  const app = await createApp(full, logger);
  running.app = app;
  const seeded = await seedUsers(full, app.get(UsersService));
  if (full.demoMode && full.seedTemplates) {
    const added = await seedTemplates({
      ds: app.get(DataSource),
      audit: app.get(AuditService),
      policies: app.get(PoliciesService),
      workflow: app.get(WorkflowService),
      testCases: app.get(TestCasesService),
    });
    if (added.length) logger.info({ templates: added }, 'seed templates loaded');
  }
  let port: number;
  if (config.webConcurrency > 1) {
    // The primary only prepared the database; the workers serve.
    running.app = undefined;
    await app.close();
    port = await forkWorkers(config.webConcurrency, databaseUrl, auditKey, logger, () => stopping);
    if (config.metricsPort !== undefined) {
      const aggregator = new AggregatorRegistry();
      const metricsServer = await serveMetricsPort(config.metricsPort, config.host, () => ({
        contentType: aggregator.contentType,
        metrics: () => aggregator.clusterMetrics(),
      }));
      metricsServer.unref();
    }
  } else {
    await app.listen(config.port, config.host);
    const address = app.getHttpServer().address();
    port = typeof address === 'object' && address ? address.port : config.port;
  }
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${port}`;
  say('');
  say(`Tierwise is running at ${url}/`);
  say(`  API docs: ${url}/api/docs    health: ${url}/api/health`);
  say(
    `  Database: ${running.embedded ? `embedded PostgreSQL (data in ${config.dataDir}, ${running.embedded.via === 'socket' ? 'Unix socket only' : '127.0.0.1'}, random password in ${config.dataDir}/pg-password)` : 'DATABASE_URL'}${config.webConcurrency > 1 ? `; ${config.webConcurrency} HTTP workers` : ''}`,
  );
  if (config.metricsPort !== undefined)
    say(`  Metrics: http://${host}:${config.metricsPort}/metrics${config.webConcurrency > 1 ? ' (summed over the workers)' : ''}`);
  if (config.metricsToken) say(`  Metrics: ${url}/metrics with Authorization: Bearer <METRICS_TOKEN>`);
  if (seeded.demo) {
    say(`  Demo mode. Sign in with any of these users, password: ${seeded.demo.password}`);
    for (const u of seeded.demo.users) say(`    ${u.username.padEnd(11)} ${u.roles.join(', ')}`);
  }
  if (!config.decisionLog) say('  WARNING: DECISION_LOG=off — /api/evaluate records no decisions (for benchmarks only).');
  say('  Stop with Ctrl+C.');
}

main().catch((e: unknown) => {
  process.stderr.write(`tierwise: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
