import { Module } from '@nestjs/common';
import { LOGGER } from '../common/logging/logger';
import { AuditController } from './audit.controller';
import { AUDIT_LOGGER, AuditService } from './audit.service';

@Module({
  controllers: [AuditController],
  providers: [AuditService, { provide: AUDIT_LOGGER, useExisting: LOGGER }],
  exports: [AuditService, AUDIT_LOGGER],
})
export class AuditModule {}
