import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LedgerApplied, LedgerChanged, LedgerHooks } from '../rating/ledger-hooks';

export const TIER_EVENT_TYPES = ['tier.changed', 'tier.downgrade_pending'] as const;
export type TierEventType = (typeof TIER_EVENT_TYPES)[number];

/**
 * The outbox: registered on the ledger's hooks, so its rows are written INSIDE the transaction that
 * changes the ledger (a rating run's apply, an override's approval, end or expiry) — no change is
 * lost and none is announced that did not happen. Set-based: one INSERT … SELECT per apply.
 */
@Injectable()
export class TierEventsOutbox implements OnModuleInit {
  constructor(private readonly hooks: LedgerHooks) {}

  onModuleInit(): void {
    this.hooks.onApply((m, applied) => this.runApplied(m, applied));
    this.hooks.onChange((m, changed) => this.rowsWritten(m, changed));
  }

  private async runApplied(m: EntityManager, a: LedgerApplied): Promise<void> {
    await m.query(
      `INSERT INTO tier_event (type, occurred_at, policy_id, policy_key, customer_id, from_tier, to_tier, change, run_id, history_id)
       SELECT 'tier.changed', valid_from, policy_id, $2, customer_id, previous_tier, tier_key, change, run_id, id
         FROM tier_history WHERE run_id = $1 ORDER BY id`,
      [a.runId, a.policyKey],
    );
    // Entering a grace period: the run kept the customer's tier for the first time although it rated them below.
    await m.query(
      `INSERT INTO tier_event (type, occurred_at, policy_id, policy_key, customer_id, from_tier, to_tier, change, run_id)
       SELECT 'tier.downgrade_pending', $3, $4, $2, customer_id, from_tier, rated_tier, NULL, run_id
         FROM rating_run_change WHERE run_id = $1 AND change IS NULL AND reason = 'grace' AND below_runs = 1 ORDER BY customer_id`,
      [a.runId, a.policyKey, a.effectiveAt, a.policyId],
    );
  }

  private async rowsWritten(m: EntityManager, c: LedgerChanged): Promise<void> {
    await m.query(
      `INSERT INTO tier_event (type, occurred_at, policy_id, policy_key, customer_id, from_tier, to_tier, change, history_id, override_id)
       SELECT 'tier.changed', valid_from, policy_id, $2, customer_id, previous_tier, tier_key, change, id, NULLIF(reason->>'overrideId', '')::uuid
         FROM tier_history WHERE customer_id = ANY($3::text[]) AND id = ANY($1::bigint[]) ORDER BY id`,
      [c.historyIds, c.policyKey, c.customerIds],
    );
  }
}
