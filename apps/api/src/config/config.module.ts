import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from './config';
import { loadSimulationSettings, SIMULATION_SETTINGS } from './simulation.settings';

/** The validated configuration, read once at boot, for every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig & { databaseUrl: string }): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: SIMULATION_SETTINGS, useFactory: () => loadSimulationSettings() },
      ],
      exports: [APP_CONFIG, SIMULATION_SETTINGS],
    };
  }
}
