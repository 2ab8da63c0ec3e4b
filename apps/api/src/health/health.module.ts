import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { HealthController } from './health.controller';
import { ReadinessProbe } from './readiness';
import { ShutdownState } from './shutdown';

/** Health, liveness and readiness; the shutdown state that readiness and main.ts's graceful stop share. */
@Module({})
export class HealthModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [{ provide: APP_CONFIG, useValue: config }, ShutdownState, ReadinessProbe],
      exports: [ShutdownState, ReadinessProbe],
    };
  }
}
