import { createSecretKey } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuditController } from './audit/audit.controller';
import { AUDIT_LOGGER, AuditService } from './audit/audit.service';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { UserAccess } from './users/user-access';
import { AuthService } from './auth/auth.service';
import { LoginThrottle } from './auth/login-throttle';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { APP_CONFIG, AppConfig, randomSecret } from './config/config';
import { getOrCreateSetting } from './database/settings';
import { buildDataSourceOptions } from './database/typeorm-options';
import { HealthModule } from './health/health.module';
import { CATALOG_CONTROLLERS, CATALOG_SPECS, catalogToken } from './catalog/catalog.controllers';
import { CatalogService } from './catalog/catalog.service';
import { FactMaskingService } from './catalog/fact-masking';
import { DecisionLogService } from './evaluation/decision-log.service';
import { DecisionPartitionsService } from './evaluation/decision-partitions.service';
import { EvaluationController } from './evaluation/evaluation.controller';
import { EvaluationService } from './evaluation/evaluation.service';
import { EvaluatorCache } from './policies/evaluator-cache';
import { PoliciesController } from './policies/policies.controller';
import { PoliciesService } from './policies/policies.service';
import { TestCasesService } from './policies/test-cases.service';
import { WorkflowService } from './policies/workflow.service';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { TemplatesController } from './templates/templates.controller';
import { SIMULATION_CONTROLLERS, simulationProviders } from './simulation/simulation.wiring';
import { RATING_CONTROLLERS, ratingProviders } from './rating/rating.wiring';
import { OfficialTiers } from './evaluation/official-tier';

export const LOGGER = Symbol('LOGGER');

@Module({})
export class AppModule {
  static forRoot(config: AppConfig & { databaseUrl: string }, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(buildDataSourceOptions(config.databaseUrl)),
        JwtModule.registerAsync({
          global: true,
          inject: [DataSource],
          useFactory: async (ds: DataSource) => ({
            // A KeyObject, not a string: jsonwebtoken otherwise tries (and fails) to parse a string as a public key on every verify.
            secret: createSecretKey(Buffer.from(config.jwtSecret ?? (await getOrCreateSetting(ds, 'jwt.secret', randomSecret)), 'utf8')),
            signOptions: { expiresIn: config.jwtTtlSeconds, issuer: 'tierwise' },
            verifyOptions: { issuer: 'tierwise' },
          }),
        }),
        HealthModule.register(config),
      ],
      controllers: [
        AuthController,
        UsersController,
        AuditController,
        ...CATALOG_CONTROLLERS,
        PoliciesController,
        EvaluationController,
        TemplatesController,
        ...SIMULATION_CONTROLLERS,
        ...RATING_CONTROLLERS,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: AUDIT_LOGGER, useExisting: LOGGER },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useFactory: () => new HttpExceptionFilter(logger) },
        AuditService,
        AuthService,
        LoginThrottle,
        UsersService,
        UserAccess,
        ...CATALOG_SPECS.map((spec) => ({
          provide: catalogToken(spec.resource),
          inject: [DataSource, AuditService],
          useFactory: (ds: DataSource, audit: AuditService) => new CatalogService(spec, ds, audit),
        })),
        PoliciesService,
        WorkflowService,
        TestCasesService,
        EvaluatorCache,
        EvaluationService,
        DecisionLogService,
        OfficialTiers,
        DecisionPartitionsService,
        FactMaskingService,
        ...simulationProviders(LOGGER),
        ...ratingProviders(),
      ],
    };
  }
}
