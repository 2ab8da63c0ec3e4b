import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EvaluationModule } from '../evaluation/evaluation.module';
import { JobsModule } from '../jobs/jobs.module';
import { PoliciesModule } from '../policies/policies.module';
import { SimulationModule } from '../simulation/simulation.module';
import { CustomersController } from './customers.controller';
import { LedgerHooks } from './ledger-hooks';
import { LedgerService } from './ledger.service';
import { OverridesController } from './overrides.controller';
import { OverridesService } from './overrides.service';
import { PreNoticeController } from './pre-notice.controller';
import { RatingRunsController } from './rating-runs.controller';
import { RatingRunsService } from './rating-runs.service';

/** The tier ledger, rating runs (issue 11) and overrides (issue 12); cycles are RatingCyclesModule. */
@Module({
  imports: [AuditModule, PoliciesModule, EvaluationModule, JobsModule, SimulationModule],
  controllers: [CustomersController, RatingRunsController, OverridesController, PreNoticeController],
  providers: [LedgerHooks, LedgerService, RatingRunsService, OverridesService],
  exports: [LedgerService, LedgerHooks],
})
export class RatingModule {}
