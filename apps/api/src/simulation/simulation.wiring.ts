import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatasetsController } from '../datasets/datasets.controller';
import { DatasetsService } from '../datasets/datasets.service';
import { BullmqExecutor, ChunkExecutor, ThreadsExecutor } from './executors';
import { CHUNK_EXECUTOR, SIMULATION_LOGGER, SimulationRunner } from './simulation-runner';
import { loadSimulationSettings, SIMULATION_SETTINGS, SimulationSettings } from '../config/simulation.settings';
import { SimulationsController } from './simulations.controller';
import { SimulationsService } from './simulations.service';

/** Datasets and simulations: registered in AppModule next to the other product modules. */
export const SIMULATION_CONTROLLERS = [DatasetsController, SimulationsController];

/** `loggerToken`: the app's pino logger provider (AppModule's LOGGER). */
export function simulationProviders(loggerToken: symbol): Provider[] {
  return [
    { provide: SIMULATION_LOGGER, useExisting: loggerToken },
    { provide: SIMULATION_SETTINGS, useFactory: () => loadSimulationSettings() },
    {
      provide: CHUNK_EXECUTOR,
      inject: [APP_CONFIG, SIMULATION_SETTINGS, DataSource],
      useFactory: (config: AppConfig & { databaseUrl: string }, settings: SimulationSettings, ds: DataSource): ChunkExecutor =>
        config.redisUrl
          ? new BullmqExecutor(config.redisUrl, settings.queue, ds)
          : new ThreadsExecutor(settings.threads, config.databaseUrl, settings.chunkDelayMs),
    },
    SimulationRunner,
    DatasetsService,
    SimulationsService,
  ];
}
