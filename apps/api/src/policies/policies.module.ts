import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EvaluatorCache } from './evaluator-cache';
import { PoliciesController } from './policies.controller';
import { PoliciesService } from './policies.service';
import { PolicyEvents } from './policy-events';
import { TestCasesService } from './test-cases.service';
import { WorkflowService } from './workflow.service';

/** Policies, versions, the four-eyes workflow and test cases; PolicyEvents tells modules above of lifecycle changes. */
@Module({
  imports: [AuditModule],
  controllers: [PoliciesController],
  providers: [PoliciesService, WorkflowService, TestCasesService, EvaluatorCache, PolicyEvents],
  exports: [PoliciesService, WorkflowService, TestCasesService, EvaluatorCache, PolicyEvents],
})
export class PoliciesModule {}
