import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig, EVENTS_SETTINGS, SIMULATION_SETTINGS } from './config';

/** The validated configuration, read once at boot (loadConfig), for every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig & { databaseUrl: string }): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: SIMULATION_SETTINGS, useValue: config.simulation },
        { provide: EVENTS_SETTINGS, useValue: config.webhooks },
      ],
      exports: [APP_CONFIG, SIMULATION_SETTINGS, EVENTS_SETTINGS],
    };
  }
}
