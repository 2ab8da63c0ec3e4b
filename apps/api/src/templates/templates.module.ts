import { Module } from '@nestjs/common';
import { PolicyFilesModule } from '../policy-files/policy-files.module';
import { TemplatesController } from './templates.controller';

/** The schemes shipped as policy files (apps/api/templates), turned into draft policies on request. */
@Module({
  imports: [PolicyFilesModule],
  controllers: [TemplatesController],
})
export class TemplatesModule {}
