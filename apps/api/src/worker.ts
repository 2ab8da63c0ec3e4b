/**
 * `npm run worker`: a job worker process. With REDIS_URL set, the API splits each long run
 * (simulations, rating runs) into chunk jobs on a BullMQ queue; any number of these processes, on
 * any machines sharing the API's PostgreSQL and Redis, process them with the same chunk handlers as
 * the API's threads and store each chunk's part in PostgreSQL, where the API merges them. The same
 * queue carries the webhook delivery jobs (events/delivery-chunk: batches of due deliveries claimed
 * from PostgreSQL, POSTed, their outcomes written with the claim).
 *
 * Settings: DATABASE_URL and REDIS_URL (required), SIMULATION_QUEUE (as the API),
 * WORKER_CONCURRENCY (jobs at once, default 2), LOG_LEVEL; for deliveries the API's WEBHOOK_*
 * settings (WEBHOOK_ALLOWED_HOSTS, WEBHOOK_BATCH, WEBHOOK_CONCURRENCY, back-off, timeout).
 */
import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import { Pool } from 'pg';
import { createLogger } from './common/logging/logger';
import { AppConfig, ConfigError, loadConfig } from './config/config';
import { describeDatabaseError } from './database/database';
import { ChunkHandlers, ChunkTask } from './jobs/chunk-handler';
import { redisConnection } from './jobs/executors';

function die(message: string): never {
  process.stderr.write(`tierwise worker: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    die(e instanceof ConfigError ? e.message : String(e));
  }
  const settings = config.simulation;
  const concurrency = config.workerConcurrency;
  if (!config.databaseUrl || !config.redisUrl) die('set DATABASE_URL and REDIS_URL: workers share PostgreSQL and Redis with the API');
  const databaseUrl = config.databaseUrl;
  const logger = createLogger(config.logLevel).child({ component: 'worker' });

  const pool = new Pool({ connectionString: databaseUrl, max: concurrency + 1, application_name: 'tierwise-worker' });
  pool.on('error', (e) => logger.warn({ err: e }, 'idle database connection lost'));
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    die(describeDatabaseError(databaseUrl, e));
  }
  const who = `worker:${hostname()}:${process.pid}`;
  const handlers = new ChunkHandlers({ db: pool, who, delayMs: settings.chunkDelayMs });
  const connection = redisConnection(config.redisUrl);
  connection.on('error', (e) => logger.warn({ err: e }, 'redis connection error'));

  const worker = new Worker<ChunkTask>(settings.queue, (job) => handlers.run(job.data), {
    connection,
    concurrency,
    autorun: false,
  });
  worker.on('failed', (job, err) => {
    // Each failed attempt is logged here; once a job has used its attempts, the coordinating API
    // hears of it through its QueueEvents and fails the run.
    if (job) logger.warn({ err, runId: job.data.runId, chunkNo: job.data.chunkNo, attempt: job.attemptsMade }, 'chunk failed');
  });
  worker.on('error', (e) => logger.error({ err: e }, 'worker error'));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping');
    await worker.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    connection.disconnect();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  void worker.run();
  await worker.waitUntilReady();
  process.stdout.write(`Tierwise worker ${who} is processing queue ${settings.queue} (concurrency ${concurrency}). Stop with Ctrl+C.\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`tierwise worker: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
