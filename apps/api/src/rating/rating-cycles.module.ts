import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RatingModule } from './rating.module';
import { RatingCyclesController } from './rating-cycles.controller';
import { RatingCyclesService } from './rating-cycles.service';
import { TierReportsController } from './tier-reports.controller';
import { TierReportsService } from './tier-reports.service';

/** Rating cycles (issue 11): schedules per policy, cycles opened by the API process's cron, overdue ones flagged; and the period reports of the ledger. */
@Module({
  imports: [AuditModule, RatingModule],
  controllers: [RatingCyclesController, TierReportsController],
  providers: [RatingCyclesService, TierReportsService],
})
export class RatingCyclesModule {}
