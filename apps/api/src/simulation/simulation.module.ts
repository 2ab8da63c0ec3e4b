import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CatalogModule } from '../catalog/catalog.module';
import { LOGGER } from '../common/logging/logger';
import { JobsModule } from '../jobs/jobs.module';
import { EvaluationModule } from '../evaluation/evaluation.module';
import { PoliciesModule } from '../policies/policies.module';
import { SIMULATION_LOGGER, SimulationRunner } from './simulation-runner';
import { SimulationsController } from './simulations.controller';
import { SimulationsService } from './simulations.service';

/** Simulations: a candidate version against a baseline over a dataset, on the shared job machinery. */
@Module({
  imports: [AuditModule, CatalogModule, PoliciesModule, JobsModule, EvaluationModule],
  controllers: [SimulationsController],
  providers: [{ provide: SIMULATION_LOGGER, useExisting: LOGGER }, SimulationRunner, SimulationsService],
  exports: [SimulationRunner, SIMULATION_LOGGER],
})
export class SimulationModule {}
