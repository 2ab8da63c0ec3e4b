import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PoliciesModule } from '../policies/policies.module';
import { TemplatesController } from './templates.controller';

/** The policy templates shipped with the engine, turned into draft policies on request. */
@Module({
  imports: [AuditModule, PoliciesModule],
  controllers: [TemplatesController],
})
export class TemplatesModule {}
