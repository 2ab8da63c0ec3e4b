import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PoliciesModule } from '../policies/policies.module';
import { PolicyFilesController } from './policy-files.controller';
import { PolicyFilesService } from './policy-files.service';

/** Policies as files: export a version with its catalog and test cases, import one as a draft. */
@Module({
  imports: [AuditModule, PoliciesModule],
  controllers: [PolicyFilesController],
  providers: [PolicyFilesService],
  exports: [PolicyFilesService],
})
export class PolicyFilesModule {}
