import { Module } from '@nestjs/common';
import { EvaluationModule } from '../evaluation/evaluation.module';
import { PoliciesModule } from '../policies/policies.module';
import { EntitlementsController } from './entitlements.controller';
import { EntitlementsService } from './entitlements.service';

/** Entitlement checks (contract §11): may this customer have this benefit / buy this product; every answer logged append-only. */
@Module({
  imports: [EvaluationModule, PoliciesModule],
  controllers: [EntitlementsController],
  providers: [EntitlementsService],
  exports: [EntitlementsService],
})
export class EntitlementsModule {}
