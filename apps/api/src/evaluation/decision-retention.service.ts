import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CommonException, CommonExceptionCode } from '../common/errors/app.exception';
import { APP_CONFIG, AppConfig } from '../config/config';
import { PolicyException, PolicyExceptionCode } from '../policies/policy.exception';

export interface RetentionRequest {
  months: number | null;
  requestedBy: string;
  requestedAt: string;
  comment: string;
}

interface PolicyRetentionRow {
  id: string;
  key: string;
  decision_retention_months: number | null;
  decision_retention_request: RetentionRequest | null;
}

/**
 * How long each policy's decisions are kept (issue 17). A policy's own setting wins over
 * DECISION_RETENTION_MONTHS; neither = kept for ever. A change is four-eyed: asked by one admin or
 * compliance officer, applied when another approves (or turned down); each step audited. The
 * partitions service reads the applied setting when it drops months.
 */
@Injectable()
export class DecisionRetentionService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** Months kept per policy id, for every policy (undefined = for ever). */
  async all(defaultMonths?: number): Promise<Map<string, number | undefined>> {
    const fallback = defaultMonths ?? this.config.decisionRetentionMonths;
    const rows: { id: string; months: number | null }[] = await this.ds.query('SELECT id, decision_retention_months AS months FROM policy');
    return new Map(rows.map((r) => [r.id, r.months ?? fallback]));
  }

  private async row(m: EntityManager, id: string, lock = false): Promise<PolicyRetentionRow> {
    const [row]: PolicyRetentionRow[] = await m.query(
      `SELECT id, key, decision_retention_months, decision_retention_request FROM policy WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    if (!row) throw new PolicyException(PolicyExceptionCode.PolicyNotFound, `No policy with id ${id}`);
    return row;
  }

  private view(r: PolicyRetentionRow) {
    const defaultMonths = this.config.decisionRetentionMonths ?? null;
    return {
      policy: { id: r.id, key: r.key },
      months: r.decision_retention_months,
      defaultMonths,
      effectiveMonths: r.decision_retention_months ?? defaultMonths,
      request: r.decision_retention_request,
    };
  }

  async get(id: string) {
    return this.view(await this.row(this.ds.manager, id));
  }

  /** Ask for a change (a waiting one is replaced); nothing changes until someone else approves. */
  async request(actor: string, id: string, months: number | null, comment: string) {
    return this.ds.transaction(async (m) => {
      const before = await this.row(m, id, true);
      const request: RetentionRequest = { months, requestedBy: actor, requestedAt: new Date().toISOString(), comment };
      await m.query('UPDATE policy SET decision_retention_request = $2 WHERE id = $1', [id, JSON.stringify(request)]);
      await this.audit.record(m, {
        actor,
        action: 'decision_retention.request',
        entityType: 'policy',
        entityId: id,
        before: { months: before.decision_retention_months, request: before.decision_retention_request },
        after: { months: before.decision_retention_months, request },
        comment,
      });
      return this.view({ ...before, decision_retention_request: request });
    });
  }

  /** Apply the waiting change: never by the one who asked for it. */
  approve(actor: string, id: string, comment?: string) {
    return this.settle(actor, id, 'approve', comment);
  }

  /** Turn the waiting change down (or withdraw it, by its requester). */
  reject(actor: string, id: string, comment?: string) {
    return this.settle(actor, id, 'reject', comment);
  }

  /** End the waiting change, approved (its months take effect) or rejected (the months stay), audited either way. */
  private settle(actor: string, id: string, decision: 'approve' | 'reject', comment?: string) {
    return this.ds.transaction(async (m) => {
      const before = await this.row(m, id, true);
      const request = before.decision_retention_request;
      if (!request) throw new CommonException(CommonExceptionCode.NotFound, `Policy ${before.key} has no retention change waiting for approval`);
      if (decision === 'approve' && request.requestedBy === actor) {
        throw new PolicyException(PolicyExceptionCode.FourEyes, `Four-eyes rule: ${actor} asked for this retention change and cannot approve it`);
      }
      const months = decision === 'approve' ? request.months : before.decision_retention_months;
      await m.query('UPDATE policy SET decision_retention_months = $2, decision_retention_request = NULL WHERE id = $1', [id, months]);
      await this.audit.record(m, {
        actor,
        action: `decision_retention.${decision}`,
        entityType: 'policy',
        entityId: id,
        before: { months: before.decision_retention_months, request },
        after: { months, request: null },
        comment: comment ?? null,
      });
      return this.view({ ...before, decision_retention_months: months, decision_retention_request: null });
    });
  }
}
