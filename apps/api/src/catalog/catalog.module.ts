import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuditService } from '../audit/audit.service';
import { CATALOG_CONTROLLERS, CATALOG_SPECS, catalogToken } from './catalog.controllers';
import { CatalogService } from './catalog.service';
import { FactMaskingService } from './fact-masking';

/** Facts, benefits and benefit packages (one generic service per resource), and the masking of sensitive facts. */
@Module({
  imports: [AuditModule],
  controllers: CATALOG_CONTROLLERS,
  providers: [
    ...CATALOG_SPECS.map((spec) => ({
      provide: catalogToken(spec.resource),
      inject: [DataSource, AuditService],
      useFactory: (ds: DataSource, audit: AuditService) => new CatalogService(spec, ds, audit),
    })),
    FactMaskingService,
  ],
  exports: [FactMaskingService],
})
export class CatalogModule {}
