import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook deliveries claimed in batches (issue 12, delivery on worker threads or BullMQ workers):
 * the dispatcher turns each event after a webhook's cursor into a `pending` delivery row (set-based,
 * one statement per batch); deliverers claim due rows with `FOR UPDATE SKIP LOCKED`, POST them and
 * write the outcomes in the same transaction — so two deliverers never send the same event, and a
 * deliverer that dies leaves its rows pending for the next one (same event id).
 */
export class WebhookClaims1796134812345 implements MigrationInterface {
  name = 'WebhookClaims1796134812345';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_delivery DROP CONSTRAINT webhook_delivery_status_check`);
    await q.query(`ALTER TABLE webhook_delivery ADD CONSTRAINT webhook_delivery_status_check CHECK (status IN ('pending','delivered','retrying','failed'))`);
    await q.query(`DROP INDEX webhook_delivery_due`);
    await q.query(`CREATE INDEX webhook_delivery_due ON webhook_delivery (webhook_id, next_attempt_at, event_seq) WHERE status IN ('pending','retrying')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX webhook_delivery_due`);
    await q.query(`UPDATE webhook_delivery SET status = 'retrying' WHERE status = 'pending'`);
    await q.query(`ALTER TABLE webhook_delivery DROP CONSTRAINT webhook_delivery_status_check`);
    await q.query(`ALTER TABLE webhook_delivery ADD CONSTRAINT webhook_delivery_status_check CHECK (status IN ('delivered','retrying','failed'))`);
    await q.query(`CREATE INDEX webhook_delivery_due ON webhook_delivery (webhook_id, next_attempt_at) WHERE status = 'retrying'`);
  }
}
