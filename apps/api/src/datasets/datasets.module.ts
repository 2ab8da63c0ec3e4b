import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CatalogModule } from '../catalog/catalog.module';
import { JobsModule } from '../jobs/jobs.module';
import { DatasetsController } from './datasets.controller';
import { DatasetsService } from './datasets.service';

/** Uploaded and synthetic customer datasets, stored in chunks (the unit of simulation and rating work). */
@Module({
  imports: [AuditModule, CatalogModule, JobsModule],
  controllers: [DatasetsController],
  providers: [DatasetsService],
  exports: [DatasetsService],
})
export class DatasetsModule {}
