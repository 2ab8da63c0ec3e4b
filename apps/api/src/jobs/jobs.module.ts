import { Inject, Injectable, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuditService } from '../audit/audit.service';
import { LOGGER } from '../common/logging/logger';
import { APP_CONFIG, AppConfig, SIMULATION_SETTINGS, SimulationSettings } from '../config/config';
import { Metrics } from '../metrics/metrics.service';
import { BullmqExecutor, ChunkExecutor, ThreadsExecutor } from './executors';
import { JobRunner } from './job-runner';

/** The process's one JobRunner: every long job kind (simulations, rating runs, …) registers with it in its module's onModuleInit. */
export const JOB_RUNNER = Symbol('JOB_RUNNER');
/** Worker threads of this process, or BullMQ when REDIS_URL is set. */
export const CHUNK_EXECUTOR = Symbol('CHUNK_EXECUTOR');

/** Starts the shared job runner once every kind has registered, stops it before the database closes. */
@Injectable()
export class JobRunnerLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(JOB_RUNNER) private readonly runner: JobRunner) {}
  onApplicationBootstrap(): void {
    this.runner.start();
  }
  onModuleDestroy(): Promise<void> {
    return this.runner.stop();
  }
}

/** The shared job machinery: JobStore-backed runs, chunks on piscina threads or BullMQ workers. */
@Module({
  imports: [AuditModule],
  providers: [
    {
      provide: CHUNK_EXECUTOR,
      inject: [APP_CONFIG, SIMULATION_SETTINGS, LOGGER],
      useFactory: (config: AppConfig & { databaseUrl: string }, settings: SimulationSettings, logger: Logger): ChunkExecutor =>
        config.redisUrl
          ? new BullmqExecutor(config.redisUrl, settings.queue)
          : new ThreadsExecutor(settings.threads, config.databaseUrl, settings.chunkDelayMs, (e) =>
              logger.error({ err: e }, 'a job thread crashed; it was replaced'),
            ),
    },
    {
      provide: JOB_RUNNER,
      inject: [DataSource, CHUNK_EXECUTOR, SIMULATION_SETTINGS, LOGGER, AuditService, Metrics],
      useFactory: (ds: DataSource, executor: ChunkExecutor, settings: SimulationSettings, logger: Logger, audit: AuditService, metrics: Metrics) =>
        new JobRunner(ds, executor, settings, logger, audit, metrics.jobs),
    },
    JobRunnerLifecycle,
  ],
  exports: [JOB_RUNNER, CHUNK_EXECUTOR],
})
export class JobsModule {}
