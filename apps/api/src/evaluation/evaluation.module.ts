import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CatalogModule } from '../catalog/catalog.module';
import { PoliciesModule } from '../policies/policies.module';
import { DecisionLogService } from './decision-log.service';
import { DecisionPartitionsService } from './decision-partitions.service';
import { DecisionRetentionService } from './decision-retention.service';
import { DecisionsService } from './decisions.service';
import { EvaluationController } from './evaluation.controller';
import { EvaluationService } from './evaluation.service';
import { PopulationCutoffsSource } from './population-cutoffs';
import { OfficialTiers } from './official-tier';

/** Evaluating customers against the version in effect, and the decision log. */
@Module({
  imports: [AuditModule, CatalogModule, PoliciesModule],
  controllers: [EvaluationController],
  providers: [
    EvaluationService,
    DecisionLogService,
    DecisionsService,
    DecisionPartitionsService,
    DecisionRetentionService,
    OfficialTiers,
    PopulationCutoffsSource,
  ],
  exports: [EvaluationService, OfficialTiers, PopulationCutoffsSource],
})
export class EvaluationModule {}
