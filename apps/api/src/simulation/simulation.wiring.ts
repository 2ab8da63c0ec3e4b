import type { Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatasetsController } from '../datasets/datasets.controller';
import { DatasetsService } from '../datasets/datasets.service';
import { BullmqExecutor, ChunkExecutor, ThreadsExecutor } from './jobs/executors';
import { JobRunner } from './jobs/job-runner';
import { JOB_RUNNER, JobRunnerLifecycle, SIMULATION_LOGGER, SimulationRunner } from './simulation-runner';
import { loadSimulationSettings, SIMULATION_SETTINGS, SimulationSettings } from '../config/simulation.settings';
import { SimulationsController } from './simulations.controller';
import { SimulationsService } from './simulations.service';

/** Datasets and simulations: registered in AppModule next to the other product modules. */
export const SIMULATION_CONTROLLERS = [DatasetsController, SimulationsController];

export const CHUNK_EXECUTOR = Symbol('CHUNK_EXECUTOR');

/** `loggerToken`: the app's pino logger provider (AppModule's LOGGER). */
export function simulationProviders(loggerToken: symbol): Provider[] {
  return [
    { provide: SIMULATION_LOGGER, useExisting: loggerToken },
    { provide: SIMULATION_SETTINGS, useFactory: () => loadSimulationSettings() },
    {
      provide: CHUNK_EXECUTOR,
      inject: [APP_CONFIG, SIMULATION_SETTINGS, SIMULATION_LOGGER],
      useFactory: (config: AppConfig & { databaseUrl: string }, settings: SimulationSettings, logger: Logger): ChunkExecutor =>
        config.redisUrl
          ? new BullmqExecutor(config.redisUrl, settings.queue)
          : new ThreadsExecutor(settings.threads, config.databaseUrl, settings.chunkDelayMs, (e) =>
              logger.error({ err: e }, 'a job thread crashed; it was replaced'),
            ),
    },
    {
      provide: JOB_RUNNER,
      inject: [DataSource, CHUNK_EXECUTOR, SIMULATION_SETTINGS, SIMULATION_LOGGER, AuditService],
      useFactory: (ds: DataSource, executor: ChunkExecutor, settings: SimulationSettings, logger: Logger, audit: AuditService) =>
        new JobRunner(ds, executor, settings, logger, audit),
    },
    JobRunnerLifecycle,
    SimulationRunner,
    DatasetsService,
    SimulationsService,
  ];
}
