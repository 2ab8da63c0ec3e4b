import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { CommonModule } from './common/common.module';
import { ConfigModule } from './config/config.module';
import { AppConfig } from './config/config';
import { DatabaseModule } from './database/database.module';
import { DatasetsModule } from './datasets/datasets.module';
import { EntitlementsModule } from './entitlements/entitlements.module';
import { EvaluationModule } from './evaluation/evaluation.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { JobsModule } from './jobs/jobs.module';
import { PoliciesModule } from './policies/policies.module';
import { PolicyFilesModule } from './policy-files/policy-files.module';
import { RatingModule } from './rating/rating.module';
import { RatingCyclesModule } from './rating/rating-cycles.module';
import { SimulationModule } from './simulation/simulation.module';
import { TemplatesModule } from './templates/templates.module';
import { UsersModule } from './users/users.module';

/**
 * Only imports modules: one per capability (see the README's layout for the layering). Each module
 * imports what it needs and exports its public services.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig & { databaseUrl: string }, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CommonModule.forRoot(logger),
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(config.databaseUrl),
        MetricsModule,
        HealthModule.register(config),
        AuditModule,
        UsersModule,
        AuthModule,
        CatalogModule,
        PoliciesModule,
        PolicyFilesModule,
        EvaluationModule,
        EntitlementsModule,
        DatasetsModule,
        JobsModule,
        SimulationModule,
        RatingModule,
        EventsModule,
        RatingCyclesModule,
        TemplatesModule,
      ],
    };
  }
}
