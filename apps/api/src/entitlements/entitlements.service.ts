import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Facts } from '@tierwise/policy-engine';
import { DataSource } from 'typeorm';
import { EvaluationService } from '../evaluation/evaluation.service';
import { OfficialTiers } from '../evaluation/official-tier';
import { EvaluatorCache } from '../policies/evaluator-cache';
import { PolicyRow, PolicyVersionRow } from '../policies/policy.entities';
import { PolicyException, PolicyExceptionCode } from '../policies/policy.exception';
import { EntitlementException, EntitlementExceptionCode } from './entitlement.exception';

export interface EntitlementRequest {
  policy: string;
  benefit: string;
  /** Rate these facts with the version in effect at `at` (logged as a decision too). */
  facts?: Facts;
  /** Without facts: the customer's official tier at `at` (the tier ledger). With facts: recorded with the check. */
  customerId?: string;
  at?: Date;
}

/** Why a check answered as it did: a code the console translates, with the tier and package it rests on. */
export type EntitlementReason = 'IN_PACKAGE' | 'NOT_IN_PACKAGE' | 'NOT_RATED' | 'NO_OFFICIAL_TIER';

const REASON_TEXT: Record<EntitlementReason, { en: (p: Ctx) => string; zh: (p: Ctx) => string }> = {
  IN_PACKAGE: {
    en: (p) => `Allowed: tier ${p.tier} comes with package ${p.pkg}, which includes ${p.benefit}`,
    zh: (p) => `允许：等级 ${p.tier} 的权益包 ${p.pkg} 包含 ${p.benefit}`,
  },
  NOT_IN_PACKAGE: {
    en: (p) => `Denied: tier ${p.tier} comes with package ${p.pkg ?? '(none)'}, which does not include ${p.benefit}`,
    zh: (p) => `不允许：等级 ${p.tier} 的权益包 ${p.pkg ?? '（无）'} 不包含 ${p.benefit}`,
  },
  NOT_RATED: { en: (p) => `Denied: the customer is not rated under ${p.policy}`, zh: (p) => `不允许：客户在 ${p.policy} 下未评级` },
  NO_OFFICIAL_TIER: {
    en: (p) => `Denied: the customer has no official tier under ${p.policy} at that time`,
    zh: (p) => `不允许：该时点客户在 ${p.policy} 下没有正式等级`,
  },
};
interface Ctx {
  policy: string;
  benefit: string;
  tier?: string;
  pkg?: string;
}

/**
 * May this customer have this benefit, or buy this product (fund suitability, contract §11)? The
 * tier comes from the facts given (the version in effect at `at`, the decision logged) or from the
 * customer's official tier in the ledger; the answer rests on the benefit package that tier maps to
 * in that version (its frozen catalog). Every answer is kept in entitlement_check, append-only.
 */
@Injectable()
export class EntitlementsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly evaluation: EvaluationService,
    private readonly evaluators: EvaluatorCache,
    private readonly official: OfficialTiers,
  ) {}

  async check(actor: string, req: EntitlementRequest) {
    const at = req.at ?? new Date();
    const benefit: { key: string; name: string; name_en: string | null }[] = await this.ds.query('SELECT key, name, name_en FROM benefit WHERE key = $1', [
      req.benefit,
    ]);
    if (!benefit.length) {
      throw new EntitlementException(EntitlementExceptionCode.UnknownBenefit, `No benefit ${req.benefit} in the catalog`, [
        { path: 'benefit', message: 'unknown benefit' },
      ]);
    }
    let policy: PolicyRow;
    let version: PolicyVersionRow | null = null;
    let tier: { key: string; name: string | null; nameEn?: string | null } | null = null;
    let packageKey: string | undefined;
    let decisionId: string | null = null;
    let reason: EntitlementReason;
    let packageView: { key: string; name: string; nameEn?: string } | null = null;
    if (req.facts !== undefined) {
      const r = await this.evaluation.evaluate(actor, { policy: req.policy, facts: req.facts, customerId: req.customerId, at });
      const found = await this.evaluation.versionAt(req.policy, at, req.facts);
      policy = found.policy;
      version = found.version;
      decisionId = r.decisionId ?? null;
      tier = r.tier ? { key: r.tier.key, name: r.tier.name, nameEn: r.tier.nameEn } : null;
      packageKey = r.benefitPackage?.key;
      packageView = r.benefitPackage ? { key: r.benefitPackage.key, name: r.benefitPackage.name, nameEn: r.benefitPackage.nameEn } : null;
      const has = (r.benefitPackage?.benefits ?? []).some((b) => b.key === req.benefit);
      reason = !tier ? 'NOT_RATED' : has ? 'IN_PACKAGE' : 'NOT_IN_PACKAGE';
    } else {
      if (!req.customerId) {
        throw new EntitlementException(EntitlementExceptionCode.NoCustomer, "Give the customer's facts, or a customerId to check against the official tier", [
          { path: 'facts', message: 'facts or customerId is required' },
        ]);
      }
      const row = await this.ds.getRepository(PolicyRow).findOneBy({ key: req.policy });
      if (!row)
        throw new PolicyException(PolicyExceptionCode.PolicyNotFound, `No policy with key ${req.policy}`, [{ path: 'policy', message: 'unknown policy' }]);
      policy = row;
      const o = await this.official.find(policy.id, req.customerId, at);
      if (!o) reason = 'NO_OFFICIAL_TIER';
      else {
        version = await this.ds.getRepository(PolicyVersionRow).findOneBy({ id: o.versionId });
        tier = o.tier;
        if (!tier || !version) reason = 'NOT_RATED';
        else {
          const p = await this.evaluators.prepare(version);
          packageKey = p.definition.tiers.find((t) => t.key === tier?.key)?.benefitPackage;
          const pkg = packageKey ? p.catalog.packages[packageKey] : undefined;
          packageView = pkg ? { key: pkg.key, name: pkg.name, ...(pkg.nameEn ? { nameEn: pkg.nameEn } : {}) } : null;
          reason = pkg?.benefits.some((b) => b.key === req.benefit) ? 'IN_PACKAGE' : 'NOT_IN_PACKAGE';
        }
      }
    }
    const allowed = reason === 'IN_PACKAGE';
    const ctx: Ctx = { policy: policy.key, benefit: req.benefit, tier: tier?.key, pkg: packageKey };
    const [logged]: { id: string; checked_at: Date }[] = await this.ds.query(
      `INSERT INTO entitlement_check (as_of, actor, policy_id, policy_key, version_id, version_number, customer_id, source, facts, decision_id, benefit, allowed, tier_key, benefit_package, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id, checked_at`,
      [
        at,
        actor,
        policy.id,
        policy.key,
        version?.id ?? null,
        version?.number ?? null,
        req.customerId ?? null,
        req.facts !== undefined ? 'facts' : 'ledger',
        req.facts !== undefined ? JSON.stringify(req.facts) : null,
        decisionId,
        req.benefit,
        allowed,
        tier?.key ?? null,
        packageKey ?? null,
        reason,
      ],
    );
    return {
      checkId: logged.id,
      checkedAt: logged.checked_at,
      allowed,
      policy: { key: policy.key, versionId: version?.id ?? null, number: version?.number ?? null },
      source: req.facts !== undefined ? 'facts' : 'ledger',
      tier,
      benefitPackage: packageView,
      benefit: { key: benefit[0].key, name: benefit[0].name, ...(benefit[0].name_en ? { nameEn: benefit[0].name_en } : {}) },
      reason: { code: reason, message: REASON_TEXT[reason].en(ctx), messageZh: REASON_TEXT[reason].zh(ctx) },
      ...(decisionId ? { decisionId } : {}),
    };
  }

  /** The log, newest first (compliance). */
  async list(filter: { customerId?: string; policy?: string; benefit?: string }, skip: number, take: number) {
    const where: string[] = [];
    const args: unknown[] = [];
    for (const [col, v] of [
      ['customer_id', filter.customerId],
      ['policy_key', filter.policy],
      ['benefit', filter.benefit],
    ] as const) {
      if (v !== undefined) {
        args.push(v);
        where.push(`${col} = $${args.length}`);
      }
    }
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT id, checked_at AS "checkedAt", as_of AS "asOf", actor, policy_key AS "policy", version_id AS "versionId", version_number AS "versionNumber",
              customer_id AS "customerId", source, decision_id AS "decisionId", benefit, allowed, tier_key AS "tier", benefit_package AS "benefitPackage", reason
         FROM entitlement_check ${cond} ORDER BY checked_at DESC, id LIMIT ${take} OFFSET ${skip}`,
      args,
    );
    const [{ n }]: { n: number }[] = await this.ds.query(`SELECT count(*)::int AS n FROM entitlement_check ${cond}`, args);
    return { rows, total: n };
  }
}
