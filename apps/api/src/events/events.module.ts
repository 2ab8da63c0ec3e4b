import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RatingModule } from '../rating/rating.module';
import { WebhookDelivery } from './delivery-worker';
import { TierEventsOutbox } from './outbox';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Tier events (issue 12): the outbox on the ledger's hooks, webhooks and their delivery. */
@Module({
  imports: [AuditModule, RatingModule],
  controllers: [WebhooksController],
  providers: [TierEventsOutbox, WebhookDelivery, WebhooksService],
})
export class EventsModule {}
