import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import { HttpExceptionFilter } from './errors/http-exception.filter';
import { LOGGER } from './logging/logger';

/** What every module may use: the logger, and the one error filter that turns exceptions into coded 4xx/5xx bodies. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: CommonModule,
      providers: [
        { provide: LOGGER, useValue: logger },
        { provide: APP_FILTER, useFactory: () => new HttpExceptionFilter(logger) },
      ],
      exports: [LOGGER],
    };
  }
}
