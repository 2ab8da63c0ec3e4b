import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What an applied change of the ledger looks like to the modules above it. */
export interface LedgerApplied {
  policyId: string;
  policyKey: string;
  /** The run whose changes were just written (tier_history rows with this run_id). */
  runId: string;
  effectiveAt: Date;
}

export type LedgerApplyHook = (m: EntityManager, applied: LedgerApplied) => Promise<void>;

/** Changes of the ledger made outside a rating run (overrides and their reverts): the tier_history rows written. */
export interface LedgerChanged {
  policyId: string;
  policyKey: string;
  historyIds: string[];
  /** The customers of those rows (tier_history is partitioned by customer). */
  customerIds: string[];
}

export type LedgerChangeHook = (m: EntityManager, changed: LedgerChanged) => Promise<void>;

/**
 * Hooks run INSIDE the transaction that applies a rating run (and, later, an override), after its
 * history rows are written and before it commits: the place for the events module's outbox
 * (`INSERT INTO tier_event_outbox SELECT … FROM tier_history WHERE run_id = $1`), so no change is
 * lost and none is announced that did not happen. A hook that throws rolls the whole apply back.
 * Modules above rating register here at init; rating never imports them.
 */
@Injectable()
export class LedgerHooks {
  private readonly hooks: LedgerApplyHook[] = [];
  private readonly changeHooks: LedgerChangeHook[] = [];

  onApply(hook: LedgerApplyHook): void {
    this.hooks.push(hook);
  }

  async applied(m: EntityManager, applied: LedgerApplied): Promise<void> {
    for (const h of this.hooks) await h(m, applied);
  }

  /** Like onApply, for rows written by overrides (inside their transaction). */
  onChange(hook: LedgerChangeHook): void {
    this.changeHooks.push(hook);
  }

  async changed(m: EntityManager, changed: LedgerChanged): Promise<void> {
    if (!changed.historyIds.length) return;
    for (const h of this.changeHooks) await h(m, changed);
  }
}
