import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RatingModule } from './rating.module';
import { RatingCyclesController } from './rating-cycles.controller';
import { RatingCyclesService } from './rating-cycles.service';

/** Rating cycles (issue 11): schedules per policy, cycles opened by the API process's cron, overdue ones flagged. */
@Module({
  imports: [AuditModule, RatingModule],
  controllers: [RatingCyclesController],
  providers: [RatingCyclesService],
})
export class RatingCyclesModule {}
