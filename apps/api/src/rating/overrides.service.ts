import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { filterString, ListQuery } from '../common/list-query';
import { Sweep } from '../common/sweep';
import { APP_CONFIG, AppConfig } from '../config/config';
import { EvaluationService } from '../evaluation/evaluation.service';
import { PolicyRow, PolicyVersionRow } from '../policies/policy.entities';
import { PolicyException } from '../policies/policy.exception';
import { SIMULATION_LOGGER } from '../simulation/simulation-runner';
import { assertNotControlledBy } from '../users/account-control';
import { LedgerApplied, LedgerHooks } from './ledger-hooks';
import { LedgerService } from './ledger.service';
import { ActiveOverrides, clampTier, OverrideMode } from './overrides-clamp';
import { OverrideException, OverrideExceptionCode } from './overrides.exception';
import { overrideReasonText } from './overrides-reason';

export type OverrideStatus = 'pending' | 'active' | 'rejected' | 'withdrawn' | 'ended' | 'expired';

export interface OverrideRequest {
  policy: string;
  tier: string;
  mode: OverrideMode;
  reason: string;
  expiresAt?: Date;
}

interface OverrideRecord {
  id: string;
  policy_id: string;
  policy_key: string;
  customer_id: string;
  mode: OverrideMode;
  tier_key: string;
  tier_name: string;
  tier_name_en: string | null;
  reason: string;
  expires_at: Date | null;
  status: OverrideStatus;
  requested_by: string;
  requested_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
  rejected_by: string | null;
  rejected_at: Date | null;
  ended_by: string | null;
  ended_at: Date | null;
  comment: string | null;
}

const SELECT = `SELECT o.*, p.key AS policy_key FROM tier_override o JOIN policy p ON p.id = o.policy_id`;

export function overrideView(r: OverrideRecord) {
  return {
    id: r.id,
    customerId: r.customer_id,
    policy: r.policy_key,
    policyId: r.policy_id,
    mode: r.mode,
    tier: { key: r.tier_key, name: r.tier_name, nameEn: r.tier_name_en },
    reason: r.reason,
    expiresAt: r.expires_at,
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    rejectedBy: r.rejected_by,
    rejectedAt: r.rejected_at,
    endedBy: r.ended_by,
    endedAt: r.ended_at,
    comment: r.comment,
  };
}

type Tiers = { key: string; name: string; nameEn?: string }[];

/** Ranks on a version's tiers (1 = best); a tier the version no longer has sits below the known ones, not rated below all. */
function ranker(tiers: Tiers): (key: string | null) => number {
  const at = new Map(tiers.map((t, i) => [t.key, i + 1]));
  return (key) => (key === null ? tiers.length + 1 : (at.get(key) ?? tiers.length + 0.5));
}

/**
 * Overrides of official tiers (contract §9): requested by an author, approved by someone else,
 * in effect at once (a ledger row `change: "override"`), binding on later rating runs (the chunks
 * clamp with `overrides-clamp.ts`), ended early or at expiry by the sweep (`change: "revert"` to
 * the tier the customer's last rating gives). Every step is audited; every ledger change locks the
 * policy's `tier_ledger` row like a run's apply, and runs the ledger's change hooks (the outbox).
 */
@Injectable()
export class OverridesService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  /** Expires every active override whose expiry has come (also those that passed while no process ran). */
  private readonly sweep = new Sweep(
    () => this.expireDue(),
    (e) => this.logger.error({ err: e }, 'expiring overrides failed'),
  );

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly evaluation: EvaluationService,
    private readonly ledger: LedgerService,
    private readonly hooks: LedgerHooks,
    @Inject(SIMULATION_LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.hooks.onApply((m, applied) => this.runApplied(m, applied));
  }

  onApplicationBootstrap(): void {
    // OVERRIDE_SWEEP_MS; the sweep also runs at start, so an expiry that passed while no API process ran is applied then
    this.sweep.start(this.config.rating.overrideSweepMs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.sweep.stop();
  }

  private async policy(key: string): Promise<PolicyRow> {
    const p = await this.ds.getRepository(PolicyRow).findOneBy({ key });
    if (!p) throw new OverrideException(OverrideExceptionCode.UnknownPolicy, `No policy with key ${key}`, [{ path: 'policy', message: 'unknown policy' }]);
    return p;
  }

  private async versionNow(policyKey: string, at: Date): Promise<PolicyVersionRow> {
    try {
      return (await this.evaluation.versionAt(policyKey, at)).version;
    } catch (e) {
      if (e instanceof PolicyException)
        throw new OverrideException(OverrideExceptionCode.NoVersionInEffect, `Policy ${policyKey} has no version in effect now`, [
          { path: 'policy', message: 'no version in effect' },
        ]);
      throw e;
    }
  }

  private async record(m: EntityManager | DataSource, id: string, lock = false): Promise<OverrideRecord> {
    const [r]: OverrideRecord[] = await m.query(`${SELECT} WHERE o.id = $1${lock ? ' FOR UPDATE OF o' : ''}`, [id]);
    if (!r) throw new OverrideException(OverrideExceptionCode.NotFound, `No override with id ${id}`);
    return r;
  }

  /** Serialise with every other change of the policy's ledger (rating runs' apply locks the same row). */
  private async lockLedger(m: EntityManager, policyId: string): Promise<void> {
    await m.query('INSERT INTO tier_ledger (policy_id) VALUES ($1) ON CONFLICT (policy_id) DO NOTHING', [policyId]);
    await m.query('SELECT 1 FROM tier_ledger WHERE policy_id = $1 FOR UPDATE', [policyId]);
  }

  /** A floor above a ceiling (either way round) of the same customer and policy cannot both hold. */
  private async contradiction(
    m: EntityManager | DataSource,
    o: { policyId: string; customerId: string; mode: OverrideMode; tier: string; id?: string },
    tiers: Tiers,
  ) {
    if (o.mode === 'set') return;
    const other = o.mode === 'floor' ? 'ceiling' : 'floor';
    const [r]: { id: string; tier_key: string }[] = await m.query(
      `SELECT id, tier_key FROM tier_override WHERE policy_id = $1 AND customer_id = $2 AND mode = $3 AND status IN ('pending','active') AND id IS DISTINCT FROM $4`,
      [o.policyId, o.customerId, other, o.id ?? null],
    );
    if (!r) return;
    const rank = ranker(tiers);
    const floor = o.mode === 'floor' ? o.tier : r.tier_key;
    const ceiling = o.mode === 'ceiling' ? o.tier : r.tier_key;
    if (rank(floor) < rank(ceiling))
      throw new OverrideException(
        OverrideExceptionCode.Contradicts,
        `The ${other} override ${r.id} (${r.tier_key}) contradicts this ${o.mode} (${o.tier}): a floor cannot be above a ceiling`,
        [{ path: 'tier', message: `contradicts the ${other} ${r.tier_key} (override ${r.id})` }],
        { otherId: r.id, otherTier: r.tier_key },
      );
  }

  /** `POST /api/customers/:customerId/overrides` (author): checked first, nothing written on bad input. */
  async request(actor: string, customerId: string, req: OverrideRequest) {
    const policy = await this.policy(req.policy);
    const now = new Date();
    if (req.expiresAt && req.expiresAt.getTime() <= now.getTime())
      throw new OverrideException(OverrideExceptionCode.ExpiryInPast, 'The expiry must lie in the future', [{ path: 'expiresAt', message: 'is in the past' }]);
    const version = await this.versionNow(policy.key, now);
    const tiers = version.definition.tiers as Tiers;
    const tier = tiers.find((t) => t.key === req.tier);
    if (!tier)
      throw new OverrideException(OverrideExceptionCode.UnknownTier, `Version ${version.number} of ${policy.key} has no tier ${req.tier}`, [
        { path: 'tier', message: `unknown tier; one of ${tiers.map((t) => t.key).join(', ')}` },
      ]);
    const rated: unknown[] = await this.ds.query('SELECT 1 FROM tier_current WHERE policy_id = $1 AND customer_id = $2', [policy.id, customerId]);
    if (!rated.length)
      throw new OverrideException(OverrideExceptionCode.UnknownCustomer, `Customer ${customerId} was never rated under ${policy.key}`, [
        { path: 'customerId', message: 'never rated under this policy' },
      ]);
    const id = await this.ds.transaction(async (m) => {
      // One at a time per customer and policy, so two requests cannot both pass the overlap check.
      await m.query('SELECT pg_advisory_xact_lock(7240012, hashtext($1))', [`${policy.id}:${customerId}`]);
      const [same]: { id: string; status: string }[] = await m.query(
        `SELECT id, status FROM tier_override WHERE policy_id = $1 AND customer_id = $2 AND mode = $3 AND status IN ('pending','active')`,
        [policy.id, customerId, req.mode],
      );
      if (same)
        throw new OverrideException(
          OverrideExceptionCode.Overlaps,
          `Customer ${customerId} already has a ${same.status} ${req.mode} override under ${policy.key} (${same.id}); end or withdraw it first`,
          [{ path: 'mode', message: `overlaps the ${same.status} override ${same.id}` }],
          { otherId: same.id, otherStatus: same.status },
        );
      await this.contradiction(m, { policyId: policy.id, customerId, mode: req.mode, tier: req.tier }, tiers);
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO tier_override (policy_id, customer_id, mode, tier_key, tier_name, tier_name_en, reason, expires_at, status, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9) RETURNING id`,
        [policy.id, customerId, req.mode, tier.key, tier.name, tier.nameEn ?? null, req.reason, req.expiresAt ?? null, actor],
      );
      await this.audit.record(m, {
        actor,
        action: 'override.request',
        entityType: 'override',
        entityId: row.id,
        after: { status: 'pending', customerId, policy: policy.key, mode: req.mode, tier: tier.key, expiresAt: req.expiresAt ?? null, reason: req.reason },
        comment: req.reason,
      });
      return row.id;
    });
    return this.get(id);
  }

  async get(id: string) {
    return overrideView(await this.record(this.ds, id));
  }

  /** `GET /api/overrides?customerId=&policy=&status=&mode=` (and react-admin's `filter`). */
  async list(q: ListQuery) {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    const customerId = filterString(q.filter, 'customerId');
    if (customerId !== undefined) add('o.customer_id = ?', customerId);
    const policy = filterString(q.filter, 'policy');
    if (policy !== undefined) add('p.key = ?', policy);
    const status = filterString(q.filter, 'status');
    if (status !== undefined) add('o.status = ANY(?::text[])', status.split(','));
    const mode = filterString(q.filter, 'mode');
    if (mode !== undefined) add('o.mode = ?', mode);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const sortColumn: Record<string, string> = { requestedAt: 'o.requested_at', expiresAt: 'o.expires_at', status: 'o.status', customerId: 'o.customer_id' };
    const [{ n }]: { n: number }[] = await this.ds.query(`SELECT count(*)::int AS n FROM tier_override o JOIN policy p ON p.id = o.policy_id ${w}`, params);
    const rows: OverrideRecord[] = await this.ds.query(
      `${SELECT} ${w} ORDER BY ${sortColumn[q.sortField] ?? 'o.requested_at'} ${q.sortOrder} NULLS LAST, o.id OFFSET ${q.skip} LIMIT ${q.take}`,
      params,
    );
    return { rows: rows.map(overrideView), total: n };
  }

  /** Four-eyes: approved by someone other than the requester; in effect at once. */
  async approve(actor: string, id: string, comment?: string) {
    const o0 = await this.record(this.ds, id);
    await this.ds.transaction(async (m) => {
      await this.lockLedger(m, o0.policy_id);
      const o = await this.record(m, id, true);
      if (o.status !== 'pending')
        throw new OverrideException(OverrideExceptionCode.WrongStatus, `The override is ${o.status}; only a pending override can be approved`);
      if (o.requested_by === actor)
        throw new OverrideException(OverrideExceptionCode.SamePerson, 'Four-eyes: the override must be approved by someone other than who requested it', [
          { path: 'approvedBy', message: 'is who requested the override' },
        ]);
      await assertNotControlledBy(m, actor, [o.requested_by], `override ${id}`);
      const now = new Date();
      if (o.expires_at && o.expires_at.getTime() <= now.getTime())
        throw new OverrideException(OverrideExceptionCode.Expired, `The override expired at ${o.expires_at.toISOString()} before it was approved`, [
          { path: 'expiresAt', message: 'has passed' },
        ]);
      const version = await this.versionNow(o.policy_key, now);
      const tiers = version.definition.tiers as Tiers;
      if (!tiers.some((t) => t.key === o.tier_key))
        throw new OverrideException(
          OverrideExceptionCode.TierGone,
          `Version ${version.number} in effect now has no tier ${o.tier_key}; request a new override`,
          [{ path: 'tier', message: 'not a tier of the version in effect' }],
        );
      await this.contradiction(m, { policyId: o.policy_id, customerId: o.customer_id, mode: o.mode, tier: o.tier_key, id: o.id }, tiers);
      await m.query(`UPDATE tier_override SET status = 'active', approved_by = $2, approved_at = $3, comment = COALESCE($4, comment) WHERE id = $1`, [
        id,
        actor,
        now,
        comment ?? null,
      ]);
      // What the customer returns to at the end: their official tier now, unless an override already holds them.
      await m.query(
        `INSERT INTO tier_override_base (policy_id, customer_id, tier_key, run_id)
         SELECT policy_id, customer_id, tier_key, run_id FROM tier_current WHERE policy_id = $1 AND customer_id = $2
         ON CONFLICT (policy_id, customer_id) DO NOTHING`,
        [o.policy_id, o.customer_id],
      );
      const change = await this.reconcile(m, { id: o.policy_id, key: o.policy_key }, o.customer_id, now, { overrideId: id, version });
      await this.audit.record(m, {
        actor,
        action: 'override.approve',
        entityType: 'override',
        entityId: id,
        before: { status: 'pending' },
        after: { status: 'active', customerId: o.customer_id, policy: o.policy_key, mode: o.mode, tier: o.tier_key, expiresAt: o.expires_at, ledger: change },
        comment,
      });
    });
    this.ledger.changed(o0.policy_id);
    return this.get(id);
  }

  async reject(actor: string, id: string, comment: string) {
    await this.ds.transaction(async (m) => {
      const o = await this.record(m, id, true);
      if (o.status !== 'pending')
        throw new OverrideException(OverrideExceptionCode.WrongStatus, `The override is ${o.status}; only a pending override can be rejected`);
      if (o.requested_by === actor)
        throw new OverrideException(
          OverrideExceptionCode.SamePerson,
          'Four-eyes: the override must be rejected by someone other than who requested it (withdraw it instead)',
          [{ path: 'rejectedBy', message: 'is who requested the override' }],
        );
      await m.query(`UPDATE tier_override SET status = 'rejected', rejected_by = $2, rejected_at = now(), comment = $3 WHERE id = $1`, [id, actor, comment]);
      await this.audit.record(m, {
        actor,
        action: 'override.reject',
        entityType: 'override',
        entityId: id,
        before: { status: 'pending' },
        after: { status: 'rejected' },
        comment,
      });
    });
    return this.get(id);
  }

  /** `DELETE /api/overrides/:id`: a pending override is withdrawn (by its requester or an admin), an active one ended early. */
  async end(actor: string, roles: readonly string[], id: string, comment?: string) {
    const o0 = await this.record(this.ds, id);
    await this.ds.transaction(async (m) => {
      await this.lockLedger(m, o0.policy_id);
      const o = await this.record(m, id, true);
      if (o.status === 'pending') {
        if (o.requested_by !== actor && !roles.includes('admin'))
          throw new OverrideException(
            OverrideExceptionCode.NotRequester,
            'Only the requester (or an admin) can withdraw a pending override; an approver rejects it',
          );
        await m.query(`UPDATE tier_override SET status = 'withdrawn', ended_by = $2, ended_at = now(), comment = COALESCE($3, comment) WHERE id = $1`, [
          id,
          actor,
          comment ?? null,
        ]);
        await this.audit.record(m, {
          actor,
          action: 'override.withdraw',
          entityType: 'override',
          entityId: id,
          before: { status: 'pending' },
          after: { status: 'withdrawn' },
          comment,
        });
        return;
      }
      if (o.status !== 'active')
        throw new OverrideException(OverrideExceptionCode.WrongStatus, `The override is ${o.status}; only a pending or active override can be ended`);
      const now = new Date();
      await m.query(`UPDATE tier_override SET status = 'ended', ended_by = $2, ended_at = $3, comment = COALESCE($4, comment) WHERE id = $1`, [
        id,
        actor,
        now,
        comment ?? null,
      ]);
      const change = await this.reconcile(m, { id: o.policy_id, key: o.policy_key }, o.customer_id, now, { overrideId: id });
      await this.audit.record(m, {
        actor,
        action: 'override.end',
        entityType: 'override',
        entityId: id,
        before: { status: 'active', expiresAt: o.expires_at },
        after: { status: 'ended', customerId: o.customer_id, policy: o.policy_key, mode: o.mode, tier: o.tier_key, ledger: change },
        comment,
      });
    });
    this.ledger.changed(o0.policy_id);
    return this.get(id);
  }

  /** The sweep's work: every active override whose expiry has come, 200 at a time. */
  private async expireDue(): Promise<void> {
    for (;;) {
      const due: { id: string }[] = await this.ds.query(
        `SELECT id FROM tier_override WHERE status = 'active' AND expires_at <= now() ORDER BY expires_at LIMIT 200`,
      );
      if (!due.length) return;
      for (const { id } of due) await this.expire(id);
      if (due.length < 200) return;
    }
  }

  private async expire(id: string): Promise<void> {
    const o0 = await this.record(this.ds, id);
    await this.ds.transaction(async (m) => {
      await this.lockLedger(m, o0.policy_id);
      const o = await this.record(m, id, true);
      if (o.status !== 'active' || !o.expires_at || o.expires_at.getTime() > Date.now()) return;
      await m.query(`UPDATE tier_override SET status = 'expired', ended_by = 'system:overrides', ended_at = expires_at WHERE id = $1`, [id]);
      const change = await this.reconcile(m, { id: o.policy_id, key: o.policy_key }, o.customer_id, o.expires_at, { overrideId: id });
      await this.audit.record(m, {
        actor: 'system:overrides',
        action: 'override.expire',
        entityType: 'override',
        entityId: id,
        before: { status: 'active', expiresAt: o.expires_at },
        after: { status: 'expired', customerId: o.customer_id, policy: o.policy_key, mode: o.mode, tier: o.tier_key, ledger: change },
      });
    });
    this.ledger.changed(o0.policy_id);
  }

  /**
   * Make the customer's official tier what their base tier (the last rating) and their active
   * overrides give: a ledger row `override` when an override moves it, `revert` when the end of one
   * does. Inside the caller's transaction, with the policy's ledger locked. Valid from `at`, or
   * from the current row's start if that is later (a run applied between an expiry and the sweep).
   */
  private async reconcile(
    m: EntityManager,
    policy: { id: string; key: string },
    customerId: string,
    at: Date,
    cause: { overrideId: string | null; version?: PolicyVersionRow },
  ): Promise<{ from: string | null; to: string | null; change: 'override' | 'revert' } | null> {
    const [cur]: { tier_key: string | null; since: Date }[] = await m.query(
      'SELECT tier_key, since FROM tier_current WHERE policy_id = $1 AND customer_id = $2 FOR UPDATE',
      [policy.id, customerId],
    );
    if (!cur) return null;
    const active: { id: string; mode: OverrideMode; tier_key: string }[] = await m.query(
      `SELECT id, mode, tier_key FROM tier_override WHERE policy_id = $1 AND customer_id = $2 AND status = 'active' AND (expires_at IS NULL OR expires_at > $3)`,
      [policy.id, customerId, at],
    );
    const [b]: { tier_key: string | null }[] = await m.query('SELECT tier_key FROM tier_override_base WHERE policy_id = $1 AND customer_id = $2', [
      policy.id,
      customerId,
    ]);
    const base = b ? b.tier_key : cur.tier_key;
    if (!active.length) await m.query('DELETE FROM tier_override_base WHERE policy_id = $1 AND customer_id = $2', [policy.id, customerId]);
    const version = cause.version ?? (await this.versionNow(policy.key, at < cur.since ? cur.since : at));
    const tiers = version.definition.tiers as Tiers;
    const overrides: ActiveOverrides = Object.fromEntries(active.map((o) => [o.mode, o.tier_key]));
    const clamped = clampTier(base, overrides, ranker(tiers));
    if (clamped.tier === cur.tier_key) return null;
    const validFrom = at < cur.since ? cur.since : at;
    const change = clamped.by ? 'override' : 'revert';
    const code = clamped.by ? `override-${clamped.by}` : 'override-revert';
    const binding = clamped.by ? active.find((o) => o.mode === clamped.by) : undefined;
    const t = clamped.tier === null ? undefined : tiers.find((x) => x.key === clamped.tier);
    const index = t ? tiers.indexOf(t) : -1;
    const nameZh = t?.name ?? clamped.tier ?? '未评级';
    const nameEn = t?.nameEn ?? t?.name ?? clamped.tier ?? 'not rated';
    const text = overrideReasonText(code, nameZh, nameEn, '', '');
    const reason = {
      code,
      overrideId: binding?.id ?? cause.overrideId,
      baseTier: base,
      'zh-CN': text['zh-CN'].replace(/（评级结果）$/, ''),
      en: text.en.replace(/ \(rated \)$/, ''),
    };
    await m.query('UPDATE tier_history SET valid_to = $3 WHERE policy_id = $1 AND customer_id = $2 AND valid_to IS NULL', [policy.id, customerId, validFrom]);
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO tier_history (policy_id, customer_id, tier_key, tier_name, tier_name_en, tier_rank, previous_tier, change, reason, valid_from, version_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        policy.id,
        customerId,
        clamped.tier,
        t?.name ?? null,
        t?.nameEn ?? null,
        index >= 0 ? index + 1 : null,
        cur.tier_key,
        change,
        reason,
        validFrom,
        version.id,
      ],
    );
    await m.query(
      `UPDATE tier_current SET tier_key = $3, since = $4, history_id = $5, version_id = $6, run_id = NULL, updated_at = now() WHERE policy_id = $1 AND customer_id = $2`,
      [policy.id, customerId, clamped.tier, validFrom, row.id, version.id],
    );
    await this.hooks.changed(m, { policyId: policy.id, policyKey: policy.key, historyIds: [row.id], customerIds: [customerId] });
    return { from: cur.tier_key, to: clamped.tier, change };
  }

  /**
   * Inside a rating run's apply: move the base tiers of the customers the run rated under an
   * override; then set right every customer whose overrides changed while the run was under way
   * (approved, ended or expired after it compared with the ledger, so its chunks could not know).
   */
  private async runApplied(m: EntityManager, applied: LedgerApplied): Promise<void> {
    await m.query(
      `UPDATE tier_override_base b SET tier_key = c.base_tier, run_id = $1, updated_at = now() FROM rating_run_change c
        WHERE c.run_id = $1 AND c.override_modes IS NOT NULL AND b.policy_id = $2 AND b.customer_id = c.customer_id`,
      [applied.runId, applied.policyId],
    );
    const moved: { customer_id: string; staged: boolean }[] = await m.query(
      `WITH r AS (SELECT created_at FROM rating_run WHERE id = $1),
            o AS (SELECT DISTINCT t.customer_id FROM tier_override t, r
                   WHERE t.policy_id = $2 AND (t.approved_at >= r.created_at OR t.ended_at >= r.created_at OR (t.status = 'active' AND t.expires_at <= now())))
       SELECT o.customer_id, c.customer_id IS NOT NULL AS staged
         FROM o LEFT JOIN rating_run_change c ON c.run_id = $1 AND c.customer_id = o.customer_id AND c.override_modes IS NOT NULL`,
      [applied.runId, applied.policyId],
    );
    for (const c of moved) {
      if (!c.staged) {
        // The run did not know of the override: what it wrote for the customer (if anything) is their new base.
        await m.query(
          `UPDATE tier_override_base b SET tier_key = c.to_tier, run_id = $1, updated_at = now() FROM rating_run_change c
            WHERE c.run_id = $1 AND c.change IS NOT NULL AND b.policy_id = $2 AND b.customer_id = c.customer_id AND c.customer_id = $3`,
          [applied.runId, applied.policyId, c.customer_id],
        );
      }
      await this.reconcile(m, { id: applied.policyId, key: applied.policyKey }, c.customer_id, applied.effectiveAt, { overrideId: null });
    }
  }
}
