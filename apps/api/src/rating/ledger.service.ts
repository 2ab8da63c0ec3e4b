import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ExpiringCache } from '../common/expiring-cache';
import type { PopulationCutoffs } from '@tierwise/policy-engine';
import { OfficialTier, OfficialTiers } from '../evaluation/official-tier';
import { PopulationCutoffsSource, type InForceCutoffs } from '../evaluation/population-cutoffs';
import { PolicyRow } from '../policies/policy.entities';
import type { LedgerReason, TierChange } from './ledger.entities';
import { RatingException, RatingExceptionCode } from './rating.exception';

interface HistoryRecord {
  id: string;
  policy_id: string;
  customer_id: string;
  tier_key: string | null;
  tier_name: string | null;
  tier_name_en: string | null;
  tier_rank: number | null;
  previous_tier: string | null;
  change: TierChange;
  reason: LedgerReason;
  valid_from: Date;
  valid_to: Date | null;
  recorded_at: Date;
  run_id: string | null;
  version_id: string;
  decision_id: string | null;
  snapshot_row: number | null;
  rollout_step: number | null;
}

const COLUMNS = `id, policy_id, customer_id, tier_key, tier_name, tier_name_en, tier_rank, previous_tier, change, reason, valid_from, valid_to,
  recorded_at, run_id, version_id, decision_id, snapshot_row, rollout_step`;

function tierOf(r: HistoryRecord) {
  return r.tier_key === null ? null : { key: r.tier_key, name: r.tier_name, nameEn: r.tier_name_en, rank: r.tier_rank };
}

/** One history row as the API shows it (contract §8), with where its trace is. */
export function historyView(r: HistoryRecord, policyKey: string) {
  return {
    policy: policyKey,
    tier: tierOf(r),
    validFrom: r.valid_from,
    validTo: r.valid_to,
    previousTier: r.previous_tier,
    change: r.change,
    reason: r.reason,
    runId: r.run_id,
    versionId: r.version_id,
    /** The regional rollout step through which that version rated the customer (null: its own effectiveFrom, or no rollout). */
    rolloutStep: r.rollout_step,
    decidedAt: r.recorded_at,
    /** Where the evaluation behind the change can be seen: a decision, or the customer's row in the run's snapshot. */
    trace: r.decision_id ? { decisionId: r.decision_id } : r.run_id ? { runId: r.run_id, snapshotRow: r.snapshot_row } : null,
  };
}

/**
 * Reads of the tier ledger: a customer's official tier at any instant (one index range on
 * (policy, customer, valid_from) in the customer's hash partition) and their ordered history.
 * Writes happen only in rating runs' apply (and later overrides), never here.
 */
@Injectable()
export class LedgerService implements OnModuleInit {
  /** Whether a policy has a ledger at all (so evaluate skips the lookup for policies never rated). */
  private readonly rated = new ExpiringCache<string, boolean>(1000, async (policyId) => {
    const r: unknown[] = await this.ds.query('SELECT 1 FROM tier_ledger WHERE policy_id = $1', [policyId]);
    return r.length > 0;
  });

  /** Each policy's applied runs that froze cut-offs (issue 16), newest first; cut-offs never change once written. */
  private readonly cutoffRuns = new ExpiringCache<string, InForceCutoffs[]>(1000, async (policyId) => {
    const rows: { id: string; effective_at: Date; cutoffs: PopulationCutoffs }[] = await this.ds.query(
      `SELECT id, effective_at, cutoffs FROM rating_run WHERE policy_id = $1 AND status = 'applied' AND cutoffs IS NOT NULL ORDER BY effective_at DESC`,
      [policyId],
    );
    return rows.map((r) => ({ runId: r.id, effectiveAt: r.effective_at, cutoffs: r.cutoffs }));
  });

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly official: OfficialTiers,
    private readonly population: PopulationCutoffsSource,
  ) {}

  onModuleInit(): void {
    this.official.provide((policyId, customerId, at) => this.officialTier(policyId, customerId, at));
    // the cut-offs in force at `at`: the last run applied by then (as-of replay uses the ones in force then)
    // and a given run's (a logged decision's trace re-derived): 'applied' is final, so the run stays in the list
    this.population.provide(
      async (policyId, at) => (await this.cutoffRuns.get(policyId)).find((r) => r.effectiveAt.getTime() <= at.getTime()) ?? null,
      async (policyId, runId) => (await this.cutoffRuns.get(policyId)).find((r) => r.runId === runId) ?? null,
    );
  }

  /** A policy's ledger changed in this process (a run applied): forget the cached "has a ledger" and its cut-offs. */
  changed(policyId: string): void {
    this.rated.delete(policyId);
    this.cutoffRuns.delete(policyId);
  }

  async policy(key: string): Promise<PolicyRow> {
    const p = await this.ds.getRepository(PolicyRow).findOneBy({ key });
    if (!p) throw new RatingException(RatingExceptionCode.UnknownPolicy, `No policy with key ${key}`, [{ path: 'policy', message: 'unknown policy' }]);
    return p;
  }

  private async rowAt(policyId: string, customerId: string, at: Date): Promise<HistoryRecord | null> {
    const [r]: HistoryRecord[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM tier_history WHERE policy_id = $1 AND customer_id = $2 AND valid_from <= $3 ORDER BY valid_from DESC, id DESC LIMIT 1`,
      [policyId, customerId, at],
    );
    return r && (r.valid_to === null || r.valid_to > at) ? r : null;
  }

  private async officialTier(policyId: string, customerId: string, at: Date): Promise<OfficialTier | null> {
    if (!(await this.rated.get(policyId))) return null;
    const r = await this.rowAt(policyId, customerId, at);
    return r ? { tier: tierOf(r), since: r.valid_from, runId: r.run_id, versionId: r.version_id } : null;
  }

  /** `GET /api/customers/:id/tier?policy=&at=`: 404 when never rated (or not yet at `at`). */
  async tierAt(customerId: string, policyKey: string, at: Date) {
    const policy = await this.policy(policyKey);
    const r = await this.rowAt(policy.id, customerId, at);
    if (!r) {
      const any: unknown[] = await this.ds.query('SELECT 1 FROM tier_history WHERE policy_id = $1 AND customer_id = $2 LIMIT 1', [policy.id, customerId]);
      if (any.length)
        throw new RatingException(RatingExceptionCode.NotRatedAt, `Customer ${customerId} was not yet rated under ${policyKey} at ${at.toISOString()}`, [
          { path: 'at', message: 'before the customer was first rated' },
        ]);
      throw new RatingException(RatingExceptionCode.NeverRated, `Customer ${customerId} was never rated under ${policyKey}`, [
        { path: 'customerId', message: 'never rated under this policy' },
      ]);
    }
    return {
      customerId,
      policy: policyKey,
      at,
      tier: tierOf(r),
      since: r.valid_from,
      change: r.change,
      runId: r.run_id,
      versionId: r.version_id,
      rolloutStep: r.rollout_step,
    };
  }

  /** `GET /api/customers/:id/tiers?policy=`: oldest first (every policy when none is named). */
  async history(customerId: string, policyKey?: string) {
    const policy = policyKey ? await this.policy(policyKey) : null;
    const rows: (HistoryRecord & { policy_key: string })[] = await this.ds.query(
      `SELECT h.*, p.key AS policy_key FROM (SELECT ${COLUMNS} FROM tier_history WHERE customer_id = $1 AND ($2::uuid IS NULL OR policy_id = $2)) h
       JOIN policy p ON p.id = h.policy_id ORDER BY p.key, h.valid_from, h.id`,
      [customerId, policy?.id ?? null],
    );
    return rows.map((r) => historyView(r, r.policy_key));
  }
}
